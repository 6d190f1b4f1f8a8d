import {
  CEX_VENUES,
  positionKey,
  type BtcBasisConfig,
  type CexVenue,
  type ExecutionUnit,
  type Intent,
  type MarketNeed,
  type PositionKey,
  type StrategyMode,
  type Venue,
} from '@tightloop/contracts';
import { amountOf, type PositionState } from '../positions/position-state';
import { SPOT_VENUE, spotPrice, order, type LongLeg, type OrderTag } from './legs/long-leg';
import { sellDust } from './staking-rewards';
import type { Strategy, StrategyContext } from './strategy.port';

const WALLET_USDT: PositionKey = 'wallet:BaseToken:USDT';
/** Venues' minimum order notional. */
const MIN_TRADE_USD = 10;

/** Parameters every hedged carry mode shares (basis and hedged staking). */
export type CarryConfig = Omit<BtcBasisConfig, 'mode' | 'marginRatioTarget'>;

/**
 * A long leg (spot, staked or levered-staked) hedged by perps split across venues by
 * allocation, each venue funded so its account equity is `marginRatioTarget` of its perp
 * notional: with deployable equity D, leg value = perp notional N = D / (1 + m).
 * Rebalances to the full target on a deposit or withdrawal, a margin ratio outside its
 * band, net delta drift, or allocation drift: first shrinking legs, then moving USDT
 * between venues, then growing legs, so no step spends funds that are not there yet.
 */
export class HedgedCarryStrategy implements Strategy {
  readonly shareClass = 'USDT' as const;
  readonly subscriptions: PositionKey[];
  readonly marketNeeds: MarketNeed[];
  private readonly asset: 'BTC' | 'ETH';

  constructor(
    readonly mode: StrategyMode,
    private readonly config: CarryConfig,
    private readonly leg: LongLeg,
    private readonly marginRatioTarget: number,
    private readonly dustLst: string | null = null,
  ) {
    this.asset = leg.asset;
    this.subscriptions = [
      ...new Set([
        WALLET_USDT,
        ...leg.keys,
        ...CEX_VENUES.flatMap((v) => [this.usdtKey(v), this.perpKey(v)]),
      ]),
    ];
    this.marketNeeds = [
      ...new Set<MarketNeed>([
        'pricesUsd:USDT',
        `pricesUsd:${this.asset}`,
        'pricesUsd:ETH',
        'gasPriceGwei',
        ...leg.needs,
        ...CEX_VENUES.flatMap((v): MarketNeed[] => [
          `perpMarkUsd:${v}:${this.asset}`,
          `fundingRatePer8h:${v}:${this.asset}`,
        ]),
      ]),
    ];
  }

  get riskLimits() {
    return this.config.risk;
  }

  initialCapital() {
    return { asset: 'USDT', amount: this.config.initialCapital };
  }

  decide(ctx: StrategyContext): ExecutionUnit[] {
    const dust = this.dustLst ? sellDust(ctx, this.dustLst, this.config.dustThreshold) : [];
    const reserve = this.gasReserveUsd(ctx);
    const deployable = ctx.exposure.equitySc - reserve - ctx.pendingWithdrawalSc;
    if (deployable <= 0) return dust;
    const notional = deployable / (1 + this.marginRatioTarget);
    const target = {
      reserve: reserve + ctx.pendingWithdrawalSc,
      notional,
      units: notional / spotPrice(ctx, this.asset),
    };
    const why = this.trigger(ctx, target.reserve);
    if (!why) return dust;
    const tag: OrderTag = { intent: this.intent(ctx, why), why };
    const topUp = this.topUpWallet(ctx, reserve, tag);
    const start = ctx.project(ctx.state, [...topUp, ...dust]);
    const shrink = this.resize(ctx, start, target.units, 'shrink', tag);
    const shrunk = ctx.project(start, shrink);
    const transfers = this.transfers(ctx, shrunk, target, tag);
    const funded = ctx.project(shrunk, transfers);
    const grow = this.resize(ctx, funded, target.units, 'grow', tag);
    return [...topUp, ...dust, ...shrink, ...transfers, ...grow];
  }

