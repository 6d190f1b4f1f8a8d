import { parseCsvSeries, type CsvSeries } from './csv-series.loader';
import { parseRewardPayouts } from './reward-payouts.loader';
import { DataError } from './data.error';
import type { DataRule } from './data-rule.types';
import {
  CADENCE_HOURS,
  isConstantSource,
  isFileSource,
  isProxySource,
  isRewardsSource,
  isSettlementSeries,
  type FileSource,
  type RewardsSource,
  type SeriesSpec,
} from './manifest.schema';
import {
  alignLevels,
  alignSettlements,
  firstSettlementIn,
  type AlignedSeries,
  type Hole,
  type TickGrid,
} from './series.aligner';
import { formatInstant, HOUR_MS } from './timestamp';

/**
 * Turns manifest series into aligned arrays, each at most once per run, applying the
 * manifest's rules (fallback, proxy, constant, product) and reporting each one applied.
 * Holes a fallback cannot fill stay in the result; the caller decides whether a hole
 * matters (it does for every series a need reaches).
 */
export class SeriesResolver {
  private readonly aligned = new Map<string, AlignedSeries>();
  private readonly parsed = new Map<string, CsvSeries>();

  constructor(
    private readonly byId: ReadonlyMap<string, SeriesSpec>,
    private readonly grid: TickGrid,
    private readonly texts: ReadonlyMap<string, string>,
    private readonly emit: (rule: DataRule) => void,
  ) {}

  resolve(id: string): AlignedSeries {
    const done = this.aligned.get(id);
    if (done) return done;
    const spec = this.byId.get(id);
    if (!spec) throw new DataError(`unknown series "${id}"`);
    const result = this.build(spec);
    this.aligned.set(id, result);
    return result;
  }

  private build(spec: SeriesSpec): AlignedSeries {
    const { id, source } = spec;
    if (isFileSource(source)) return this.fromFile(spec, source);
    if (isProxySource(source)) {
      this.emit({
        series: id,
        kind: 'proxy',
        detail: `${id}: answered by ${source.proxyOf} (${source.reason})`,
      });
      return this.resolve(source.proxyOf);
    }
    if (isConstantSource(source)) {
      this.emit({
        series: id,
        kind: 'constant',
        detail: `${id}: constant ${source.constant} (${source.reason})`,
      });
      return { values: new Float64Array(this.grid.count).fill(source.constant), holes: [] };
    }
    if (isRewardsSource(source)) return this.fromRewards(id, source);
    const [a, b] = source.product.map((dep) => this.resolve(dep)) as [AlignedSeries, AlignedSeries];
    const values = a.values.map((x, i) => x * b.values[i]!);
    return { values, holes: [...a.holes, ...b.holes] };
  }

  private fromFile(spec: SeriesSpec, source: FileSource): AlignedSeries {
    const { id } = spec;
    const csv = this.parse(source);
    if (csv.rowsOutOfOrder > 0) {
      this.emit({
        series: id,
        kind: 'sort',
        detail: `${id}: ${csv.rowsOutOfOrder} rows of ${source.file} out of time order; sorted by ${source.timeColumn}`,
      });
    }
    if (csv.duplicatesDropped > 0) {
      const how = source.duplicates === 'keep_last' ? 'the later row kept' : 'identical values';
      this.emit({
        series: id,
        kind: 'dedupe',
        detail: `${id}: ${csv.duplicatesDropped} repeated times in ${source.file} dropped (${how})`,
      });
    }
    const cadenceMs = CADENCE_HOURS[source.cadence] * HOUR_MS;
    const options = {
      seriesId: id,
      cadenceMs,
      maxGapMs: source.maxGapHours !== undefined ? source.maxGapHours * HOUR_MS : cadenceMs,
      interpolate: source.interpolate === 'linear',
    };
    if (options.interpolate) {
      this.emit({
        series: id,
        kind: 'interpolate',
        detail: `${id}: ${source.cadence} ${source.valueColumn} interpolated linearly to hourly ticks`,
      });
    }
    let own = isSettlementSeries(spec)
      ? alignSettlements(csv, this.grid, options)
      : alignLevels(csv, this.grid, options);
    if (source.startsLate && own.holes[0]?.from === 0) {
      const [leading, ...rest] = own.holes;
      this.emit({
        series: id,
        kind: 'absent',
        detail: `${id}: no market before ${formatInstant(this.grid.firstMs + leading!.to * HOUR_MS)} (first row of ${source.file}); absent until then`,
      });
      own = { ...own, holes: rest };
    }
    if (own.holes.length === 0 || source.fallback === undefined) return own;
    return this.fill(id, own, source.fallback);
  }

