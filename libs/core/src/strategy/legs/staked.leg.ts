import {
  positionKey,
  type ExecutionUnit,
  type MarketNeed,
  type MarketSnapshot,
  type PositionKey,
} from '@tightloop/contracts';
import { lstKey } from '../../execution/token-accounts';
import { amountOf, type PositionState } from '../../positions/position-state';
import { lstRate } from '../../valuation/valuation';
import {
  deleverage,
  leverUp,
  loopBook,
  loopKeys,
  lstVenue,
  type LoopKeys,
} from '../leverage.planner';
import { rewardKeys, rewardNeeds } from '../staking-rewards';
import type { StrategyContext } from '../strategy.port';
import { order, SPOT_VENUE, spotPrice, type LongLeg, type OrderTag } from './long-leg';

const WALLET_ETH: PositionKey = 'wallet:BaseToken:ETH';
const SPOT_ETH = positionKey(SPOT_VENUE, 'BaseToken', 'ETH');

/**
 * ETH bought on the spot venue, withdrawn to the wallet and staked into an LST. Shrinking
 * sells LST on the DEX (market rate, pair cost), sends the ETH back and sells it.
 * The wallet keeps an ETH reserve for the gas of its on-chain steps.
 */
export class StakedLeg implements LongLeg {
  readonly asset = 'ETH' as const;
  readonly keys: PositionKey[];
  readonly needs: MarketNeed[];
  protected readonly lstPosition: PositionKey;

  constructor(
    protected readonly lst: string,
    protected readonly gasReserveMultiple: number,
  ) {
    this.lstPosition = lstKey(lst);
    this.keys = [WALLET_ETH, SPOT_ETH, this.lstPosition, ...rewardKeys(lst)];
    this.needs = [
      `spotUsd:${SPOT_VENUE}:ETH`,
      `lstRateEth:${lst}`,
      `lstMarketRateEth:${lst}`,
      ...rewardNeeds(lst),
    ];
  }

  units(state: PositionState, market: MarketSnapshot): number {
    return (
      amountOf(state, this.lstPosition) * lstRate(market, this.lst) +
      amountOf(state, WALLET_ETH) +
      amountOf(state, SPOT_ETH)
    );
  }

  costToGrow(ctx: StrategyContext, units: number): number {
    return (
      units *
      spotPrice(ctx, 'ETH') *
      (1 + ctx.costs.takerFeeRate(SPOT_VENUE) + 2 * ctx.costs.spotSlippage())
    );
  }

  grow(ctx: StrategyContext, state: PositionState, units: number, tag: OrderTag): ExecutionUnit[] {
    const buy = order(
      ctx,
      tag,
      { operation: 'spot_trade', venue: SPOT_VENUE, asset: 'ETH', side: 'buy', amount: units },
      'buy ETH to stake',
    );
    const bought = ctx.project(state, [buy]);
    // The exchange charges the withdrawal's chain fee to the ETH it sends.
    const fee = ctx.costs.gas('VENUE_TRANSFER', ctx.market).eth * (1 + 1e-9);
    const send = order(
      ctx,
      tag,
      {
        operation: 'transfer',
        venue: SPOT_VENUE,
        toVenue: 'wallet',
        asset: 'ETH',
        amount: amountOf(bought, SPOT_ETH) - fee,
      },
      'withdraw ETH to the wallet',
    );
    const inWallet = ctx.project(bought, [send]);
    return [buy, send, ...this.deploy(ctx, inWallet, this.idleEth(ctx, inWallet), tag)];
  }

