import {
  createStrategy,
  resolveStrategyConfig,
  capitalFlowsOf,
} from '../strategy/strategy.registry';
import { backtestLoop } from '../testing/loop.fixture';
import { freeCosts, hourly } from '../testing/market.fixture';

function run(mode: string, flows: { at: string; amount: number }[], count = 4) {
  const config = resolveStrategyConfig(mode, { initialCapital: 100_000, capitalFlows: flows });
  return backtestLoop(
    createStrategy(config),
    hourly(count, () => ({})),
    freeCosts(),
    capitalFlowsOf(config),
  );
}

describe('deposits and withdrawals', () => {
  it('a deposit lands in the wallet and is put to work; it is capital, not pnl', async () => {
    const { loop, recorder } = run('pure_lending_usdt', [
      { at: '2024-06-01T02:00:00Z', amount: 50_000 },
    ]);
    await loop.run();
    const t2 = recorder.ticks[2]!;
    expect(
      recorder.executions.filter((e) => e.tickIndex === 2).map((e) => e.instruction.intent),
    ).toEqual(['entry_partial']);
    expect(t2.pnl.equitySc).toBeCloseTo(150_000, 2);
    expect(Math.abs(t2.pnl.pnlCumSc)).toBeLessThan(0.01);
  });

  it('a withdrawal unwinds 1:1 and is paid out of the wallet', async () => {
    const { loop, recorder } = run('btc_basis', [{ at: '2024-06-01T02:00:00Z', amount: -40_000 }]);
    await loop.run();
    const [before, after] = [recorder.ticks[1]!, recorder.ticks[2]!];
    expect(after.pendingWithdrawalSc).toBe(0);
    expect(after.pnl.equitySc).toBeCloseTo(before.pnl.equitySc - 40_000, 0);
    // Every leg scaled down by the same factor.
    const scale = (key: string) =>
      after.state.amounts[key as never]! / before.state.amounts[key as never]!;
    for (const key of [
      'binance:BaseToken:BTC',
      'binance:Perp:BTCUSDT',
      'bybit:Perp:BTCUSDT',
      'okx:Perp:BTCUSDT',
    ]) {
      expect(scale(key)).toBeCloseTo(0.6, 3);
    }
    expect(after.exposure.deltaRatio).toBeLessThan(0.001);
  });
});
