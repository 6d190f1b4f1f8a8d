import type { CostsConfig, GasOperation, MarketSnapshot } from '@tightloop/contracts';
import { LoopInvariantError } from '../errors';
import { priceUsd } from '../valuation/valuation';

export interface GasCost {
  units: number;
  eth: number;
  usd: number;
}

/** Fees, slippage and gas from one frozen cost configuration. */
export class CostModel {
  constructor(private readonly config: CostsConfig) {}

  takerFeeRate(venue: string): number {
    const fee = this.config.tradingFees[venue];
    if (!fee)
      throw new LoopInvariantError('COST.UNKNOWN_VENUE', `no trading fees configured for ${venue}`);
    return fee.taker;
  }

  spotSlippage(): number {
    return this.config.spotSlippageBps / 10_000;
  }

  perpSlippage(notionalUsd: number): number {
    const buckets = this.config.perpSlippageBuckets;
    const bucket = buckets.find(([limit]) => notionalUsd <= limit) ?? buckets[buckets.length - 1];
    return (bucket?.[1] ?? 0) / 10_000;
  }

  /** DEX cost (fee + price impact) as a fraction, by pair in either order and notional. */
  dexCost(assetA: string, assetB: string, notionalUsd: number): number {
    const buckets =
      this.config.dexCostBuckets[`${assetA}/${assetB}`] ??
      this.config.dexCostBuckets[`${assetB}/${assetA}`];
    if (!buckets) return this.config.dexDefaultBps / 10_000;
    const bucket = buckets.find(([limit]) => notionalUsd <= limit) ?? buckets[buckets.length - 1];
    return (bucket?.[1] ?? 0) / 10_000;
  }

  flashFee(): number {
    return this.config.flashFeeBps / 10_000;
  }

  gas(operation: GasOperation, market: MarketSnapshot): GasCost {
    const units = this.config.gasUnits[operation];
    if (units === undefined) {
      throw new LoopInvariantError(
        'COST.UNKNOWN_GAS_OPERATION',
        `no gas units configured for ${operation}`,
      );
    }
    const eth = units * market.gasPriceGwei * 1e-9 * this.config.gasPriceMultiplier;
    return { units, eth, usd: eth * priceUsd(market, 'ETH') };
  }
}
