import { positionKey, type ExecutionUnit, type MarketSnapshot } from '@tightloop/contracts';
import { amountOf, type PositionState } from '../../positions/position-state';
import type { StrategyContext } from '../strategy.port';
import { order, SPOT_VENUE, spotPrice, type LongLeg, type OrderTag } from './long-leg';

/** The asset held spot on the spot venue (the cash leg of a basis trade). */
export class CexSpotLeg implements LongLeg {
  readonly keys;
  readonly needs;
  private readonly key;

  constructor(readonly asset: 'BTC' | 'ETH') {
    this.key = positionKey(SPOT_VENUE, 'BaseToken', asset);
    this.keys = [this.key];
    this.needs = [`spotUsd:${SPOT_VENUE}:${asset}`] as const;
  }

  units(state: PositionState, _market: MarketSnapshot): number {
    return amountOf(state, this.key);
  }

  costToGrow(ctx: StrategyContext, units: number): number {
    return (
      units *
      spotPrice(ctx, this.asset) *
      (1 + ctx.costs.takerFeeRate(SPOT_VENUE) + 2 * ctx.costs.spotSlippage())
    );
  }

  shrink(
    ctx: StrategyContext,
    _state: PositionState,
    units: number,
    tag: OrderTag,
  ): ExecutionUnit[] {
    return [
      order(
        ctx,
        tag,
        {
          operation: 'spot_trade',
          venue: SPOT_VENUE,
          asset: this.asset,
          side: 'sell',
          amount: units,
        },
        `sell spot ${this.asset}`,
      ),
    ];
  }

  grow(ctx: StrategyContext, _state: PositionState, units: number, tag: OrderTag): ExecutionUnit[] {
    return [
      order(
        ctx,
        tag,
        {
          operation: 'spot_trade',
          venue: SPOT_VENUE,
          asset: this.asset,
          side: 'buy',
          amount: units,
        },
        `buy spot ${this.asset}`,
      ),
    ];
  }
}
