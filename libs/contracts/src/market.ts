import { z } from 'zod';

const finiteRecord = z.record(z.string(), z.number().finite());

/**
 * Everything the loop may know about the market at one instant. Values are as of `tsMs`
 * (last observation at or before it); nothing from the future.
 * Keys: `pricesUsd` by asset (BTC, ETH, USDT, ...); `spotUsd`, `perpMarkUsd` and
 * `fundingRatePer8h` by `${venue}:${asset}`; AAVE indexes by reserve symbol (USDT, WETH,
 * weETH), normalised to ~1.0; `lstRateEth` by LST symbol (weETH, wstETH).
 * `fundingRatePer8h` holds a venue only at its settlement instants.
 */
export const marketSnapshotSchema = z.object({
  tsMs: z.number().int(),
  pricesUsd: finiteRecord,
  spotUsd: finiteRecord,
  perpMarkUsd: finiteRecord,
  fundingRatePer8h: finiteRecord,
  aaveSupplyIndex: finiteRecord,
  aaveBorrowIndex: finiteRecord,
  lstRateEth: finiteRecord,
  /** LST/ETH on the DEX where it trades (exit price); absent where the data has none. */
  lstMarketRateEth: finiteRecord.optional(),
  /**
   * Reward tokens paid per ETH staked (per eETH), by `${lst}:${token}`, only at payout
   * instants; a holder of q LST at rate r receives q x r x this.
   */
  stakingRewardsPerEth: finiteRecord.optional(),
  gasPriceGwei: z.number().finite().nonnegative(),
});
export type MarketSnapshot = z.infer<typeof marketSnapshotSchema>;

/** The record fields of a snapshot a data series can feed. */
export const MARKET_FIELDS = [
  'pricesUsd',
  'spotUsd',
  'perpMarkUsd',
  'fundingRatePer8h',
  'aaveSupplyIndex',
  'aaveBorrowIndex',
  'lstRateEth',
  'lstMarketRateEth',
  'stakingRewardsPerEth',
] as const;
export type MarketField = (typeof MARKET_FIELDS)[number] | 'gasPriceGwei';

/** A series a strategy needs, e.g. `perpMarkUsd:binance:BTC` or `gasPriceGwei`. */
export type MarketNeed = `${MarketField}:${string}` | 'gasPriceGwei';

/** The loop's view of market history or a live feed: one snapshot per tick. */
export interface MarketDataSource {
  /** Tick instants in ms since epoch, ascending. */
  readonly timestampsMs: readonly number[];
  /** The snapshot at `timestampsMs[index]`. */
  snapshot(index: number): MarketSnapshot;
}