  shrink(
    ctx: StrategyContext,
    state: PositionState,
    units: number,
    tag: OrderTag,
  ): ExecutionUnit[] {
    const fromLst = Math.max(0, units - this.idleEth(ctx, state) - amountOf(state, SPOT_ETH));
    const release = this.release(ctx, state, fromLst, tag);
    const released = ctx.project(state, release);
    const sellLst = Math.min(
      this.lstToSell(ctx, state, released, fromLst),
      amountOf(released, this.lstPosition),
    );
    const swap =
      sellLst > 0
        ? [
            order(
              ctx,
              tag,
              {
                operation: 'swap',
                venue: 'uniswap',
                asset: this.lst,
                toAsset: 'ETH',
                amount: sellLst,
              },
              `sell ${this.lst} for ETH`,
            ),
          ]
        : [];
    const swapped = ctx.project(released, swap);
    const toSend = this.idleEth(ctx, swapped);
    const send =
      toSend > 0
        ? [
            order(
              ctx,
              tag,
              {
                operation: 'transfer',
                venue: 'wallet',
                toVenue: SPOT_VENUE,
                asset: 'ETH',
                amount: toSend,
              },
              'send ETH to the spot venue',
            ),
          ]
        : [];
    const sent = ctx.project(swapped, send);
    const sell = amountOf(sent, SPOT_ETH);
    const sale =
      sell > 0
        ? [
            order(
              ctx,
              tag,
              {
                operation: 'spot_trade',
                venue: SPOT_VENUE,
                asset: 'ETH',
                side: 'sell',
                amount: sell,
              },
              'sell ETH for USDT',
            ),
          ]
        : [];
    return [...release, ...swap, ...send, ...sale];
  }

  /** Wallet ETH above the gas reserve. */
  protected idleEth(ctx: StrategyContext, state: PositionState): number {
    return Math.max(
      0,
      amountOf(state, WALLET_ETH) -
        ctx.costs.gas('ATOMIC_ENTRY', ctx.market).eth * this.gasReserveMultiple,
    );
  }

  /** Puts wallet ETH to work: here, stake it. */
  protected deploy(
    ctx: StrategyContext,
    _state: PositionState,
    eth: number,
    tag: OrderTag,
  ): ExecutionUnit[] {
    if (eth <= 0) return [];
    return [
      order(
        ctx,
        tag,
        {
          operation: 'stake',
          venue: lstVenue(this.lst),
          asset: 'ETH',
          toAsset: this.lst,
          amount: eth,
        },
        `stake ETH into ${this.lst}`,
      ),
    ];
  }

  /** Frees LST into the LST position (nothing to do when it is held directly). */
  protected release(
    _ctx: StrategyContext,
    _state: PositionState,
    _eth: number,
    _tag: OrderTag,
  ): ExecutionUnit[] {
    return [];
  }

  /** LST units to sell to free `eth` of delta, held directly. */
  protected lstToSell(
    ctx: StrategyContext,
    _before: PositionState,
    _released: PositionState,
    eth: number,
  ): number {
    return eth / lstRate(ctx.market, this.lst);
  }
}

/** The staked ETH levered on AAVE; its delta is the loop's net ETH, not its collateral. */
export class LeveragedStakedLeg extends StakedLeg {
  private readonly loop: LoopKeys;

  constructor(
    lst: string,
    gasReserveMultiple: number,
    private readonly targetLtv: number,
  ) {
    super(lst, gasReserveMultiple);
    this.loop = loopKeys(lst);
    this.keys.push(this.loop.flashAccount, this.loop.collateral, this.loop.debt);
    this.needs.push(
      `aaveSupplyIndex:${lst}`,
      `aaveBorrowIndex:${lst}`,
      'aaveSupplyIndex:WETH',
      'aaveBorrowIndex:WETH',
    );
  }

  override units(state: PositionState, market: MarketSnapshot): number {
    return (
      super.units(state, market) +
      amountOf(state, this.loop.flashAccount) +
      this.netLoopEth(state, market)
    );
  }

  protected override deploy(
    ctx: StrategyContext,
    state: PositionState,
    eth: number,
    tag: OrderTag,
  ): ExecutionUnit[] {
    return eth > 0 ? leverUp(ctx, state, this.loop, eth, this.targetLtv, tag.intent, tag.why) : [];
  }

  protected override release(
    ctx: StrategyContext,
    state: PositionState,
    eth: number,
    tag: OrderTag,
  ): ExecutionUnit[] {
    return eth > 0
      ? deleverage(ctx, state, this.loop, this.targetLtv, eth, tag.intent, tag.why)
      : [];
  }

  /** What the deleverage moved into the LST position. */
  protected override lstToSell(
    _ctx: StrategyContext,
    before: PositionState,
    released: PositionState,
  ): number {
    return amountOf(released, this.lstPosition) - amountOf(before, this.lstPosition);
  }

  private netLoopEth(state: PositionState, market: MarketSnapshot): number {
    const book = loopBook({ market } as StrategyContext, state, this.loop);
    return book.collateralEth - book.debtEth;
  }
}
