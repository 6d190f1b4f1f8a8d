import {
  parsePositionKey,
  perpBase,
  positionKey,
  type MarketSnapshot,
  type PositionDelta,
  type PositionKey,
} from '@tightloop/contracts';
import { perpMarkUsd } from '../valuation/valuation';
import { addFundingAccrued, applyDeltas, type PositionState } from './position-state';

export interface FundingPayment {
  perpKey: PositionKey;
  size: number;
  markUsd: number;
  ratePer8h: number;
  /** Received (+) or paid (-), credited to the venue's USDT balance. */
  amountUsd: number;
}

export interface Settlement {
  state: PositionState;
  capital: PositionDelta[];
  funding: FundingPayment[];
}

export interface CapitalFlow {
  asset: string;
  amount: number;
}

/**
 * The position monitor's refresh at the start of a tick, before the strategy acts:
 * capital arriving in the wallet, then funding on perps that were open before this
 * instant (`pay = -size x mark x rate`, so a short receives a positive rate).
 * A venue's rate is in the snapshot only at its settlement instants.
 */
export function settleTick(
  state: PositionState,
  market: MarketSnapshot,
  capitalFlows: readonly CapitalFlow[],
): Settlement {
  const capital: PositionDelta[] = capitalFlows
    .filter((flow) => flow.amount !== 0)
    .map((flow) => ({ key: positionKey('wallet', 'BaseToken', flow.asset), amount: flow.amount }));
  let next = applyDeltas(state, capital);

  const funding: FundingPayment[] = [];
  for (const key of Object.keys(next.perps).sort() as PositionKey[]) {
    const size = next.amounts[key] ?? 0;
    const { venue, symbol } = parsePositionKey(key);
    const ratePer8h = market.fundingRatePer8h[`${venue}:${perpBase(symbol)}`];
    if (size === 0 || ratePer8h === undefined) continue;
    const markUsd = perpMarkUsd(market, venue, symbol);
    const amountUsd = -size * markUsd * ratePer8h;
    funding.push({ perpKey: key, size, markUsd, ratePer8h, amountUsd });
    next = applyDeltas(next, [{ key: positionKey(venue, 'BaseToken', 'USDT'), amount: amountUsd }]);
    next = addFundingAccrued(next, key, amountUsd);
  }
  return { state: next, capital, funding };
}
