import { computeExposure } from '../exposure/exposure.monitor';
import { market } from '../testing/market.fixture';
import { liquidations } from './liquidation';
import { applyDeltas, emptyPositions } from './position-state';

const params = {
  maintenanceMarginRatio: 0.1,
  liquidationFeeRate: 0.005,
  aaveLiquidationThreshold: 0.95,
  aaveLiquidationBonus: 0.01,
};

describe('venue liquidations', () => {
  it('force-closes a CEX account under maintenance margin at the mark, charging a fee', () => {
    const keys = ['okx:BaseToken:USDT', 'okx:Perp:BTCUSDT'] as const;
    const state = applyDeltas(emptyPositions([...keys]), [
      { key: 'okx:BaseToken:USDT', amount: 10_000 },
      { key: 'okx:Perp:BTCUSDT', amount: -1, priceUsd: 60_000 },
    ]);
    const safe = liquidations(state, market({ perpMarkUsd: { 'okx:BTC': 61_000 } }), params);
    expect(safe.liquidations).toEqual([]);
    // At 63,000: equity 10,000 - 3,000 = 7,000 on 63,000 notional = 0.111; at 64,000: 6,000/64,000 < 0.1.
    const hit = liquidations(state, market({ perpMarkUsd: { 'okx:BTC': 64_000 } }), params);
    expect(hit.liquidations[0]!.venue).toBe('okx');
    expect(hit.state.amounts['okx:Perp:BTCUSDT']).toBe(0);
    expect(hit.state.amounts['okx:BaseToken:USDT']).toBeCloseTo(6_000 - 64_000 * 0.005, 9);
  });

  it('lets a liquidator repay half the debt of an AAVE position under health factor 1 and seize collateral plus bonus', () => {
    const keys = ['aave_v3:aToken:aweETH', 'aave_v3:debtToken:debtWETH'] as const;
    const state = applyDeltas(emptyPositions([...keys]), [
      { key: 'aave_v3:aToken:aweETH', amount: 10 },
      { key: 'aave_v3:debtToken:debtWETH', amount: 9.6 },
    ]);
    const m = market({
      aaveSupplyIndex: { weETH: 1 },
      aaveBorrowIndex: { WETH: 1 },
      lstRateEth: { weETH: 1 },
    });
    const before = computeExposure(state, m, 'ETH').equitySc;
    const hit = liquidations(state, m, params);
    expect(hit.liquidations[0]!.venue).toBe('aave_v3');
    expect(hit.state.amounts['aave_v3:debtToken:debtWETH']).toBeCloseTo(4.8, 12);
    expect(hit.state.amounts['aave_v3:aToken:aweETH']).toBeCloseTo(10 - 4.8 * 1.01, 12);
    // The user loses the bonus on the repaid debt.
    expect(computeExposure(hit.state, m, 'ETH').equitySc - before).toBeCloseTo(-4.8 * 0.01, 12);
  });
});
