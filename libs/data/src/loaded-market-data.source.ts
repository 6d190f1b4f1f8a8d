import type {
  MarketDataSource,
  MarketField,
  MarketNeed,
  MarketSnapshot,
} from '@tightloop/contracts';
import type { DataRule } from './data-rule.types';

type RecordField = Exclude<MarketField, 'gasPriceGwei'>;

/** One needed series on the tick grid: NaN where it has no value (funding between settlements). */
export interface MarketColumn {
  need: MarketNeed;
  values: Float64Array;
}

export interface DatasetInfo {
  name: string;
  kind: 'real' | 'synthetic';
  dir: string;
}

/** Market history aligned on the run's ticks, plus what the loader had to do to get it. */
export interface LoadedMarketData extends MarketDataSource {
  readonly dataset: DatasetInfo;
  /** Every rule applied (fallbacks, proxies, ...), in the order they were applied. */
  readonly rules: readonly DataRule[];
  /** The aligned values of one need (NaN where absent); for charts and tests, not for the loop. */
  values(need: MarketNeed): Float64Array;
}

interface Slot {
  field: RecordField;
  key: string;
  values: Float64Array;
}

/**
 * Snapshots are built on demand from Float64Arrays (one per need) rather than stored: a
 * year of hourly objects for ~12 series would cost far more memory than the arrays and
 * most ticks are read exactly once by the loop.
 */
export class AlignedMarketData implements LoadedMarketData {
  private readonly slots: Slot[] = [];
  private readonly gas: Float64Array | undefined;
  private readonly byNeed = new Map<MarketNeed, Float64Array>();

  constructor(
    readonly timestampsMs: readonly number[],
    columns: readonly MarketColumn[],
    readonly dataset: DatasetInfo,
    readonly rules: readonly DataRule[],
  ) {
    for (const { need, values } of columns) {
      this.byNeed.set(need, values);
      if (need === 'gasPriceGwei') continue;
      const colon = need.indexOf(':');
      this.slots.push({
        field: need.slice(0, colon) as RecordField,
        key: need.slice(colon + 1),
        values,
      });
    }
    this.gas = this.byNeed.get('gasPriceGwei');
  }

  snapshot(index: number): MarketSnapshot {
    const tsMs = this.timestampsMs[index];
    if (tsMs === undefined)
      throw new RangeError(`tick ${index} outside 0..${this.timestampsMs.length - 1}`);
    const snapshot: MarketSnapshot = {
      tsMs,
      pricesUsd: {},
      spotUsd: {},
      perpMarkUsd: {},
      fundingRatePer8h: {},
      aaveSupplyIndex: {},
      aaveBorrowIndex: {},
      lstRateEth: {},
      // The snapshot type requires a number; a strategy that did not ask for gas pays none.
      gasPriceGwei: this.gas ? this.gas[index]! : 0,
    };
    for (const { field, key, values } of this.slots) {
      const v = values[index]!;
      // NaN: not a settlement instant. Optional record fields exist only when a need feeds them.
      if (v === v) (snapshot[field] ??= {})[key] = v;
    }
    return snapshot;
  }

  values(need: MarketNeed): Float64Array {
    const values = this.byNeed.get(need);
    if (!values) throw new RangeError(`"${need}" was not among the needs loaded`);
    return values;
  }
}
