import { STAGE_OPERATIONS } from './stage-requests';
import {
  nextInTickChain,
  TICK_CHAIN,
  tickChainOperationOf,
  tickChainLength,
  tickChainRequest,
  tickChainSubject,
  type TickChainMessage,
} from './tick-chain';

const market = {
  tsMs: Date.UTC(2024, 5, 1),
  pricesUsd: { USDT: 1 },
  spotUsd: {},
  perpMarkUsd: {},
  fundingRatePer8h: {},
  aaveSupplyIndex: {},
  aaveBorrowIndex: {},
  lstRateEth: {},
  gasPriceGwei: 10,
};
const state = { amounts: { 'wallet:BaseToken:USDT': 100 }, perps: {} };

function refreshedOutput(refreshed: typeof state) {
  return {
    state: refreshed,
    funding: [],
    rewards: [],
    liquidations: [],
    capitalSc: 50,
    attribution: { funding: 1 },
  };
}

function message(): TickChainMessage {
  return {
    runId: 'run-1',
    tickIndex: 3,
    attempt: 1,
    replyTo: 'reply',
    input: {
      state,
      market,
      deposits: [],
      shareClass: 'USDT',
      liquidation: {
        maintenanceMarginRatio: 0.1,
        liquidationFeeRate: 0.005,
        aaveLiquidationThreshold: 0.95,
        aaveLiquidationBonus: 0.01,
      },
      limits: {
        maintenanceMarginRatio: 0.1,
        marginRatioWarn: 0.15,
        deltaRatioWarn: 0.005,
        deltaRatioMax: 0.02,
        healthFactorMin: 1.05,
      },
      pnl: { netCapitalSc: 0, cumulative: {} as never, peakEquitySc: 0 },
      moveFrom: null,
      config: {} as never,
      pendingWithdrawalSc: 0,
    },
    ahead: [],
    out: [],
  };
}

describe('tick chain', () => {
  it('runs the five opening stages in the mandated order, then replies', () => {
    expect(TICK_CHAIN).toEqual([
      'positions.refresh',
      'exposure.compute',
      'risk.assess',
      'pnl.update',
      'strategy.decide',
    ]);
    expect(TICK_CHAIN.map(nextInTickChain)).toEqual([...TICK_CHAIN.slice(1), null]);
  });

  it("builds each stage's ordinary request from the message, valid against its schema", () => {
    const msg = message();
    const refresh = tickChainRequest('positions.refresh', msg);
    expect(refresh).toMatchObject({ runId: 'run-1', tickIndex: 3, seq: 0, state, market });
    expect(STAGE_OPERATIONS['positions.refresh'].request.safeParse(refresh).success).toBe(true);

    const refreshed = { ...state, amounts: { 'wallet:BaseToken:USDT': 150 } };
    msg.out[0] = { 'positions.refresh': refreshedOutput(refreshed) };
    const exposure = tickChainRequest('exposure.compute', msg);
    expect(exposure).toMatchObject({ seq: 1, state: refreshed, shareClass: 'USDT' });
    expect(STAGE_OPERATIONS['exposure.compute'].request.safeParse(exposure).success).toBe(true);
  });

  it('opens each tick ahead from the one before it, as if nothing were executed in between', () => {
    const msg = message();
    const next = { ...market, tsMs: market.tsMs + 3_600_000 };
    msg.ahead = [next];
    expect(tickChainLength('positions.refresh', msg)).toBe(2);
    const first = { ...state, amounts: { 'wallet:BaseToken:USDT': 150 } };
    const pnlAfterFirst = { netCapitalSc: 150, cumulative: {} as never, peakEquitySc: 150 };
    msg.out[0] = {
      'positions.refresh': refreshedOutput(first),
      'pnl.update': { pnl: pnlAfterFirst, report: {} as never },
    };

    const refresh = tickChainRequest('positions.refresh', msg, 1);
    expect(refresh).toMatchObject({
      tickIndex: 4,
      seq: 0,
      state: first,
      market: next,
      deposits: [],
    });
    expect(STAGE_OPERATIONS['positions.refresh'].request.safeParse(refresh).success).toBe(true);

    msg.out[1] = { 'positions.refresh': refreshedOutput(first), 'exposure.compute': {} as never };
    const pnl = tickChainRequest('pnl.update', msg, 1);
    expect(pnl).toMatchObject({
      tickIndex: 4,
      pnl: pnlAfterFirst,
      market: next,
      moveFrom: { state: first, market },
    });
    // Past the first stage, a stage opens the ticks the stages before it kept.
    expect(tickChainLength('exposure.compute', msg)).toBe(2);
    msg.out.length = 1;
    expect(tickChainLength('exposure.compute', msg)).toBe(1);
  });

  it('refuses to build a stage whose inputs have not been computed yet', () => {
    expect(() => tickChainRequest('risk.assess', message())).toThrow(
      'tick chain: exposure.compute has not run yet',
    );
  });

  it('names the operation of a chain subject, and nothing else', () => {
    expect(tickChainOperationOf(tickChainSubject('run-1', 'pnl.update'))).toBe('pnl.update');
    expect(tickChainOperationOf('tightloop-chain.run-1.execution.execute')).toBeUndefined();
    expect(tickChainOperationOf('tightloop-rpc.run-1.pnl.update')).toBeUndefined();
    expect(() => tickChainSubject('bad.run', 'pnl.update')).toThrow();
  });
});