  private fromRewards(id: string, source: RewardsSource): AlignedSeries {
    const text = this.texts.get(source.rewards.file);
    if (text === undefined) throw new DataError('file was not read', { file: source.rewards.file });
    const payouts = parseRewardPayouts(text, source);
    const values = new Float64Array(this.grid.count).fill(NaN);
    let paid = 0;
    for (const [ms, amount] of payouts) {
      const i = (ms - this.grid.firstMs) / HOUR_MS;
      if (i < 0 || i >= this.grid.count) continue;
      values[i] = amount;
      paid++;
    }
    this.emit({
      series: id,
      kind: 'events',
      detail: `${id}: ${paid} ${source.rewards.token} payouts in the run from ${source.rewards.rewardTypes.join(', ')}`,
    });
    return { values, holes: [] };
  }

  private parse(source: FileSource): CsvSeries {
    // Two series may read the same column (pricesUsd:BTC and spotUsd:binance:BTC): parse once.
    const key = [
      source.file,
      source.timeColumn,
      source.timeFormat,
      source.valueColumn,
      source.duplicates,
      source.order,
    ].join('|');
    let csv = this.parsed.get(key);
    if (!csv) {
      const text = this.texts.get(source.file);
      if (text === undefined) throw new DataError('file was not read', { file: source.file });
      csv = parseCsvSeries(text, source);
      this.parsed.set(key, csv);
    }
    return csv;
  }

  /** Fills each hole from the fallback where it has every required value; reports each filled range. */
  private fill(id: string, own: AlignedSeries, fallbackId: string): AlignedSeries {
    const fallback = this.resolve(fallbackId);
    const every = own.settlementEveryMs;
    const required = (i: number) =>
      every === undefined || (this.grid.firstMs + i * HOUR_MS) % every === 0;
    const values = own.values.slice();
    const unfilled: Hole[] = [];
    for (const hole of own.holes) {
      let missing: number | undefined;
      let count = 0;
      for (let i = hole.from; i < hole.to; i++) {
        if (!required(i)) continue;
        if (Number.isNaN(fallback.values[i]!)) {
          missing = i;
          break;
        }
        count++;
      }
      if (missing !== undefined) {
        const at = formatInstant(this.grid.firstMs + missing * HOUR_MS);
        unfilled.push({
          ...hole,
          reason: `${hole.reason}; fallback ${fallbackId} has no value at ${at} either`,
        });
        continue;
      }
      for (let i = hole.from; i < hole.to; i++) if (required(i)) values[i] = fallback.values[i]!;
      this.emit({
        series: id,
        kind: 'fallback',
        detail: this.describeFill(id, hole, count, every, fallbackId),
      });
    }
    return { ...own, values, holes: unfilled };
  }

  private describeFill(
    id: string,
    hole: Hole,
    count: number,
    every: number | undefined,
    fallbackId: string,
  ) {
    const fromMs =
      every === undefined
        ? this.grid.firstMs + hole.from * HOUR_MS
        : firstSettlementIn(this.grid, hole, every)!;
    const lastMs = this.grid.firstMs + (hole.to - 1) * HOUR_MS;
    const toMs = every === undefined ? lastMs : Math.floor(lastMs / every) * every;
    const unit =
      every === undefined
        ? count === 1
          ? 'hour'
          : 'hours'
        : count === 1
          ? 'settlement'
          : 'settlements';
    const range =
      count === 1
        ? `at ${formatInstant(fromMs)}`
        : `from ${formatInstant(fromMs)} to ${formatInstant(toMs)}`;
    return `${id}: ${count} ${unit} ${range} filled from ${fallbackId}`;
  }
}
