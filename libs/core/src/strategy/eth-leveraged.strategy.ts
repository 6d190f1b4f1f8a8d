import type {
  EthLeveragedConfig,
  ExecutionUnit,
  MarketNeed,
  PositionKey,
} from '@tightloop/contracts';
import { amountOf } from '../positions/position-state';
import { deleverage, leverUp, loopBook, loopKeys, type LoopKeys } from './leverage.planner';
import { rewardKeys, rewardNeeds, sellDust, sellLstFor } from './staking-rewards';
import type { Strategy, StrategyContext } from './strategy.port';

const WALLET_ETH: PositionKey = 'wallet:BaseToken:ETH';

/**
 * ETH share class: LST collateral on AAVE (e-mode) against WETH debt, levered to the
 * target LTV in one atomic flash-loan group. Equity E becomes collateral E / (1 - LTV)
 * and debt LTV x E / (1 - LTV). Re-levers or deleverages when LTV leaves its band, and
 * unwinds the whole loop when the health factor falls under `exitHealthFactor`.
 */
export class EthLeveragedStrategy implements Strategy {
  readonly mode = 'eth_leveraged' as const;
  readonly shareClass = 'ETH' as const;
  readonly subscriptions: PositionKey[];
  readonly marketNeeds: MarketNeed[];
  private readonly keys: LoopKeys;

  constructor(private readonly config: EthLeveragedConfig) {
    this.keys = loopKeys(config.lst);
    const k = this.keys;
    this.subscriptions = [
      WALLET_ETH,
      k.flashAccount,
      k.lstPosition,
      k.collateral,
      k.debt,
      ...rewardKeys(config.lst),
    ];
    this.marketNeeds = [
      'pricesUsd:ETH',
      'pricesUsd:USDT',
      `lstRateEth:${config.lst}`,
      `lstMarketRateEth:${config.lst}`,
      `aaveSupplyIndex:${config.lst}`,
      `aaveBorrowIndex:${config.lst}`,
      'aaveSupplyIndex:WETH',
      'aaveBorrowIndex:WETH',
      'gasPriceGwei',
      ...rewardNeeds(config.lst),
    ];
  }

  get riskLimits() {
    const emode = this.config.aave.emode;
    return {
      ...this.config.risk,
      aaveLiquidationThreshold: emode ? 0.95 : 0.85,
      aaveMaxLtv: emode ? 0.93 : 0.8,
    };
  }

  initialCapital() {
    return { asset: 'ETH', amount: this.config.initialCapital };
  }

  decide(ctx: StrategyContext): ExecutionUnit[] {
    const { targetLtv, ltvBand, exitHealthFactor } = this.config.aave;
    const hf = ctx.risk.healthFactor;
    if (hf !== null && hf < exitHealthFactor) {
      return deleverage(
        ctx,
        ctx.state,
        this.keys,
        0,
        0,
        'exit_full',
        `health factor ${hf.toFixed(3)} under ${exitHealthFactor}: unwind`,
      );
    }
    const dust = sellDust(ctx, this.config.lst, this.config.dustThreshold);
    const state = ctx.project(ctx.state, dust);
    const reserve = ctx.costs.gas('ATOMIC_ENTRY', ctx.market).eth * this.config.gasReserveMultiple;
    const idle = amountOf(state, WALLET_ETH) - reserve;
    const book = loopBook(ctx, state, this.keys);
    if (ctx.pendingWithdrawalSc > 0) {
      const need = ctx.pendingWithdrawalSc - idle;
      const release = deleverage(
        ctx,
        state,
        this.keys,
        targetLtv,
        need * 1.01,
        'exit_partial',
        'free ETH for a requested withdrawal',
      );
      const released = ctx.project(state, release);
      const lst = amountOf(released, this.keys.lstPosition);
      return [...dust, ...release, ...sellLstFor(ctx, this.config.lst, need, lst)];
    }
    if (idle > this.config.idleCashThreshold * ctx.exposure.equitySc) {
      const why = book.collateralEth > 0 ? 'add idle ETH to the loop' : `lever to LTV ${targetLtv}`;
      return [
        ...dust,
        ...leverUp(
          ctx,
          state,
          this.keys,
          idle,
          targetLtv,
          book.collateralEth > 0 ? 'entry_partial' : 'entry_full',
          why,
        ),
      ];
    }
    if (book.collateralEth > 0 && book.ltv > targetLtv + ltvBand) {
      return [
        ...dust,
        ...deleverage(
          ctx,
          state,
          this.keys,
          targetLtv,
          0,
          'exit_partial',
          `LTV ${book.ltv.toFixed(4)} above ${targetLtv} + ${ltvBand}`,
        ),
      ];
    }
    if (book.collateralEth > 0 && book.ltv < targetLtv - ltvBand) {
      return [
        ...dust,
        ...leverUp(
          ctx,
          state,
          this.keys,
          0,
          targetLtv,
          'rebalance',
          `LTV ${book.ltv.toFixed(4)} below ${targetLtv} - ${ltvBand}`,
        ),
      ];
    }
    return dust;
  }
}
