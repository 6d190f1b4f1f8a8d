import { resolveStrategyConfig } from '../strategy/strategy.registry';
import { createStrategy } from '../strategy/strategy.registry';
import type { Strategy } from '../strategy/strategy.port';
import { backtestLoop } from '../testing/loop.fixture';
import { defaultCosts, freeCosts, hourly } from '../testing/market.fixture';

function lending(capital = 100_000): Strategy {
  return createStrategy(resolveStrategyConfig('pure_lending_usdt', { initialCapital: capital }));
}

describe('tight loop', () => {
  it('fails the quality gate when the strategy has no initial capital', async () => {
    const { loop } = backtestLoop(
      lending(0),
      hourly(3, () => ({})),
      freeCosts(),
    );
    await expect(loop.run()).rejects.toThrow('BACKTEST.NO_INITIAL_CAPITAL');
  });

  it('fails the quality gate when the first loop takes no action', async () => {
    const base = lending();
    const doNothing: Strategy = {
      ...base,
      mode: base.mode,
      shareClass: base.shareClass,
      subscriptions: base.subscriptions,
      marketNeeds: base.marketNeeds,
      riskLimits: base.riskLimits,
      initialCapital: () => base.initialCapital(),
      decide: () => [],
    };
    const { loop } = backtestLoop(
      doNothing,
      hourly(3, () => ({})),
      freeCosts(),
    );
    await expect(loop.run()).rejects.toThrow('BACKTEST.NO_FIRST_LOOP_ACTION');
  });

  it('runs the chain after each instruction and reconciles it', async () => {
    const { loop, recorder } = backtestLoop(
      lending(),
      hourly(3, () => ({})),
      defaultCosts(),
    );
    await loop.run();
    expect(recorder.executions).toHaveLength(1);
    const [supply] = recorder.executions;
    expect(supply!.outcome).toBe('executed');
    expect(supply!.reconciliation!.ok).toBe(true);
    expect(supply!.after!.state.amounts['aave_v3:aToken:aUSDT']).toBeGreaterThan(0);
    expect(recorder.ticks).toHaveLength(3);
  });

  it('carries state across ticks: supply yield follows the index', async () => {
    const snapshots = hourly(3, (h) => ({ aaveSupplyIndex: { USDT: 1.05 + h * 0.001 } }));
    const { loop, recorder } = backtestLoop(lending(), snapshots, freeCosts());
    await loop.run();
    const last = recorder.ticks[2]!;
    const supplied = recorder.executions[0]!.instruction.amount;
    const gas = recorder.executions[0]!.fill!.gasUsd;
    expect(last.pnl.equitySc).toBeCloseTo(100_000 - gas + supplied * (1.052 / 1.05 - 1), 6);
    expect(last.pnl.attribution.supplyYield).toBeCloseTo(supplied * (1.052 / 1.05 - 1), 6);
    expect(Math.abs(last.pnl.unexplainedSc)).toBeLessThan(1e-6);
  });

  it('resumes from a checkpoint with the same result as an uninterrupted run', async () => {
    const snapshots = hourly(6, (h) => ({ aaveSupplyIndex: { USDT: 1.05 + h * 0.001 } }));
    const whole = backtestLoop(lending(), snapshots, defaultCosts());
    await whole.loop.run();
    const split = backtestLoop(lending(), snapshots, defaultCosts());
    const half = await split.loop.run(undefined, 3);
    await split.loop.run(half);
    expect(split.recorder.ticks.map((t) => t.pnl)).toEqual(whole.recorder.ticks.map((t) => t.pnl));
  });
});
