import type { MarketSnapshot } from '@tightloop/contracts';
import type { OpenedTick, OpenTickRequest } from '@tightloop/core';
import { SpeculatedTicks } from './speculated-ticks';

const market = (tsMs: number) => ({ tsMs }) as MarketSnapshot;
const HOUR = 3_600_000;

/** An opened tick as the chain returns it: its own positions and pnl objects. */
function opened(n: number): OpenedTick {
  return {
    refreshed: {} as never,
    chained: { result: { state: { n } } as never, pnl: { n } as never },
    units: [],
  };
}

function request(tickIndex: number, prev: OpenedTick | null, tsMs: number): OpenTickRequest {
  return {
    tickIndex,
    refresh: {
      state: (prev?.chained.result.state ?? {}) as never,
      market: market(tsMs),
      deposits: [],
      shareClass: 'USDT',
      liquidation: {} as never,
    },
    pnl: (prev?.chained.pnl ?? {}) as never,
    moveFrom: prev ? { state: prev.chained.result.state, market: market(tsMs - HOUR) } : null,
    limits: { maintenanceMarginRatio: 0.1 } as never,
    pendingWithdrawalSc: 0,
  };
}

describe('speculated ticks', () => {
  const ticks = [opened(0), opened(1), opened(2)];
  const markets = [market(0), market(HOUR), market(2 * HOUR)];

  function kept(): SpeculatedTicks {
    const s = new SpeculatedTicks();
    s.keep(request(10, null, 0), ticks, markets);
    return s;
  }

  it('hands over each tick ahead when the loop asks exactly what was assumed', () => {
    const s = kept();
    expect(s.take(request(11, ticks[0]!, HOUR))).toBe(ticks[1]);
    expect(s.take(request(12, ticks[1]!, 2 * HOUR))).toBe(ticks[2]);
    expect(s.take(request(13, ticks[2]!, 3 * HOUR))).toBeUndefined(); // past what was opened
  });

  it('opens anew when a unit was executed in between: other positions, even if equal', () => {
    const s = kept();
    const executed = request(11, ticks[0]!, HOUR);
    executed.refresh.state = { n: 0 } as never;
    expect(s.take(executed)).toBeUndefined();
    // The rest is discarded too: it was built on the tick that did not happen.
    expect(s.take(request(12, ticks[1]!, 2 * HOUR))).toBeUndefined();
  });

  it.each([
    ['a deposit', (r: OpenTickRequest) => r.refresh.deposits.push({ asset: 'USDT', amount: 1 })],
    ['a pending withdrawal', (r: OpenTickRequest) => (r.pendingWithdrawalSc = 5)],
    ['other pnl', (r: OpenTickRequest) => (r.pnl = { n: 0 } as never)],
    ['another market', (r: OpenTickRequest) => (r.refresh.market = market(HOUR + 1))],
    ['other limits', (r: OpenTickRequest) => (r.limits = { maintenanceMarginRatio: 0.2 } as never)],
  ])('opens anew on %s', (_what, change) => {
    const s = kept();
    const req = request(11, ticks[0]!, HOUR);
    change(req);
    expect(s.take(req)).toBeUndefined();
  });

  it('reports each tick sent ahead that the loop will not take, once, when that is known', () => {
    const discarded: number[] = [];
    const s = new SpeculatedTicks((tickIndex) => discarded.push(tickIndex));
    // Sent four ticks; the chain opened three (it stopped at a tick with units, say).
    s.keep(request(10, null, 0), ticks, [...markets, market(3 * HOUR)]);
    expect(discarded).toEqual([13]);
    expect(s.take(request(11, ticks[0]!, HOUR))).toBe(ticks[1]);
    const executed = request(12, ticks[1]!, 2 * HOUR);
    executed.refresh.state = { n: 1 } as never;
    expect(s.take(executed)).toBeUndefined();
    expect(discarded).toEqual([13, 12]);
    expect(s.take(request(13, ticks[2]!, 3 * HOUR))).toBeUndefined();
    s.discardAll();
    expect(discarded).toEqual([13, 12]);

    s.keep(request(20, null, 0), ticks, markets);
    expect(s.take(request(21, ticks[0]!, HOUR))).toBe(ticks[1]);
    s.discardAll(); // the run ends before the loop gets to tick 22
    expect(discarded).toEqual([13, 12, 22]);
  });

  it('never hands over the tick it was asked for; a later one only on the inputs it was built on', () => {
    expect(kept().take(request(10, null, 0))).toBeUndefined();
    expect(kept().take(request(12, ticks[1]!, 2 * HOUR))).toBe(ticks[2]);
    expect(kept().take(request(12, ticks[0]!, 2 * HOUR))).toBeUndefined();
  });
});
