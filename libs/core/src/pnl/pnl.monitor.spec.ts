import { applyDeltas, emptyPositions } from '../positions/position-state';
import { market } from '../testing/market.fixture';
import { marketMoveAttribution } from './pnl.monitor';

describe('pnl attribution of a market move', () => {
  it('splits an aToken into index accrual and price, and a basis trade into delta and basis', () => {
    const state = applyDeltas(
      emptyPositions(['aave_v3:aToken:aUSDT', 'binance:BaseToken:BTC', 'bybit:Perp:BTCUSDT']),
      [
        { key: 'aave_v3:aToken:aUSDT', amount: 1_000 },
        { key: 'binance:BaseToken:BTC', amount: 1 },
        { key: 'bybit:Perp:BTCUSDT', amount: -1, priceUsd: 60_000 },
      ],
    );
    const before = market({
      aaveSupplyIndex: { USDT: 1.05 },
      perpMarkUsd: { 'bybit:BTC': 60_050 },
    });
    const now = market({
      aaveSupplyIndex: { USDT: 1.0503 },
      pricesUsd: { USDT: 1, BTC: 61_000, ETH: 3_000 },
      perpMarkUsd: { 'bybit:BTC': 61_020 },
    });
    const parts = marketMoveAttribution(state, before, now, 'USDT');
    expect(parts.supplyYield).toBeCloseTo(1_000 * 0.0003, 9);
    // Net BTC delta is 0, so no delta pnl; spot +1,000 and perp -970 leave +30 of basis.
    expect(parts.priceDelta).toBeCloseTo(0, 9);
    expect(parts.basis).toBeCloseTo(1_000 - 970, 9);
  });

  it('books an unhedged long as delta pnl', () => {
    const state = applyDeltas(emptyPositions(['wallet:BaseToken:ETH']), [
      { key: 'wallet:BaseToken:ETH', amount: 2 },
    ]);
    const parts = marketMoveAttribution(
      state,
      market(),
      market({ pricesUsd: { USDT: 1, BTC: 60_000, ETH: 3_100 } }),
      'USDT',
    );
    expect(parts.priceDelta).toBeCloseTo(200, 9);
    expect(parts.basis).toBeCloseTo(0, 9);
  });
});
