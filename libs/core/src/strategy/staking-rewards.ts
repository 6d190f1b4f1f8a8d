import { positionKey, type ExecutionUnit, type MarketNeed, type PositionKey } from '@tightloop/contracts';
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

/** Reward token prices are only needed once a token has a market (EIGEN trades from 2024-10). */
export function rewardNeeds(lst: string): MarketNeed[] {
  return [`rewardsPerLst:${lst}`, ...rewardTokens(lst).map((t): MarketNeed => `pricesUsd:${t}`)];
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
