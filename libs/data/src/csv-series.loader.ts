import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readCsvColumns } from './csv-text.reader';
import { DataError } from './data.error';
import type { FileSource } from './manifest.schema';
import { formatInstant, parseTimestamp } from './timestamp';

/** One column of a file as strictly increasing `(tsMs, value)` pairs, with the file line of each. */
export interface CsvSeries {
  file: string;
  timeColumn: string;
  valueColumn: string;
  tsMs: Float64Array;
  values: Float64Array;
  lines: Int32Array;
  /** Repeated timestamps removed (identical repeats, or earlier rows under `keep_last`). */
  duplicatesDropped: number;
  /** Rows whose time was before the previous row's (only non-zero under `order: 'sort'`). */
  rowsOutOfOrder: number;
}

// Plain decimal or exponent notation only: Number() would also take hex, "Infinity" and "".
// Bound once: under jest's vm sandbox a global lookup per row costs ~20x.
const finite = Number.isFinite;
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The file's text; a missing file is a DataError naming the path the manifest gave. */
export async function readSeriesFile(dataDir: string, file: string): Promise<string> {
  try {
    return await readFile(path.join(dataDir, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})`;
    throw new DataError(`${why} in data directory ${dataDir}`, { file });
  }
}

/** Parses one file source; every defect is a DataError with file, line and column. */
export function parseCsvSeries(text: string, source: FileSource): CsvSeries {
  const { file, timeColumn, valueColumn, timeFormat } = source;
  const { lines, fields } = readCsvColumns(text, file, [timeColumn, valueColumn]);
  const [times, raw] = fields as [string[], string[]];
  const n = lines.length;
  const tsMs = new Float64Array(n);
  const values = new Float64Array(n);
  let rowsOutOfOrder = 0;
  for (let r = 0; r < n; r++) {
    const line = lines[r]!;
    const t = parseTimestamp(times[r]!.trim(), timeFormat);
    if (t === undefined) {
      throw new DataError(`"${times[r]}" is not a timestamp in format ${timeFormat}`, {
        file,
        line,
        column: timeColumn,
      });
    }
    const text = raw[r]!;
    if (text.trim() === '') throw new DataError('empty value', { file, line, column: valueColumn });
    const v = DECIMAL.test(text) ? +text : NaN; // unary plus: no global lookup per row
    if (!finite(v))
      throw new DataError(`"${text}" is not a finite number`, { file, line, column: valueColumn });
    if (r > 0 && t < tsMs[r - 1]!) {
      if (source.order === 'strict') {
        throw new DataError(
          `${formatInstant(t)} is earlier than ${formatInstant(tsMs[r - 1]!)} on line ${lines[r - 1]}: rows out of time order`,
          { file, line, column: timeColumn },
        );
      }
      rowsOutOfOrder++;
    }
    tsMs[r] = t;
    values[r] = v;
  }
  const series = {
    file,
    timeColumn,
    valueColumn,
    tsMs,
    values,
    lines,
    duplicatesDropped: 0,
    rowsOutOfOrder,
  };
  return dropDuplicates(rowsOutOfOrder > 0 ? sortByTime(series) : series, source);
}

function sortByTime(s: CsvSeries): CsvSeries {
  // Array#sort is stable, so equal times keep file order and `keep_last` still means the later line.
  const order = Array.from(s.tsMs.keys()).sort((a, b) => s.tsMs[a]! - s.tsMs[b]!);
  return {
    ...s,
    tsMs: Float64Array.from(order, (i) => s.tsMs[i]!),
    values: Float64Array.from(order, (i) => s.values[i]!),
    lines: Int32Array.from(order, (i) => s.lines[i]!),
  };
}

function dropDuplicates(s: CsvSeries, source: FileSource): CsvSeries {
  const n = s.tsMs.length;
  let w = 0;
  for (let r = 0; r < n; r++) {
    if (w > 0 && s.tsMs[r] === s.tsMs[w - 1]) {
      const same = s.values[r] === s.values[w - 1];
      if (!same && source.duplicates === 'identical_only') {
        throw new DataError(
          `duplicate time ${formatInstant(s.tsMs[r]!)} (also line ${s.lines[w - 1]}) with a different value: ` +
            `${s.values[w - 1]} vs ${s.values[r]}`,
          { file: s.file, line: s.lines[r]!, column: s.valueColumn },
        );
      }
      // Identical repeat: keep the first row; keep_last: the later row replaces it.
      if (!same) {
        s.values[w - 1] = s.values[r]!;
        s.lines[w - 1] = s.lines[r]!;
      }
      continue;
    }
    s.tsMs[w] = s.tsMs[r]!;
    s.values[w] = s.values[r]!;
    s.lines[w] = s.lines[r]!;
    w++;
  }
  if (w === 0) throw new DataError('no data rows', { file: s.file });
  return {
    ...s,
    tsMs: s.tsMs.subarray(0, w),
    values: s.values.subarray(0, w),
    lines: s.lines.subarray(0, w),
    duplicatesDropped: n - w,
  };
}
