import { market } from '../testing/market.fixture';
import { settleTick } from './position.monitor';
import { applyDeltas, emptyPositions } from './position-state';

const PERP = 'binance:Perp:BTCUSDT' as const;
const USDT = 'binance:BaseToken:USDT' as const;

describe('position monitor', () => {
  const opened = applyDeltas(emptyPositions([PERP, USDT]), [
    { key: USDT, amount: 10_000 },
    { key: PERP, amount: -1, priceUsd: 60_000 },
  ]);

  it('credits a short across two funding settlements: pay = -size x mark x rate', () => {
    const at8 = market({
      tsMs: Date.UTC(2024, 5, 1, 8),
      perpMarkUsd: { 'binance:BTC': 61_000 },
      fundingRatePer8h: { 'binance:BTC': 0.0001 },
    });
    const first = settleTick(opened, at8, []);
    expect(first.funding).toHaveLength(1);
    expect(first.funding[0]!.amountUsd).toBeCloseTo(6.1, 10);

    const at16 = market({
      tsMs: Date.UTC(2024, 5, 1, 16),
      perpMarkUsd: { 'binance:BTC': 59_000 },
      fundingRatePer8h: { 'binance:BTC': -0.00005 },
    });
    const second = settleTick(first.state, at16, []);
    expect(second.funding[0]!.amountUsd).toBeCloseTo(-2.95, 10);
    expect(second.state.amounts[USDT]).toBeCloseTo(10_000 + 6.1 - 2.95, 9);
    expect(second.state.perps[PERP]!.fundingAccruedUsd).toBeCloseTo(3.15, 10);
  });

  it('pays no funding between settlement instants', () => {
    const between = market({ tsMs: Date.UTC(2024, 5, 1, 9) });
    expect(settleTick(opened, between, []).funding).toEqual([]);
  });

  it('lands initial capital in the wallet', () => {
    const wallet = 'wallet:BaseToken:USDT' as const;
    const settled = settleTick(emptyPositions([wallet]), market(), [
      { asset: 'USDT', amount: 5_000 },
    ]);
    expect(settled.state.amounts[wallet]).toBe(5_000);
  });

  it('refuses a delta to a key the strategy did not subscribe to', () => {
    expect(() =>
      applyDeltas(emptyPositions([USDT]), [{ key: 'okx:BaseToken:USDT', amount: 1 }]),
    ).toThrow('POS.UNDECLARED_KEY');
  });

  it('refuses a token balance below zero', () => {
    expect(() => applyDeltas(emptyPositions([USDT]), [{ key: USDT, amount: -1 }])).toThrow(
      'POS.NEGATIVE_BALANCE',
    );
  });

  it('keeps a size-weighted entry price and keeps it when reducing', () => {
    const added = applyDeltas(opened, [{ key: PERP, amount: -1, priceUsd: 62_000 }]);
    expect(added.perps[PERP]!.entryPriceUsd).toBe(61_000);
    const reduced = applyDeltas(added, [{ key: PERP, amount: 0.5, priceUsd: 50_000 }]);
    expect(reduced.perps[PERP]!.entryPriceUsd).toBe(61_000);
    expect(reduced.amounts[PERP]).toBe(-1.5);
  });
});
