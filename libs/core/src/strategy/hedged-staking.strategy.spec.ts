import { backtestLoop } from '../testing/loop.fixture';
import { ethMarket } from '../testing/eth-market.fixture';
import { defaultCosts, freeCosts, hourly } from '../testing/market.fixture';
import { createStrategy, resolveStrategyConfig } from './strategy.registry';

const hedged = (mode: string) =>
  createStrategy(resolveStrategyConfig(mode, { initialCapital: 100_000 }));

describe.each(['usdt_eth_staking_hedged_simple', 'usdt_eth_staking_hedged_leveraged'])(
  '%s',
  (mode) => {
    it('first loop: funds margin, buys and stakes ETH, shorts perps to a neutral book', async () => {
      const { loop, recorder } = backtestLoop(
        hedged(mode),
        hourly(1, () => ethMarket()),
        freeCosts(),
      );
      await loop.run();
      const ops = recorder.executions.map((e) => e.instruction.operation);
      expect(ops.slice(0, 3)).toEqual(['transfer', 'transfer', 'transfer']);
      expect(ops).toContain('stake');
      expect(ops.filter((o) => o === 'perp_trade')).toHaveLength(3);
      const tick = recorder.ticks[0]!;
      expect(tick.exposure.deltaRatio).toBeLessThan(0.001);
      // Half the equity staked, half as margin: margin ratio ~1 on every venue.
      for (const ratio of Object.values(tick.risk.marginRatio)) expect(ratio).toBeCloseTo(1, 2);
      if (mode.endsWith('leveraged')) expect(tick.risk.aaveLtv).toBeCloseTo(0.65, 3);
    });

    it('rebalances on an ETH rally: sells staked ETH, refills margin, stays delta-neutral', async () => {
      const prices = [3_000, 3_000, 4_200, 4_200];
      const { loop, recorder } = backtestLoop(
        hedged(mode),
        hourly(4, (h) => ethMarket(prices[h]!)),
        defaultCosts(),
      );
      await loop.run();
      const rebalance = recorder.executions.filter((e) => e.tickIndex === 2);
      expect(rebalance.map((e) => e.instruction.operation)).toContain('swap');
      const after = recorder.ticks[2]!;
      for (const ratio of Object.values(after.risk.marginRatio)) expect(ratio).toBeGreaterThan(0.8);
      expect(after.exposure.deltaRatio).toBeLessThan(0.005);
      expect(recorder.executions.filter((e) => e.tickIndex === 3)).toHaveLength(0);
      expect(Math.abs(recorder.ticks[3]!.pnl.unexplainedSc)).toBeLessThan(0.01);
    });
  },
);

describe('eth_staking_only', () => {
  it('stakes on the first loop and sells reward dust over the threshold', async () => {
    const strategy = createStrategy(
      resolveStrategyConfig('eth_staking_only', { initialCapital: 100 }),
    );
    const snapshots = hourly(3, (h) =>
      ethMarket(3_000, h === 1 ? { stakingRewardsPerEth: { 'weETH:EIGEN': 3 / 1.05 } } : {}),
    );
    const { loop, recorder } = backtestLoop(strategy, snapshots, defaultCosts());
    await loop.run();
    expect(recorder.executions[0]!.instruction).toMatchObject({
      operation: 'stake',
      intent: 'entry_full',
    });
    const t1 = recorder.ticks[1]!;
    expect(t1.rewards[0]!.token).toBe('EIGEN');
    // ~95 weETH x 3 EIGEN at 3 USD = ~0.29 ETH, over 0.2 % of equity: sold, and the ETH restaked.
    const sold = recorder.executions.filter((e) => e.tickIndex === 1).map((e) => e.instruction);
    expect(sold.map((i) => `${i.operation}:${i.intent}`)).toEqual([
      'swap:sell_dust',
      'stake:entry_partial',
    ]);
    expect(recorder.ticks[2]!.state.amounts['wallet:BaseToken:EIGEN']).toBe(0);
    expect(t1.pnl.attribution.rewards).toBeCloseTo((t1.rewards[0]!.amount * 3) / 3_000, 9);
  });
});

describe('eth_basis', () => {
  it('opens the same hedged book as btc_basis, in ETH', async () => {
    const strategy = createStrategy(
      resolveStrategyConfig('eth_basis', { initialCapital: 100_000 }),
    );
    const { loop, recorder } = backtestLoop(
      strategy,
      hourly(1, () => ethMarket()),
      freeCosts(),
    );
    await loop.run();
    const a = recorder.ticks[0]!.state.amounts;
    expect(a['binance:BaseToken:ETH']).toBeCloseTo(100_000 / 1.8 / 3_000, 6);
    expect(
      a['binance:Perp:ETHUSDT']! + a['bybit:Perp:ETHUSDT']! + a['okx:Perp:ETHUSDT']!,
    ).toBeCloseTo(-100_000 / 1.8 / 3_000, 6);
  });
});
