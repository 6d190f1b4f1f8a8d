import {
  parsePositionKey,
  perpBase,
  positionKey,
  type MarketSnapshot,
  type PositionDelta,
  type PositionKey,
} from '@tightloop/contracts';
import { lstRate, perpMarkUsd, supplyIndex } from '../valuation/valuation';
import { addFundingAccrued, applyDeltas, type PositionState } from './position-state';

export interface FundingPayment {
  perpKey: PositionKey;
  size: number;
  markUsd: number;
  ratePer8h: number;
  /** Received (+) or paid (-), credited to the venue's USDT balance. */
  amountUsd: number;
}

export interface RewardCredit {
  lst: string;
  token: string;
  lstHeld: number;
  amount: number;
}

export interface Settlement {
  state: PositionState;
  capital: PositionDelta[];
  funding: FundingPayment[];
  rewards: RewardCredit[];
}

export interface CapitalFlow {
  asset: string;
  amount: number;
}

/**
 * The position monitor's refresh at the start of a tick, before the strategy acts:
 * capital arriving in the wallet, then funding on perps that were open before this
 * instant (`pay = -size x mark x rate`, so a short receives a positive rate), then reward
 * tokens paid per ETH staked through LST held (directly or as AAVE collateral) at payout
 * instants.
 * A venue's rate and a reward are in the snapshot only at their settlement instants.
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
  const rewards: RewardCredit[] = [];
  for (const [pair, perEth] of Object.entries(market.stakingRewardsPerEth ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const [lst, token] = pair.split(':') as [string, string];
    const key = positionKey('wallet', 'BaseToken', token);
    const lstHeld = lstHeldOf(next, market, lst);
    if (next.amounts[key] === undefined || lstHeld <= 0 || perEth <= 0) continue;
    const amount = perEth * lstHeld * lstRate(market, lst);
    rewards.push({ lst, token, lstHeld, amount });
    next = applyDeltas(next, [{ key, amount }]);
  }
  return { state: next, capital, funding, rewards };
}

/** LST units held directly or as the underlying of AAVE collateral. */
function lstHeldOf(state: PositionState, market: MarketSnapshot, lst: string): number {
  let held = 0;
  for (const [key, amount] of Object.entries(state.amounts) as [PositionKey, number][]) {
    if (amount === 0) continue;
    const { positionType, symbol } = parsePositionKey(key);
    if (positionType === 'LST' && symbol === lst) held += amount;
    if (positionType === 'aToken' && symbol === `a${lst}`)
      held += amount * supplyIndex(market, lst);
  }
  return held;
}
