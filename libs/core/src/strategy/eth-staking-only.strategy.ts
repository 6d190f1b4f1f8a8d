import type {
  EthStakingOnlyConfig,
  ExecutionUnit,
  MarketNeed,
  PositionKey,
} from '@tightloop/contracts';
import { lstKey } from '../execution/token-accounts';
import { amountOf } from '../positions/position-state';
import { lstVenue } from './leverage.planner';
import { rewardKeys, rewardNeeds, sellDust, sellLstFor } from './staking-rewards';
import { single, type Strategy, type StrategyContext } from './strategy.port';

const WALLET_ETH: PositionKey = 'wallet:BaseToken:ETH';

/**
 * ETH share class: stake all ETH into the LST at the protocol rate and hold; the yield is
 * the LST/ETH rate's growth plus reward tokens, which are sold for ETH once they are worth
 * more than the dust threshold. Idle ETH (rewards sold, deposits) is staked again.
 */
export class EthStakingOnlyStrategy implements Strategy {
  readonly mode = 'eth_staking_only' as const;
  readonly shareClass = 'ETH' as const;
  readonly subscriptions: PositionKey[];
  readonly marketNeeds: MarketNeed[];

  constructor(private readonly config: EthStakingOnlyConfig) {
    this.subscriptions = [WALLET_ETH, lstKey(config.lst), ...rewardKeys(config.lst)];
    this.marketNeeds = [
      'pricesUsd:ETH',
      'pricesUsd:USDT',
      `lstRateEth:${config.lst}`,
      `lstMarketRateEth:${config.lst}`,
      'gasPriceGwei',
      ...rewardNeeds(config.lst),
    ];
  }

  get riskLimits() {
    return this.config.risk;
  }

  initialCapital() {
    return { asset: 'ETH', amount: this.config.initialCapital };
  }

  decide(ctx: StrategyContext): ExecutionUnit[] {
    const dust = sellDust(ctx, this.config.lst, this.config.dustThreshold);
    const gasEth = ctx.costs.gas('STAKE_DEPOSIT', ctx.market).eth * this.config.gasReserveMultiple;
    const afterDust = ctx.project(ctx.state, dust);
    if (ctx.pendingWithdrawalSc > 0) {
      const need = ctx.pendingWithdrawalSc + gasEth - amountOf(afterDust, WALLET_ETH);
      return [
        ...dust,
        ...sellLstFor(ctx, this.config.lst, need, amountOf(afterDust, lstKey(this.config.lst))),
      ];
    }
    const idle = amountOf(afterDust, WALLET_ETH) - gasEth;
    if (idle <= this.config.idleCashThreshold * ctx.exposure.equitySc) return dust;
    return [
      ...dust,
      single(
        ctx.instruction({
          operation: 'stake',
          venue: lstVenue(this.config.lst),
          asset: 'ETH',
          toAsset: this.config.lst,
          amount: idle,
          intent: ctx.state.amounts[lstKey(this.config.lst)] ? 'entry_partial' : 'entry_full',
          reason: `stake ${idle.toFixed(6)} idle ETH into ${this.config.lst}`,
        }),
      ),
    ];
  }
}
