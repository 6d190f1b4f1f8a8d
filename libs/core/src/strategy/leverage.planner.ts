import {
  positionKey,
  type ExecutionUnit,
  type Instruction,
  type Intent,
  type PositionKey,
} from '@tightloop/contracts';
import { lstKey } from '../execution/token-accounts';
import { amountOf, type PositionState } from '../positions/position-state';
import { borrowIndex, lstRate, supplyIndex } from '../valuation/valuation';
import type { StrategyContext } from './strategy.port';

const INTERMEDIARY = 'instadapp' as const;

export interface LoopKeys {
  lst: string;
  lstPosition: PositionKey;
  collateral: PositionKey;
  debt: PositionKey;
  flashAccount: PositionKey;
}

export function loopKeys(lst: string): LoopKeys {
  return {
    lst,
    lstPosition: lstKey(lst),
    collateral: positionKey('aave_v3', 'aToken', `a${lst}`),
    debt: positionKey('aave_v3', 'debtToken', 'debtWETH'),
    flashAccount: positionKey(INTERMEDIARY, 'BaseToken', 'WETH'),
  };
}

/** Collateral and debt of the loop in ETH, collateral at the LST oracle rate. */
export function loopBook(ctx: StrategyContext, state: PositionState, keys: LoopKeys) {
  const m = ctx.market;
  const rate = lstRate(m, keys.lst);
  const collateralEth = amountOf(state, keys.collateral) * supplyIndex(m, keys.lst) * rate;
  const debtEth = amountOf(state, keys.debt) * borrowIndex(m, 'WETH');
  return { rate, collateralEth, debtEth, ltv: collateralEth > 0 ? debtEth / collateralEth : 0 };
}

type Make = (fields: Omit<Instruction, 'id' | 'intent' | 'reason'>) => Instruction;

function maker(ctx: StrategyContext, intent: Intent, why: string): Make {
  return (fields) => ctx.instruction({ ...fields, intent, reason: why });
}

/**
 * One atomic flash-loan group that stakes `addEth` from the wallet and takes the loop to
 * LTV `target`: flash borrow F WETH -> stake -> supply the LST -> borrow F(1+fee) -> repay.
 * With collateral C and debt D in ETH: F = (target (C + addEth) - D) / (1 + fee - target).
 */
export function leverUp(
  ctx: StrategyContext,
  state: PositionState,
  keys: LoopKeys,
  addEth: number,
  target: number,
  intent: Intent,
  why: string,
): ExecutionUnit[] {
  const book = loopBook(ctx, state, keys);
  const fee = ctx.costs.flashFee();
  const flashEth = Math.max(
    0,
    (target * (book.collateralEth + addEth) - book.debtEth) / (1 + fee - target),
  );
  const make = maker(ctx, intent, why);
  const steps: Instruction[] = [];
  if (flashEth > 0)
    steps.push(
      make({
        operation: 'flash_borrow',
        venue: 'morpho',
        account: INTERMEDIARY,
        asset: 'WETH',
        amount: flashEth,
      }),
    );
  if (addEth > 0)
    steps.push(
      make({
        operation: 'stake',
        venue: lstVenue(keys.lst),
        asset: 'ETH',
        toAsset: keys.lst,
        amount: addEth,
      }),
    );
  if (flashEth > 0) {
    steps.push(
      make({
        operation: 'stake',
        venue: lstVenue(keys.lst),
        account: INTERMEDIARY,
        asset: 'WETH',
        toAsset: keys.lst,
        amount: flashEth,
      }),
    );
  }
  const lstAmount = (addEth + flashEth) / book.rate;
  if (lstAmount <= 0) return [];
  steps.push(make({ operation: 'supply', venue: 'aave_v3', asset: keys.lst, amount: lstAmount }));
  if (flashEth > 0) {
    steps.push(
      make({
        operation: 'borrow',
        venue: 'aave_v3',
        account: INTERMEDIARY,
        asset: 'WETH',
        amount: flashEth * (1 + fee),
      }),
    );
    steps.push(
      make({
        operation: 'flash_repay',
        venue: 'morpho',
        account: INTERMEDIARY,
        asset: 'WETH',
        amount: flashEth,
      }),
    );
  }
  return [{ kind: 'atomic', groupId: steps[0]!.id, instructions: steps }];
}

/**
 * One atomic group that repays debt with collateral sold on the DEX, to reach LTV
 * `target` (0 repays everything) while releasing `releaseEth` of net ETH as LST to the
 * LST position: flash borrow x -> repay x -> withdraw -> swap LST to WETH -> flash repay.
 */
export function deleverage(
  ctx: StrategyContext,
  state: PositionState,
  keys: LoopKeys,
  target: number,
  releaseEth: number,
  intent: Intent,
  why: string,
): ExecutionUnit[] {
  const book = loopBook(ctx, state, keys);
  const netAfter = Math.max(0, book.collateralEth - book.debtEth - releaseEth);
  const collateralAfter = target > 0 ? netAfter / (1 - target) : netAfter;
  const debtAfter = target > 0 ? target * collateralAfter : 0;
  const repayEth = Math.max(0, book.debtEth - debtAfter);
  const withdrawLst = Math.max(0, book.collateralEth - collateralAfter) / book.rate;
  if (repayEth <= 0 && withdrawLst <= 0) return [];
  const make = maker(ctx, intent, why);
  if (repayEth <= 0)
    return [
      {
        kind: 'single',
        instruction: make({
          operation: 'withdraw',
          venue: 'aave_v3',
          asset: keys.lst,
          amount: withdrawLst,
        }),
      },
    ];
  const fee = ctx.costs.flashFee();
  const marketRate = ctx.market.lstMarketRateEth?.[keys.lst] ?? book.rate;
  const ethPrice = ctx.market.pricesUsd.ETH ?? 0;
  const cost = ctx.costs.dexCost('ETH', keys.lst, repayEth * ethPrice);
  // Swap enough LST to cover the flash repayment with its fee, and a hair for rounding.
  const sellLst = (repayEth * (1 + fee) * (1 + 1e-9)) / (marketRate * (1 - cost));
  const steps = [
    make({
      operation: 'flash_borrow',
      venue: 'morpho',
      account: INTERMEDIARY,
      asset: 'WETH',
      amount: repayEth,
    }),
    make({
      operation: 'repay',
      venue: 'aave_v3',
      account: INTERMEDIARY,
      asset: 'WETH',
      amount: repayEth,
    }),
    make({
      operation: 'withdraw',
      venue: 'aave_v3',
      asset: keys.lst,
      amount: Math.max(withdrawLst, sellLst),
    }),
    make({
      operation: 'swap',
      venue: 'uniswap',
      account: INTERMEDIARY,
      asset: keys.lst,
      toAsset: 'WETH',
      amount: sellLst,
    }),
    make({
      operation: 'flash_repay',
      venue: 'morpho',
      account: INTERMEDIARY,
      asset: 'WETH',
      amount: repayEth,
    }),
  ];
  return [{ kind: 'atomic', groupId: steps[0]!.id, instructions: steps }];
}

export function lstVenue(lst: string): 'etherfi' | 'lido' {
  return lst === 'weETH' ? 'etherfi' : 'lido';
}
