import type { CsvSeries } from './csv-series.loader';
import { DataError, type DataErrorLocation } from './data.error';
import { formatInstant, HOUR_MS } from './timestamp';

/** The run's clock: every full hour from `firstMs`, `count` ticks (DOMAIN §6.1). */
export interface TickGrid {
  firstMs: number;
  count: number;
}

/** Ticks `[from, to)` a series cannot answer from its own data, and why (for the DataError if nothing else can). */
export interface Hole {
  from: number;
  to: number;
  reason: string;
  where: DataErrorLocation;
}

export const holeError = (h: Hole) => new DataError(h.reason, h.where);

/**
 * A series on the tick grid. NaN marks "no value": inside a hole, or (settlement series)
 * at a tick that is not a settlement. `settlementEveryMs` is set for settlement series: only
 * ticks on that grid are required, the others are legitimately empty.
 */
export interface AlignedSeries {
  values: Float64Array;
  holes: Hole[];
  settlementEveryMs?: number;
}

export interface AlignOptions {
  seriesId: string;
  cadenceMs: number;
  maxGapMs: number;
  interpolate?: boolean;
}

export function tickGrid(startMs: number, endMs: number): TickGrid {
  const firstMs = Math.ceil(startMs / HOUR_MS) * HOUR_MS;
  const lastMs = Math.floor(endMs / HOUR_MS) * HOUR_MS;
  if (!Number.isFinite(firstMs) || !Number.isFinite(lastMs) || lastMs < firstMs) {
    throw new DataError(
      `no full hour between run start ${formatInstant(startMs)} and end ${formatInstant(endMs)}`,
    );
  }
  return { firstMs, count: (lastMs - firstMs) / HOUR_MS + 1 };
}

const lastTickMs = (g: TickGrid) => g.firstMs + (g.count - 1) * HOUR_MS;
const clampIdx = (g: TickGrid, i: number) => Math.min(Math.max(i, 0), g.count);
/** Index of the first tick at or after `ms`. */
const atOrAfter = (g: TickGrid, ms: number) => clampIdx(g, Math.ceil((ms - g.firstMs) / HOUR_MS));
/** Index of the first tick strictly after `ms`. */
const after = (g: TickGrid, ms: number) => clampIdx(g, Math.floor((ms - g.firstMs) / HOUR_MS) + 1);

/**
 * Levels (prices, indexes, rates): the value at tick t is the last observation at or before
 * t, or with `interpolate` the straight line between the observations around t. Ticks the
 * data cannot answer (before the first row, inside a gap wider than `maxGapMs`, after the
 * data ends) become holes; inside a gap the stale forward-filled value is not kept.
 */
export function alignLevels(s: CsvSeries, grid: TickGrid, o: AlignOptions): AlignedSeries {
  const { tsMs, values: v } = s;
  const n = tsMs.length;
  const values = new Float64Array(grid.count).fill(NaN);
  let j = -1;
  for (let i = 0; i < grid.count; i++) {
    const t = grid.firstMs + i * HOUR_MS;
    while (j + 1 < n && tsMs[j + 1]! <= t) j++;
    if (j < 0) continue;
    if (!o.interpolate || tsMs[j] === t) values[i] = v[j]!;
    else if (j + 1 < n)
      values[i] = v[j]! + ((v[j + 1]! - v[j]!) * (t - tsMs[j]!)) / (tsMs[j + 1]! - tsMs[j]!);
  }
  // A gap ends where the next row is; as-of ticks up to one cadence after the last row are
  // still fresh, interpolated ticks need a row on both sides.
  const holes = findHoles(s, grid, o, (a) =>
    o.interpolate ? after(grid, a) : atOrAfter(grid, a + o.cadenceMs),
  );
  for (const h of holes) values.fill(NaN, h.from, h.to);
  return { values, holes };
}

/**
 * Settlement series (funding): a value only at ticks equal to an observation time. Every
 * instant of the `cadenceMs` grid (00/08/16 UTC for 8h) inside the run must have one.
 */
export function alignSettlements(s: CsvSeries, grid: TickGrid, o: AlignOptions): AlignedSeries {
  const values = new Float64Array(grid.count).fill(NaN);
  const last = lastTickMs(grid);
  for (let r = 0; r < s.tsMs.length; r++) {
    const t = s.tsMs[r]!;
    if (t < grid.firstMs || t > last) continue;
    if (t % HOUR_MS !== 0) {
      throw new DataError(`settlement time ${new Date(t).toISOString()} is not on a full hour`, {
        file: s.file,
        line: s.lines[r]!,
        column: s.timeColumn,
      });
    }
    values[(t - grid.firstMs) / HOUR_MS] = s.values[r]!;
  }
  const settles = (h: Hole) => firstSettlementIn(grid, h, o.cadenceMs) !== undefined;
  const holes = findHoles(s, grid, { ...o, interpolate: false }, (a) => after(grid, a)).filter(
    settles,
  );
  return { values, holes, settlementEveryMs: o.cadenceMs };
}

export function firstSettlementIn(grid: TickGrid, h: Pick<Hole, 'from' | 'to'>, everyMs: number) {
  const fromMs = grid.firstMs + h.from * HOUR_MS;
  const first = Math.ceil(fromMs / everyMs) * everyMs;
  return first < grid.firstMs + h.to * HOUR_MS ? first : undefined;
}

function findHoles(
  s: CsvSeries,
  grid: TickGrid,
  o: AlignOptions,
  gapStart: (a: number) => number,
): Hole[] {
  const { tsMs, lines, file, timeColumn: column } = s;
  const n = tsMs.length;
  const last = lastTickMs(grid);
  const holes: Hole[] = [];
  const add = (from: number, to: number, reason: string, line: number) => {
    if (to > from) holes.push({ from, to, reason, where: { file, line, column } });
  };
  const first = tsMs[0]!;
  if (first > grid.firstMs) {
    add(
      0,
      atOrAfter(grid, first),
      `series ${o.seriesId}: first observation ${formatInstant(first)} ` +
        `is after the run start ${formatInstant(grid.firstMs)}`,
      lines[0]!,
    );
  }
  const gapHours = o.maxGapMs / HOUR_MS;
  for (let k = 0; k + 1 < n && tsMs[k]! < last; k++) {
    const a = tsMs[k]!;
    const b = tsMs[k + 1]!;
    if (b <= grid.firstMs || b - a <= o.maxGapMs) continue;
    add(
      gapStart(a),
      atOrAfter(grid, b),
      `series ${o.seriesId}: gap of ${(b - a) / HOUR_MS}h after line ` +
        `${lines[k]} (${formatInstant(a)} -> ${formatInstant(b)}) exceeds the ${gapHours}h allowed`,
      lines[k + 1]!,
    );
  }
  const end = tsMs[n - 1]!;
  // As if a row followed one cadence after the last tick: the data must reach the run's end.
  const stale = o.interpolate ? last > end : last + o.cadenceMs - end > o.maxGapMs;
  if (stale) {
    add(
      gapStart(end),
      grid.count,
      `series ${o.seriesId} ends at ${formatInstant(end)} (line ${lines[n - 1]}); ` +
        `the run ends at ${formatInstant(last)}`,
      lines[n - 1]!,
    );
  }
  return holes;
}
