import { costsConfigSchema, type MarketSnapshot } from '@tightloop/contracts';
import { CostModel } from '../execution/cost.model';

/** A hand-made market for unit tests; every field can be overridden. */
export function market(overrides: Partial<MarketSnapshot> = {}): MarketSnapshot {
  return {
    tsMs: Date.UTC(2024, 5, 1),
    pricesUsd: { USDT: 1, BTC: 60_000, ETH: 3_000 },
    spotUsd: { 'binance:BTC': 60_000 },
    perpMarkUsd: { 'binance:BTC': 60_000, 'bybit:BTC': 60_000, 'okx:BTC': 60_000 },
    fundingRatePer8h: {},
    aaveSupplyIndex: { USDT: 1.05 },
    aaveBorrowIndex: { USDT: 1.08 },
    lstRateEth: {},
    gasPriceGwei: 10,
    ...overrides,
  };
}

/** Costs with no fees or slippage and negligible gas, so hand-computed cases stay simple. */
export function freeCosts(): CostModel {
  return new CostModel(
    costsConfigSchema.parse({
      tradingFees: {
        binance: { maker: 0, taker: 0 },
        bybit: { maker: 0, taker: 0 },
        okx: { maker: 0, taker: 0 },
      },
      spotSlippageBps: 0,
      perpSlippageBuckets: [[1e12, 0]],
      gasPriceMultiplier: 1e-6,
    }),
  );
}

export function defaultCosts(): CostModel {
  return new CostModel(costsConfigSchema.parse({}));
}

/** A market data source over hand-made snapshots. */
export function arraySource(snapshots: MarketSnapshot[]) {
  return {
    timestampsMs: snapshots.map((s) => s.tsMs),
    snapshot: (i: number) => snapshots[i]!,
  };
}

/** `count` hourly snapshots from `start`, each shaped by `at(hourIndex)`. */
export function hourly(
  count: number,
  at: (h: number) => Partial<MarketSnapshot>,
  start = Date.UTC(2024, 5, 1),
) {
  return Array.from({ length: count }, (_, h) => market({ tsMs: start + h * 3_600_000, ...at(h) }));
}