  /**
   * USDT the wallet keeps for the gas of one full rebalance at today's gas price (a swap,
   * a loop or stake, and a transfer to each venue), times the reserve multiple.
   */
  private gasReserveUsd(ctx: StrategyContext): number {
    const gas = (op: Parameters<StrategyContext['costs']['gas']>[0]) =>
      ctx.costs.gas(op, ctx.market).usd;
    const onChain =
      gas('TOKEN_SWAP') + gas('ATOMIC_ENTRY') + gas('VENUE_TRANSFER') * (CEX_VENUES.length + 1);
    return onChain * this.config.gasReserveMultiple;
  }

  /**
   * Before a rebalance's on-chain steps, refill the wallet's gas reserve from the venue
   * with the most USDT if gas has eaten into it (the venue pays its own withdrawal fee).
   */
  private topUpWallet(ctx: StrategyContext, reserve: number, tag: OrderTag): ExecutionUnit[] {
    const short = reserve - amountOf(ctx.state, WALLET_USDT);
    if (short <= 0 || amountOf(ctx.state, WALLET_USDT) >= reserve / this.config.gasReserveMultiple)
      return [];
    const richest = [...CEX_VENUES].sort(
      (a, b) => amountOf(ctx.state, this.usdtKey(b)) - amountOf(ctx.state, this.usdtKey(a)),
    )[0]!;
    const amount = Math.min(short, amountOf(ctx.state, this.usdtKey(richest)) / 2);
    if (amount <= 0) return [];
    return [
      order(
        ctx,
        tag,
        { operation: 'transfer', venue: richest, toVenue: 'wallet', asset: 'USDT', amount },
        'refill the wallet gas reserve',
      ),
    ];
  }

  private usdtKey(v: CexVenue): PositionKey {
    return positionKey(v, 'BaseToken', 'USDT');
  }

  private perpKey(v: CexVenue): PositionKey {
    return positionKey(v, 'Perp', `${this.asset}USDT`);
  }

  private intent(ctx: StrategyContext, why: string): Intent {
    if (why === 'entry') return 'entry_full';
    if (ctx.pendingWithdrawalSc > 0) return 'exit_partial';
    return why === 'deposit in wallet' ? 'entry_partial' : 'rebalance';
  }

  /** Why to trade now, or null to hold. */
  private trigger(ctx: StrategyContext, reserve: number): string | null {
    const sizes = CEX_VENUES.map((v) => amountOf(ctx.state, this.perpKey(v)));
    const totalShort = -sizes.reduce((a, b) => a + b, 0);
    if (totalShort <= 0) return 'entry';
    const walletUsdt = amountOf(ctx.state, WALLET_USDT);
    if (walletUsdt - reserve > this.config.minTransferUsd * 10) return 'deposit in wallet';
    if (ctx.pendingWithdrawalSc > 0 && walletUsdt < reserve) return 'withdrawal requested';
    const m = this.marginRatioTarget;
    const band = this.config.marginRatioBand;
    for (const v of CEX_VENUES) {
      const ratio = ctx.risk.marginRatio[v];
      if (ratio !== undefined && (ratio < m * (1 - band) || ratio > m * (1 + band))) {
        return `margin ratio ${ratio.toFixed(3)} on ${v} outside ${m.toFixed(2)} +/- ${band * 100}%`;
      }
    }
    if (ctx.exposure.deltaRatio > this.config.deltaRebalanceThreshold) {
      return `net delta ${(ctx.exposure.deltaRatio * 100).toFixed(2)}% of equity`;
    }
    for (const [i, v] of CEX_VENUES.entries()) {
      const share = -(sizes[i] ?? 0) / totalShort;
      if (
        Math.abs(share - this.config.hedgeAllocation[v]) > this.config.positionDeviationThreshold
      ) {
        return `hedge share on ${v} ${(share * 100).toFixed(1)}% vs ${this.config.hedgeAllocation[v] * 100}%`;
      }
    }
    return null;
  }

