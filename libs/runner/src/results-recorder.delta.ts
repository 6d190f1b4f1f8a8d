import type { TickRecord } from '@tightloop/core';
import type { ResultsRecorder } from './results.recorder';

/** The recorder's append-only row lists, by name. */
const ROW_LISTS = [
  'equity',
  'positions',
  'exposures',
  'risk',
  'instructions',
  'reconciliations',
  'funding',
  'events',
  'navs',
] as const;
type RowList = (typeof ROW_LISTS)[number];

/** What a recorder gained since the previous delta: new rows and its latest tick. */
export interface RecorderDelta {
  rows: Record<RowList, unknown[]>;
  lastTick: TickRecord | null;
}

/**
 * Takes a recorder's rows in append-only deltas, so each checkpoint stores only the rows
 * since the previous one (storing the whole recorder each time would grow quadratically),
 * and folds stored deltas back into a fresh recorder when a run resumes. Rows are never
 * changed once recorded, so a delta can share them with the recorder.
 */
export class RecorderDeltas {
  private readonly taken = Object.fromEntries(ROW_LISTS.map((name) => [name, 0])) as Record<
    RowList,
    number
  >;

  constructor(private readonly recorder: ResultsRecorder) {}

  /** The rows recorded since the last take or fold. */
  take(): RecorderDelta {
    const rows = {} as RecorderDelta['rows'];
    for (const name of ROW_LISTS) {
      const list: unknown[] = this.recorder[name];
      rows[name] = list.slice(this.taken[name]);
      this.taken[name] = list.length;
    }
    return { rows, lastTick: this.recorder.lastTick };
  }

  /** Appends a delta, in the order deltas were taken, as if its ticks were recorded here. */
  fold(delta: RecorderDelta): void {
    for (const name of ROW_LISTS) {
      const list: unknown[] = this.recorder[name];
      for (const row of delta.rows[name]) list.push(row);
      this.taken[name] = list.length;
    }
    this.recorder.lastTick = delta.lastTick;
  }
}
