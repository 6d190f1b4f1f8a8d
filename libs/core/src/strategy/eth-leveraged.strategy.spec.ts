import { backtestLoop } from '../testing/loop.fixture';
import { ethMarket } from '../testing/eth-market.fixture';
import { defaultCosts, freeCosts, hourly } from '../testing/market.fixture';
import { createStrategy, resolveStrategyConfig } from './strategy.registry';

const leveraged = (aave: Record<string, unknown> = {}) =>
  createStrategy(resolveStrategyConfig('eth_leveraged', { initialCapital: 100, aave }));

describe('eth_leveraged', () => {
  it('first loop: one atomic flash-loan group to the target LTV', async () => {
    const { loop, recorder } = backtestLoop(
      leveraged(),
      hourly(1, () => ethMarket()),
      freeCosts(),
    );
    await loop.run();
    const ops = recorder.executions.map((e) => e.instruction.operation);
    expect(ops).toEqual(['flash_borrow', 'stake', 'stake', 'supply', 'borrow', 'flash_repay']);
    expect(new Set(recorder.executions.map((e) => e.atomicGroupId)).size).toBe(1);
    const tick = recorder.ticks[0]!;
    // Equity E = 100 ETH: collateral E / (1 - 0.65), debt 0.65 E / (1 - 0.65).
    expect(tick.risk.aaveLtv).toBeCloseTo(0.65, 9);
    expect(tick.exposure.equitySc).toBeCloseTo(100, 6);
    expect(tick.exposure.assetsSc).toBeCloseTo(100 / 0.35, 4);
    expect(tick.risk.healthFactor).toBeCloseTo(0.95 / 0.65, 9);
    expect(tick.state.amounts['instadapp:BaseToken:WETH']).toBeCloseTo(0, 9);
    // Reconciled once for the whole group.
    expect(recorder.executions.filter((e) => e.reconciliation).length).toBe(1);
  });

  it('deleverages back to target when debt growth pushes LTV over its band', async () => {
    const snapshots = hourly(3, (h) =>
      ethMarket(3_000, { aaveBorrowIndex: { weETH: 1.002, WETH: h < 2 ? 1.03 : 1.03 * 1.04 } }),
    );
    const { loop, recorder } = backtestLoop(leveraged(), snapshots, defaultCosts());
    await loop.run();
    const group = recorder.executions
      .filter((e) => e.tickIndex === 2)
      .map((e) => e.instruction.operation);
    expect(group).toEqual(['flash_borrow', 'repay', 'withdraw', 'swap', 'flash_repay']);
    expect(recorder.ticks[2]!.risk.aaveLtv).toBeCloseTo(0.65, 3);
  });

  it('unwinds the loop entirely when the health factor breaches the exit level', async () => {
    // An LST depeg in the oracle: collateral falls 30 % against the debt.
    const snapshots = hourly(3, (h) =>
      ethMarket(
        3_000,
        h < 2 ? {} : { lstRateEth: { weETH: 0.735 }, lstMarketRateEth: { weETH: 0.734 } },
      ),
    );
    const { loop, recorder } = backtestLoop(leveraged(), snapshots, defaultCosts());
    await loop.run();
    const exit = recorder.executions.filter((e) => e.tickIndex === 2);
    expect(exit.every((e) => e.instruction.intent === 'exit_full')).toBe(true);
    expect(recorder.ticks[2]!.state.amounts['aave_v3:debtToken:debtWETH']).toBeCloseTo(0, 9);
    expect(recorder.ticks[2]!.risk.healthFactor).toBeNull();
  });

  it('explains its equity change with staking, supply, borrow and cost attribution', async () => {
    const snapshots = hourly(24, (h) =>
      ethMarket(3_000 + h, {
        lstRateEth: { weETH: 1.05 * (1 + h * 3e-6) },
        aaveSupplyIndex: { weETH: 1.001 * (1 + h * 1e-7), WETH: 1.02 },
        aaveBorrowIndex: { weETH: 1.002, WETH: 1.03 * (1 + h * 2e-6) },
      }),
    );
    const { loop, recorder } = backtestLoop(leveraged(), snapshots, defaultCosts());
    await loop.run();
    const pnl = recorder.ticks[23]!.pnl;
    expect(pnl.attribution.stakingYield).toBeGreaterThan(0);
    expect(pnl.attribution.borrowCost).toBeLessThan(0);
    expect(Math.abs(pnl.unexplainedSc)).toBeLessThan(1e-9 * 100);
  });
});

describe('eth_leveraged risk refusals', () => {
  it('refuses a loop whose projected LTV breaks the e-mode maximum, records why, and changes nothing', async () => {
    const { loop, recorder } = backtestLoop(
      leveraged({ targetLtv: 0.94 }),
      hourly(2, () => ethMarket()),
      freeCosts(),
    );
    await loop.run();
    expect(recorder.executions.length).toBeGreaterThan(0);
    expect(recorder.executions.every((e) => e.outcome === 'refused')).toBe(true);
    // Both hard limits would break: health factor 0.95 / 0.94 under 1.1, LTV 0.94 over 0.93.
    const refusals = recorder.events.filter((e) => e.message.startsWith('refused'));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ code: 'RISK.HEALTH_FACTOR_TOO_LOW' });
    expect(refusals[0]!.message).toContain('0.9400 vs limit 0.93');
    expect(recorder.ticks[1]!.state.amounts['wallet:BaseToken:ETH']).toBe(100);
    expect(recorder.ticks[1]!.state.amounts['aave_v3:debtToken:debtWETH']).toBe(0);
  });

  it('raises a depeg event when the LST trades under its oracle rate', async () => {
    const snapshots = hourly(2, (h) =>
      ethMarket(3_000, h === 1 ? { lstMarketRateEth: { weETH: 1.05 * 0.97 } } : {}),
    );
    const { loop, recorder } = backtestLoop(leveraged(), snapshots, freeCosts());
    await loop.run();
    expect(recorder.ticks[1]!.risk.lstDepeg.weETH).toBeCloseTo(0.03, 9);
    expect(recorder.ticks[1]!.risk.events.find((e) => e.code === 'RISK.LST_DEPEG')).toMatchObject({
      severity: 'breach',
    });
  });
});
