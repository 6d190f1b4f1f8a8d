import {
  executionReportSchema,
  exposureSchema,
  pnlReportSchema,
  positionSnapshotSchema,
  riskReportSchema,
  strategyDecisionSchema,
} from '@tightloop/contracts';
import { createStrategy, resolveStrategyConfig } from '../strategy/strategy.registry';
import { backtestLoop } from '../testing/loop.fixture';
import { defaultCosts, hourly } from '../testing/market.fixture';

// Every stage's output must pass the schema another process would validate it with.
describe('stage outputs match their contracts', () => {
  it('holds for a btc_basis run through entry, funding and a rebalance', async () => {
    const prices = [60_000, 61_000, 80_000, 79_000, 79_500];
    const snapshots = hourly(5, (h) => ({
      pricesUsd: { USDT: 1, BTC: prices[h]!, ETH: 3_000 },
      spotUsd: { 'binance:BTC': prices[h]! },
      perpMarkUsd: { 'binance:BTC': prices[h]!, 'bybit:BTC': prices[h]!, 'okx:BTC': prices[h]! },
      fundingRatePer8h: (h === 4
        ? { 'binance:BTC': 1e-4, 'bybit:BTC': 2e-4, 'okx:BTC': -1e-4 }
        : {}) as Record<string, number>,
    }));
    const strategy = createStrategy(resolveStrategyConfig('btc_basis'));
    const { loop, recorder } = backtestLoop(strategy, snapshots, defaultCosts());
    await loop.run();
    expect(recorder.ticks).toHaveLength(5);
    for (const tick of recorder.ticks) {
      positionSnapshotSchema.parse(tick.state);
      exposureSchema.parse(tick.exposure);
      riskReportSchema.parse(tick.risk);
      pnlReportSchema.parse(tick.pnl);
    }
    const units = recorder.executions.map((e) => ({
      kind: 'single' as const,
      instruction: e.instruction,
    }));
    strategyDecisionSchema.parse({ units });
    for (const e of recorder.executions) {
      executionReportSchema.parse({
        fills: e.fill ? [e.fill] : [],
        reconciliation: e.reconciliation,
      });
    }
    expect(recorder.executions.some((e) => e.tickIndex === 2)).toBe(true);
  });
});
