export type Cell = string | number | null;

/** One CSV file: `name` is the file name without `.csv`. */
export interface Table {
  name: string;
  columns: string[];
  rows: Cell[][];
}

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  /** Milliseconds since epoch, UTC. */
  x: number[];
  series: ChartSeries[];
}

export interface ReportSpec {
  title: string;
  subtitle: string;
  summaryRows: [string, string][];
  charts: ChartSpec[];
  tables: { title: string; columns: string[]; rows: Cell[][] }[];
}

export interface ResultBundle {
  summary: Record<string, unknown>;
  tables: Table[];
  report: ReportSpec;
}
