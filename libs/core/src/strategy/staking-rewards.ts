import {
  positionKey,
  type ExecutionUnit,
  type MarketNeed,
  type PositionKey,
} from '@tightloop/contracts';
import { amountOf } from '../positions/position-state';
import { priceSc } from '../valuation/valuation';
import type { StrategyContext } from './strategy.port';

/** EtherFi pays restaking rewards (EIGEN, ETHFI) to weETH holders; wstETH earns none. */
export function rewardTokens(lst: string): string[] {
  return lst === 'weETH' ? ['EIGEN', 'ETHFI'] : [];
}

export function rewardKeys(lst: string): PositionKey[] {
  return rewardTokens(lst).map((t) => positionKey('wallet', 'BaseToken', t));
}

/** Reward payouts and token prices (a token's price is absent before it trades: EIGEN from 2024-10). */
export function rewardNeeds(lst: string): MarketNeed[] {
  return rewardTokens(lst).flatMap((t): MarketNeed[] => [
    `stakingRewardsPerEth:${lst}:${t}`,
    `pricesUsd:${t}`,
  ]);
}

/**
 * sell_dust: a reward token worth more than `threshold` of equity is swapped to ETH on
 * the DEX.
 */
export function sellDust(ctx: StrategyContext, lst: string, threshold: number): ExecutionUnit[] {
  const units: ExecutionUnit[] = [];
  for (const token of rewardTokens(lst)) {
    const amount = amountOf(ctx.state, positionKey('wallet', 'BaseToken', token));
    if (amount <= 0 || ctx.market.pricesUsd[token] === undefined) continue;
    const value = amount * priceSc(ctx.market, token, ctx.exposure.shareClass);
    if (value <= threshold * ctx.exposure.equitySc) continue;
    units.push({
      kind: 'single',
      instruction: ctx.instruction({
        operation: 'swap',
        venue: 'uniswap',
        asset: token,
        toAsset: 'ETH',
        amount,
        intent: 'sell_dust',
        reason: `sell ${token} rewards worth ${value.toFixed(4)} ${ctx.exposure.shareClass}`,
      }),
    });
  }
  return units;
}

/** Sells enough of the LST position on the DEX to raise `ethNeeded` ETH in the wallet. */
export function sellLstFor(
  ctx: StrategyContext,
  lst: string,
  ethNeeded: number,
  available: number,
): ExecutionUnit[] {
  if (ethNeeded <= 0 || available <= 0) return [];
  const rate = ctx.market.lstMarketRateEth?.[lst] ?? ctx.market.lstRateEth[lst] ?? 1;
  const cost = ctx.costs.dexCost('ETH', lst, ethNeeded * (ctx.market.pricesUsd.ETH ?? 0));
  const amount = Math.min(available, ethNeeded / (rate * (1 - cost)));
  return [
    {
      kind: 'single',
      instruction: ctx.instruction({
        operation: 'swap',
        venue: 'uniswap',
        asset: lst,
        toAsset: 'ETH',
        amount,
        intent: 'exit_partial',
        reason: `sell ${amount.toFixed(6)} ${lst} for a requested withdrawal`,
      }),
    },
  ];
}
