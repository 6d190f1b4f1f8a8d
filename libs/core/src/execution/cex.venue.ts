import {
  positionKey,
  type Instruction,
  type MarketSnapshot,
  type PositionKey,
} from '@tightloop/contracts';
import { LoopInvariantError } from '../errors';
import { realisedPerpPnlUsd, type PositionState } from '../positions/position-state';
import { priceUsd } from '../valuation/valuation';
import type { CostModel } from './cost.model';
import type { Priced } from './priced';

export function sideSign(i: Instruction): 1 | -1 {
  if (i.side === 'buy') return 1;
  if (i.side === 'sell') return -1;
  throw new LoopInvariantError('EXEC.BAD_INSTRUCTION', `${i.operation} ${i.id} has no side`);
}

function quote(
  record: Readonly<Record<string, number>>,
  key: string,
  what: string,
  id: string,
): number {
  const value = record[key];
  if (value === undefined)
    throw new LoopInvariantError('MKT.MISSING', `no ${what} for ${key} (${id})`);
  return value;
}

/** Spot: base against USDT at the venue's quote, slipped against us; taker fee in USDT. */
export function spotTrade(
  i: Instruction,
  market: MarketSnapshot,
  costs: CostModel,
  slip: boolean,
): Priced {
  const sign = sideSign(i);
  const price =
    quote(market.spotUsd, `${i.venue}:${i.asset}`, 'spot price', i.id) *
    (1 + sign * (slip ? costs.spotSlippage() : 0));
  const notional = i.amount * price;
  const fee = notional * costs.takerFeeRate(i.venue);
  return {
    deltas: [
      { key: positionKey(i.venue, 'BaseToken', i.asset), amount: sign * i.amount },
      { key: positionKey(i.venue, 'BaseToken', 'USDT'), amount: -sign * notional - fee },
    ],
    priceUsd: price,
    feeUsd: fee,
    slippageUsd: sign * i.amount * (price - priceUsd(market, i.asset)),
  };
}

/** USDT-margined perp at the mark, slipped by notional bucket; closing realises PnL into USDT. */
export function perpTrade(
  i: Instruction,
  state: PositionState,
  market: MarketSnapshot,
  costs: CostModel,
  slip: boolean,
): Priced {
  const sign = sideSign(i);
  const mark = quote(market.perpMarkUsd, `${i.venue}:${i.asset}`, 'perp mark', i.id);
  const price = mark * (1 + sign * (slip ? costs.perpSlippage(i.amount * mark) : 0));
  const key: PositionKey = positionKey(i.venue, 'Perp', `${i.asset}USDT`);
  const realised = realisedPerpPnlUsd(state, key, sign * i.amount, price);
  const fee = i.amount * price * costs.takerFeeRate(i.venue);
  return {
    deltas: [
      { key, amount: sign * i.amount, priceUsd: price },
      { key: positionKey(i.venue, 'BaseToken', 'USDT'), amount: realised - fee },
    ],
    priceUsd: price,
    feeUsd: fee,
    slippageUsd: i.amount * Math.abs(price - mark),
  };
}
