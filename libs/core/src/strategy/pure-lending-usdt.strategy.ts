import type {
  ExecutionUnit,
  MarketNeed,
  PositionKey,
  PureLendingUsdtConfig,
} from '@tightloop/contracts';
import { amountOf } from '../positions/position-state';
import { supplyIndex } from '../valuation/valuation';
import { single, type Strategy, type StrategyContext } from './strategy.port';

const WALLET_USDT: PositionKey = 'wallet:BaseToken:USDT';
const A_USDT: PositionKey = 'aave_v3:aToken:aUSDT';

/**
 * Supply all USDT to AAVE V3 and hold: yield compounds through the liquidity index, so
 * there is nothing to rebalance. Idle wallet USDT (a deposit) is supplied when it exceeds
 * `idleCashThreshold` of equity; a gas reserve stays in the wallet.
 */
export class PureLendingUsdtStrategy implements Strategy {
  readonly mode = 'pure_lending_usdt' as const;
  readonly shareClass = 'USDT' as const;
  readonly subscriptions = [WALLET_USDT, A_USDT];
  readonly marketNeeds: MarketNeed[] = [
    'pricesUsd:USDT',
    'pricesUsd:ETH',
    'aaveSupplyIndex:USDT',
    'aaveBorrowIndex:USDT',
    'gasPriceGwei',
  ];

  constructor(private readonly config: PureLendingUsdtConfig) {}

  get riskLimits() {
    return this.config.risk;
  }

  initialCapital() {
    return { asset: 'USDT', amount: this.config.initialCapital };
  }

  decide(ctx: StrategyContext): ExecutionUnit[] {
    const gasUsd = ctx.costs.gas('COLLATERAL_SUPPLIED', ctx.market).usd;
    const reserve = gasUsd * this.config.gasReserveMultiple;
    const wallet = amountOf(ctx.state, WALLET_USDT);
    if (ctx.pendingWithdrawalSc > 0)
      return this.withdraw(ctx, ctx.pendingWithdrawalSc + reserve - wallet);
    const deployable = wallet - reserve;
    if (deployable <= this.config.idleCashThreshold * ctx.exposure.equitySc) return [];
    return [
      single(
        ctx.instruction({
          operation: 'supply',
          venue: 'aave_v3',
          asset: 'USDT',
          amount: deployable,
          intent: ctx.tickIndex === 0 ? 'entry_full' : 'entry_partial',
          reason: `supply idle wallet USDT (${deployable.toFixed(2)}) to AAVE`,
        }),
      ),
    ];
  }

  /** Frees `need` USDT (a withdrawal plus the gas reserve) from the AAVE supply. */
  private withdraw(ctx: StrategyContext, need: number): ExecutionUnit[] {
    const supplied = amountOf(ctx.state, A_USDT) * supplyIndex(ctx.market, 'USDT');
    const amount = Math.min(need, supplied);
    if (amount <= 0) return [];
    return [
      single(
        ctx.instruction({
          operation: 'withdraw',
          venue: 'aave_v3',
          asset: 'USDT',
          amount,
          intent: amount >= supplied ? 'exit_full' : 'exit_partial',
          reason: `withdraw ${amount.toFixed(2)} USDT from AAVE for a requested withdrawal`,
        }),
      ),
    ];
  }
}
