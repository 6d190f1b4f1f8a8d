import { computeExposure } from '../exposure/exposure.monitor';
import { applyDeltas, emptyPositions } from '../positions/position-state';
import { market } from '../testing/market.fixture';
import { assessRisk, worsenedHardBreaches } from './risk.monitor';

const limits = {
  maintenanceMarginRatio: 0.1,
  marginRatioWarn: 0.15,
  deltaRatioWarn: 0.005,
  deltaRatioMax: 0.02,
  healthFactorMin: 1.1,
};

describe('risk monitor', () => {
  const keys = ['bybit:BaseToken:USDT', 'bybit:Perp:BTCUSDT'] as const;
  const short = (usdt: number) =>
    applyDeltas(emptyPositions([...keys]), [
      { key: 'bybit:BaseToken:USDT', amount: usdt },
      { key: 'bybit:Perp:BTCUSDT', amount: -1, priceUsd: 60_000 },
    ]);

  it('margin ratio = (USDT + uPnL) / notional per venue', () => {
    const m = market({ perpMarkUsd: { 'bybit:BTC': 66_000 } });
    const risk = assessRisk(computeExposure(short(12_000), m, 'USDT'), limits);
    expect(risk.marginRatio.bybit).toBeCloseTo((12_000 - 6_000) / 66_000, 12);
    expect(risk.events.map((e) => e.code)).toEqual([
      'RISK.MARGIN_RATIO_BELOW_MAINTENANCE',
      'RISK.DELTA_LIMIT',
    ]);
  });

  it('LTV and health factor from AAVE collateral and debt', () => {
    const state = applyDeltas(
      emptyPositions(['aave_v3:aToken:aweETH', 'aave_v3:debtToken:debtWETH']),
      [
        { key: 'aave_v3:aToken:aweETH', amount: 10 },
        { key: 'aave_v3:debtToken:debtWETH', amount: 8 },
      ],
    );
    const m = market({
      aaveSupplyIndex: { weETH: 1 },
      aaveBorrowIndex: { WETH: 1 },
      lstRateEth: { weETH: 1 },
    });
    const risk = assessRisk(computeExposure(state, m, 'ETH'), {
      ...limits,
      aaveLiquidationThreshold: 0.95,
    });
    expect(risk.aaveLtv).toBeCloseTo(0.8, 12);
    expect(risk.healthFactor).toBeCloseTo(0.95 / 0.8, 12);
  });

  it('treats a deeper margin breach as worsening, a shallower one as not', () => {
    const m = market({ perpMarkUsd: { 'bybit:BTC': 66_000 } });
    const before = assessRisk(computeExposure(short(12_000), m, 'USDT'), limits);
    const worse = assessRisk(computeExposure(short(11_000), m, 'USDT'), limits);
    const better = assessRisk(computeExposure(short(13_000), m, 'USDT'), limits);
    expect(worsenedHardBreaches(before, worse).map((e) => e.code)).toEqual([
      'RISK.MARGIN_RATIO_BELOW_MAINTENANCE',
    ]);
    expect(worsenedHardBreaches(before, better)).toEqual([]);
  });
});
