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
 */
export class SpeculatedTicks {
  private first = -1;
  private opened: OpenedTick[] = [];
  private markets: MarketSnapshot[] = [];
  private assumed = '';

  /** `opened[k]` is tick `req.tickIndex + k`, opened on `markets[k]`. */
  keep(req: OpenTickRequest, opened: OpenedTick[], markets: MarketSnapshot[]): void {
    this.first = req.tickIndex;
    this.opened = opened;
    this.markets = markets;
    this.assumed = assumptions(req);
  }

  /** The speculated opening of the tick `req` opens, if the speculation holds for it. */
  take(req: OpenTickRequest): OpenedTick | undefined {
    const k = req.tickIndex - this.first;
    const opened = this.opened[k];
    const previous = this.opened[k - 1];
    if (k < 1 || !opened || !previous) return this.discard();
    const { refresh, moveFrom } = req;
    const holds =
      refresh.state === previous.chained.result.state &&
      req.pnl === previous.chained.pnl &&
      refresh.deposits.length === 0 &&
      refresh.market.tsMs === this.markets[k]!.tsMs &&
      moveFrom?.state === previous.chained.result.state &&
      moveFrom.market.tsMs === this.markets[k - 1]!.tsMs &&
      assumptions(req) === this.assumed;
    return holds ? opened : this.discard();
  }

  private discard(): undefined {
    this.first = -1;
    this.opened = [];
    this.markets = [];
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