  /** Leg and perp orders toward target that shrink or grow positions. */
  private resize(
    ctx: StrategyContext,
    state: PositionState,
    units: number,
    direction: 'shrink' | 'grow',
    tag: OrderTag,
  ): ExecutionUnit[] {
    const minQty = MIN_TRADE_USD / spotPrice(ctx, this.asset);
    const out: ExecutionUnit[] = [];
    const legGap = units - this.leg.units(state, ctx.market);
    if (direction === 'shrink' && legGap < -minQty)
      out.push(...this.leg.shrink(ctx, state, -legGap, tag));
    if (direction === 'grow' && legGap > minQty)
      out.push(...this.leg.grow(ctx, state, legGap, tag));
    for (const v of CEX_VENUES) {
      const gap = units * this.config.hedgeAllocation[v] + amountOf(state, this.perpKey(v)); // > 0: short too small
      if (Math.abs(gap) <= minQty || gap < 0 !== (direction === 'shrink')) continue;
      out.push(
        order(
          ctx,
          tag,
          {
            operation: 'perp_trade',
            venue: v,
            asset: this.asset,
            side: gap > 0 ? 'sell' : 'buy',
            amount: Math.abs(gap),
          },
          gap > 0 ? `short ${this.asset} perp on ${v}` : `reduce ${this.asset} perp short on ${v}`,
        ),
      );
    }
    return out;
  }

  /**
   * USDT each account needs to reach its target after the shrinking: margin for its perps
   * at the target ratio plus fees of perps still to open, and on the spot venue the cost
   * of growing the leg. The wallet keeps its reserve (and any withdrawal requested).
   * Surpluses pay deficits, largest first.
   */
  private transfers(
    ctx: StrategyContext,
    state: PositionState,
    target: { reserve: number; notional: number; units: number },
    tag: OrderTag,
  ): ExecutionUnit[] {
    const m = this.marginRatioTarget;
    const needs: { venue: string; need: number; available: number }[] = [
      {
        venue: 'wallet',
        need: target.reserve - amountOf(state, WALLET_USDT),
        available: amountOf(state, WALLET_USDT),
      },
    ];
    for (const v of CEX_VENUES) {
      const alloc = this.config.hedgeAllocation[v];
      const mark = ctx.market.perpMarkUsd[`${v}:${this.asset}`] ?? spotPrice(ctx, this.asset);
      const size = amountOf(state, this.perpKey(v));
      const entry = state.perps[this.perpKey(v)]?.entryPriceUsd ?? mark;
      const equity = amountOf(state, this.usdtKey(v)) + size * (mark - entry);
      const toOpen = Math.max(0, target.units * alloc + size);
      let need = m * alloc * target.notional - equity + toOpen * mark * ctx.costs.takerFeeRate(v);
      if (v === SPOT_VENUE)
        need += this.leg.costToGrow(
          ctx,
          Math.max(0, target.units - this.leg.units(state, ctx.market)),
        );
      // A CEX charges the withdrawal's chain fee to the account it leaves.
      const fee = ctx.costs.gas('VENUE_TRANSFER', ctx.market).usd * this.config.gasReserveMultiple;
      needs.push({
        venue: v,
        need,
        available: Math.max(0, amountOf(state, this.usdtKey(v)) - fee),
      });
    }
    const sources = needs
      .filter((n) => n.need < 0)
      .map((n) => ({ venue: n.venue, left: Math.min(-n.need, n.available) }))
      .sort((a, b) => b.left - a.left || a.venue.localeCompare(b.venue));
    const sinks = needs
      .filter((n) => n.need > this.config.minTransferUsd)
      .map((n) => ({ venue: n.venue, left: n.need }))
      .sort((a, b) => b.left - a.left || a.venue.localeCompare(b.venue));
    const out: ExecutionUnit[] = [];
    for (const sink of sinks) {
      for (const source of sources) {
        const amount = Math.min(sink.left, source.left);
        if (amount < this.config.minTransferUsd) continue;
        out.push(
          order(
            ctx,
            tag,
            {
              operation: 'transfer',
              venue: source.venue as Venue,
              toVenue: sink.venue as Venue,
              asset: 'USDT',
              amount,
            },
            `fund ${sink.venue} from ${source.venue}`,
          ),
        );
        sink.left -= amount;
        source.left -= amount;
      }
    }
    return out;
  }
}
