import { createStrategy, resolveStrategyConfig } from './strategy.registry';
import { backtestLoop } from '../testing/loop.fixture';
import { defaultCosts, freeCosts, hourly } from '../testing/market.fixture';

const btcAt = (price: number) => ({
  pricesUsd: { USDT: 1, BTC: price, ETH: 3_000 },
  spotUsd: { 'binance:BTC': price },
  perpMarkUsd: { 'binance:BTC': price, 'bybit:BTC': price, 'okx:BTC': price },
});

function basis(overrides: Record<string, unknown> = {}) {
  return createStrategy(
    resolveStrategyConfig('btc_basis', { initialCapital: 100_000, ...overrides }),
  );
}

describe('btc_basis', () => {
  it('first loop: funds each venue, buys spot, shorts perps 0.4/0.3/0.3', async () => {
    const { loop, recorder } = backtestLoop(
      basis(),
      hourly(1, () => btcAt(60_000)),
      freeCosts(),
    );
    await loop.run();
    const ops = recorder.executions.map((e) => `${e.instruction.operation}:${e.instruction.venue}`);
    expect(ops).toEqual([
      'transfer:wallet',
      'transfer:wallet',
      'transfer:wallet',
      'spot_trade:binance',
      'perp_trade:binance',
      'perp_trade:bybit',
      'perp_trade:okx',
    ]);
    const tick = recorder.ticks[0]!;
    const a = tick.state.amounts;
    // No costs: deployable = equity; notional N = 100k / 1.8; spot = N / P.
    const qty = 100_000 / 1.8 / 60_000;
    expect(a['binance:BaseToken:BTC']).toBeCloseTo(qty, 7); // less a negligible gas reserve
    expect(a['binance:Perp:BTCUSDT']).toBeCloseTo(-0.4 * qty, 7);
    expect(a['bybit:Perp:BTCUSDT']).toBeCloseTo(-0.3 * qty, 7);
    expect(a['okx:Perp:BTCUSDT']).toBeCloseTo(-0.3 * qty, 7);
    for (const ratio of Object.values(tick.risk.marginRatio)) expect(ratio).toBeCloseTo(0.8, 6);
    expect(tick.exposure.deltaRatio).toBeLessThan(1e-9);
  });

  it('rebalances when a rally drains perp margin, restoring target ratios and zero delta', async () => {
    const prices = [60_000, 60_000, 75_000, 75_000];
    const { loop, recorder } = backtestLoop(
      basis(),
      hourly(4, (h) => btcAt(prices[h]!)),
      freeCosts(),
    );
    await loop.run();
    const rally = recorder.ticks[2]!;
    const rebalance = recorder.executions.filter((e) => e.tickIndex === 2);
    expect(rebalance.length).toBeGreaterThan(0);
    expect(rebalance.every((e) => e.instruction.intent === 'rebalance')).toBe(true);
    // Reduce first (sell spot, buy back shorts), then move USDT, then nothing to add.
    expect(rebalance[0]!.instruction).toMatchObject({ operation: 'spot_trade', side: 'sell' });
    for (const ratio of Object.values(rally.risk.marginRatio)) expect(ratio).toBeCloseTo(0.8, 3);
    expect(rally.exposure.deltaRatio).toBeLessThan(1e-3);
    expect(recorder.executions.filter((e) => e.tickIndex === 3)).toHaveLength(0);
  });

  it('keeps costs out of thin air: fees, slippage and gas explain the equity lost at entry', async () => {
    const { loop, recorder } = backtestLoop(
      basis(),
      hourly(1, () => btcAt(60_000)),
      defaultCosts(),
    );
    await loop.run();
    const pnl = recorder.ticks[0]!.pnl;
    expect(pnl.pnlCumSc).toBeLessThan(0);
    const costs = pnl.attribution.tradingFees + pnl.attribution.slippage + pnl.attribution.gas;
    expect(costs).toBeCloseTo(pnl.pnlCumSc, 6);
  });
});
