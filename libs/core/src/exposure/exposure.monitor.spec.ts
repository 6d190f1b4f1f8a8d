import { applyDeltas, emptyPositions } from '../positions/position-state';
import { market } from '../testing/market.fixture';
import { computeExposure } from './exposure.monitor';

describe('exposure monitor', () => {
  it('values an AAVE supply as scaled units times the reserve index', () => {
    const key = 'aave_v3:aToken:aUSDT' as const;
    const state = applyDeltas(emptyPositions([key]), [{ key, amount: 1_000 / 1.05 }]);
    const exposure = computeExposure(state, market({ aaveSupplyIndex: { USDT: 1.06 } }), 'USDT');
    expect(exposure.equitySc).toBeCloseTo((1_000 / 1.05) * 1.06, 9);
    expect(exposure.netDelta).toEqual({});
  });

  it('counts perp unrealised PnL in equity and its size in net delta, not its notional', () => {
    const state = applyDeltas(
      emptyPositions(['binance:BaseToken:BTC', 'binance:Perp:BTCUSDT', 'binance:BaseToken:USDT']),
      [
        { key: 'binance:BaseToken:BTC', amount: 1 },
        { key: 'binance:BaseToken:USDT', amount: 20_000 },
        { key: 'binance:Perp:BTCUSDT', amount: -1, priceUsd: 60_000 },
      ],
    );
    const m = market({
      pricesUsd: { USDT: 1, BTC: 66_000, ETH: 3_000 },
      perpMarkUsd: { 'binance:BTC': 66_100 },
    });
    const exposure = computeExposure(state, m, 'USDT');
    expect(exposure.perpUpnlSc).toBeCloseTo(-6_100, 9);
    expect(exposure.perpNotionalSc).toBeCloseTo(66_100, 9);
    expect(exposure.equitySc).toBeCloseTo(66_000 + 20_000 - 6_100, 9);
    expect(exposure.netDelta.BTC).toBe(0);
  });

  it('prices LSTs at their ETH rate and debts as liabilities', () => {
    const state = applyDeltas(
      emptyPositions(['aave_v3:aToken:aweETH', 'aave_v3:debtToken:debtWETH']),
      [
        { key: 'aave_v3:aToken:aweETH', amount: 10 },
        { key: 'aave_v3:debtToken:debtWETH', amount: 5 },
      ],
    );
    const m = market({
      aaveSupplyIndex: { weETH: 1.01 },
      aaveBorrowIndex: { WETH: 1.1 },
      lstRateEth: { weETH: 1.05 },
    });
    const exposure = computeExposure(state, m, 'ETH');
    expect(exposure.assetsSc).toBeCloseTo(10 * 1.01 * 1.05, 9);
    expect(exposure.debtsSc).toBeCloseTo(5 * 1.1, 9);
    expect(exposure.equitySc).toBeCloseTo(10 * 1.01 * 1.05 - 5.5, 9);
  });
});
