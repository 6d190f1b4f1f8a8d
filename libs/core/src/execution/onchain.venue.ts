import {
  positionKey,
  type Instruction,
  type MarketSnapshot,
  type Venue,
} from '@tightloop/contracts';
import { LoopInvariantError } from '../errors';
import {
  borrowIndex,
  isLst,
  lstRate,
  priceUsd,
  supplyIndex,
  valueParts,
} from '../valuation/valuation';
import type { CostModel } from './cost.model';
import type { Priced } from './priced';
import { lstKey, tokenKey } from './token-accounts';

const NO_COST = { feeUsd: 0, slippageUsd: 0 };

function account(i: Instruction): Venue {
  return i.account ?? 'wallet';
}

export function transfer(i: Instruction): Priced {
  if (!i.toVenue)
    throw new LoopInvariantError('EXEC.BAD_INSTRUCTION', `transfer ${i.id} has no toVenue`);
  return {
    ...NO_COST,
    gas: 'VENUE_TRANSFER',
    deltas: [
      { key: positionKey(i.venue, 'BaseToken', i.asset), amount: -i.amount },
      { key: positionKey(i.toVenue, 'BaseToken', i.asset), amount: i.amount },
    ],
  };
}

/** AAVE: underlying in or out of `account`, scaled a/debt balances at the current index. */
export function aave(i: Instruction, market: MarketSnapshot): Priced {
  const token = tokenKey(account(i), i.asset);
  const aToken = positionKey('aave_v3', 'aToken', `a${i.asset}`);
  const debt = positionKey('aave_v3', 'debtToken', `debt${i.asset}`);
  switch (i.operation) {
    case 'supply':
      return {
        ...NO_COST,
        gas: 'COLLATERAL_SUPPLIED',
        deltas: [
          { key: token, amount: -i.amount },
          { key: aToken, amount: i.amount / supplyIndex(market, i.asset) },
        ],
      };
    case 'withdraw':
      return {
        ...NO_COST,
        gas: 'COLLATERAL_WITHDRAWN',
        deltas: [
          { key: aToken, amount: -i.amount / supplyIndex(market, i.asset) },
          { key: token, amount: i.amount },
        ],
      };
    case 'borrow':
      return {
        ...NO_COST,
        gas: 'LOAN_CREATED',
        deltas: [
          { key: debt, amount: i.amount / borrowIndex(market, i.asset) },
          { key: token, amount: i.amount },
        ],
      };
    default:
      return {
        ...NO_COST,
        gas: 'LOAN_REPAID',
        deltas: [
          { key: token, amount: -i.amount },
          { key: debt, amount: -i.amount / borrowIndex(market, i.asset) },
        ],
      };
  }
}

/** Staking mints the LST at the protocol's (oracle) rate: LST = ETH / rate. */
export function stake(i: Instruction, market: MarketSnapshot): Priced {
  const lst = i.toAsset;
  if (!lst || !isLst(lst))
    throw new LoopInvariantError('EXEC.BAD_INSTRUCTION', `stake ${i.id} needs an LST toAsset`);
  return {
    ...NO_COST,
    gas: 'STAKE_DEPOSIT',
    deltas: [
      { key: tokenKey(account(i), i.asset), amount: -i.amount },
      { key: lstKey(lst), amount: i.amount / lstRate(market, lst) },
    ],
  };
}

/** DEX price of a token: LSTs at their market rate (exit price), ETH at the pool, else reference. */
function dexPriceUsd(market: MarketSnapshot, asset: string): number {
  if (isLst(asset))
    return (market.lstMarketRateEth?.[asset] ?? lstRate(market, asset)) * priceUsd(market, 'ETH');
  if (asset === 'ETH' || asset === 'WETH')
    return market.spotUsd['uniswap:ETH'] ?? priceUsd(market, 'ETH');
  return priceUsd(market, asset);
}

/**
 * A DEX swap of `amount` of `asset` into `toAsset` at DEX prices less the pair's cost
 * bucket. The cost is the fee; the gap between DEX and valuation prices is slippage.
 */
export function swap(i: Instruction, market: MarketSnapshot, costs: CostModel): Priced {
  const to = i.toAsset;
  if (!to) throw new LoopInvariantError('EXEC.BAD_INSTRUCTION', `swap ${i.id} has no toAsset`);
  const from = tokenKey(account(i), i.asset);
  const into = tokenKey(account(i), to);
  const notional = i.amount * dexPriceUsd(market, i.asset);
  const fee = notional * costs.dexCost(asPair(i.asset), asPair(to), notional);
  const out = (notional - fee) / dexPriceUsd(market, to);
  const valueIn = valueParts(from, i.amount, undefined, market, 'USDT').value;
  const valueOut = valueParts(into, out, undefined, market, 'USDT').value;
  return {
    gas: 'TOKEN_SWAP',
    feeUsd: fee,
    slippageUsd: valueIn - valueOut - fee,
    priceUsd: notional / i.amount,
    deltas: [
      { key: from, amount: -i.amount },
      { key: into, amount: out },
    ],
  };
}

const asPair = (asset: string) => (asset === 'WETH' ? 'ETH' : asset);

/** Flash loans credit and debit the account; only valid inside an atomic group. */
export function flash(i: Instruction, market: MarketSnapshot, costs: CostModel): Priced {
  const key = tokenKey(account(i), i.asset);
  if (i.operation === 'flash_borrow') return { ...NO_COST, deltas: [{ key, amount: i.amount }] };
  const fee = i.amount * costs.flashFee();
  return {
    feeUsd: fee * priceUsd(market, i.asset),
    slippageUsd: 0,
    deltas: [{ key, amount: -(i.amount + fee) }],
  };
}
