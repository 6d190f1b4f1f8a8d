import type { MarketSnapshot } from '@tightloop/contracts';
import type { OpenedTick, OpenTickRequest } from '@tightloop/core';

/**
 * The ticks one chained message opened after the one the loop asked for, kept until the
 * loop asks for them. A backtest knows its future markets, so the opening chain can run
 * ahead on the assumption that nothing is executed and no capital moves in between; the
 * loop then takes a speculated tick only if the request it makes for that tick is the one
 * the speculation assumed: the very positions and pnl objects the previous tick left (so
 * no unit was executed and no withdrawal paid since), no deposit, the same pending
 * withdrawal, limits and liquidation parameters. Anything else discards the rest, and the
 * tick is opened anew. Results are therefore those of opening every tick in turn.
 *
 * Every tick sent ahead that the loop will not take (the chain did not open it, or its
 * speculation is discarded) goes to `onDiscard` once, as soon as that is known: for the
 * tick being asked for, before `take` returns.
 */
export class SpeculatedTicks {
  private first = -1;
  private opened: OpenedTick[] = [];
  private markets: MarketSnapshot[] = [];
  private assumed = '';
  /** Position in `opened` of the first tick not handed over yet. */
  private next = 0;

  constructor(private readonly onDiscard: (tickIndex: number) => void = () => undefined) {}

  /**
   * `opened[k]` is tick `req.tickIndex + k`, opened on `markets[k]`; the ticks of
   * `markets` past `opened` were sent but not opened.
   */
  keep(req: OpenTickRequest, opened: OpenedTick[], markets: MarketSnapshot[]): void {
    this.discardAll();
    this.first = req.tickIndex;
    this.opened = opened;
    this.markets = markets;
    this.assumed = assumptions(req);
    this.next = 1;
    for (let k = opened.length; k < markets.length; k++) this.onDiscard(req.tickIndex + k);
  }

  /** The speculated opening of the tick `req` opens, if the speculation holds for it. */
  take(req: OpenTickRequest): OpenedTick | undefined {
    const k = req.tickIndex - this.first;
    const opened = this.opened[k];
    const previous = this.opened[k - 1];
    if (k < 1 || !opened || !previous) return this.discardAll();
    const { refresh, moveFrom } = req;
    const holds =
      refresh.state === previous.chained.result.state &&
      req.pnl === previous.chained.pnl &&
      refresh.deposits.length === 0 &&
      refresh.market.tsMs === this.markets[k]!.tsMs &&
      moveFrom?.state === previous.chained.result.state &&
      moveFrom.market.tsMs === this.markets[k - 1]!.tsMs &&
      assumptions(req) === this.assumed;
    if (!holds) return this.discardAll();
    this.next = k + 1;
    return opened;
  }

  /** Gives up every tick not handed over yet. */
  discardAll(): undefined {
    for (let k = this.next; k < this.opened.length; k++) this.onDiscard(this.first + k);
    this.first = -1;
    this.opened = [];
    this.markets = [];
    this.next = 0;
    return undefined;
  }
}

/** What every speculated tick takes over from the first: the same for each tick of a run. */
function assumptions(req: OpenTickRequest): string {
  return JSON.stringify([
    req.refresh.shareClass,
    req.refresh.liquidation,
    req.limits,
    req.pendingWithdrawalSc,
  ]);
}
