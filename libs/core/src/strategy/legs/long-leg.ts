import type {
  ExecutionUnit,
  Instruction,
  Intent,
  MarketNeed,
  MarketSnapshot,
  PositionKey,
} from '@tightloop/contracts';
import type { PositionState } from '../../positions/position-state';
import type { StrategyContext } from '../strategy.port';

/** Where the long side of a hedged carry trade lives; the hedge is perps on its delta. */
export interface LongLeg {
  readonly asset: 'BTC' | 'ETH';
  readonly keys: readonly PositionKey[];
  readonly needs: readonly MarketNeed[];
  /** Units of the asset's delta the leg holds (what the perps must offset). */
  units(state: PositionState, market: MarketSnapshot): number;
  /** USDT the spot venue needs to grow the leg by `units`, fees included. */
  costToGrow(ctx: StrategyContext, units: number): number;
  /** Orders that shrink the leg by `units`, leaving the proceeds as USDT on the spot venue. */
  shrink(ctx: StrategyContext, state: PositionState, units: number, tag: OrderTag): ExecutionUnit[];
  /** Orders that grow the leg by `units` from USDT on the spot venue. */
  grow(ctx: StrategyContext, state: PositionState, units: number, tag: OrderTag): ExecutionUnit[];
}

export interface OrderTag {
  intent: Intent;
  why: string;
}

export const SPOT_VENUE = 'binance' as const;

export function order(
  ctx: StrategyContext,
  tag: OrderTag,
  fields: Omit<Instruction, 'id' | 'intent' | 'reason'>,
  what: string,
): ExecutionUnit {
  return {
    kind: 'single',
    instruction: ctx.instruction({ ...fields, intent: tag.intent, reason: `${what} (${tag.why})` }),
  };
}

export function spotPrice(ctx: StrategyContext, asset: string): number {
  const price = ctx.market.spotUsd[`${SPOT_VENUE}:${asset}`];
  if (price === undefined) throw new Error(`missing spot price ${SPOT_VENUE}:${asset}`);
  return price;
}
