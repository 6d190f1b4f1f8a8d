import {
  CEX_VENUES,
  positionKey,
  type BtcBasisConfig,
  type CexVenue,
  type ExecutionUnit,
  type Instruction,
  type Intent,
  type MarketNeed,
  type PositionKey,
} from '@tightloop/contracts';
import { LoopInvariantError } from '../errors';
import { amountOf, type PositionState } from '../positions/position-state';
import { single, type Strategy, type StrategyContext } from './strategy.port';

const WALLET_USDT: PositionKey = 'wallet:BaseToken:USDT';
const SPOT_VENUE = 'binance' as const;
const SPOT_BTC = positionKey(SPOT_VENUE, 'BaseToken', 'BTC');
const usdtKey = (v: CexVenue) => positionKey(v, 'BaseToken', 'USDT');
const perpKey = (v: CexVenue) => positionKey(v, 'Perp', 'BTCUSDT');
/** Venues' minimum order notional. */
const MIN_TRADE_USD = 10;

/**
 * Long BTC spot on Binance, short BTC perps split across venues by allocation, funded so
 * that each venue's account equity is `marginRatioTarget` of its perp notional:
 * with deployable equity D, perp notional N = D / (1 + m) and spot = N.
 * Rebalances (to the full target) on a deposit, a margin ratio outside its band, net delta
 * drift, or allocation drift. A rebalance first reduces legs, then moves USDT between
 * venues, then adds to legs, so no step spends funds that are not there yet.
 */
export class BtcBasisStrategy implements Strategy {
  readonly mode = 'btc_basis' as const;
  readonly shareClass = 'USDT' as const;
  readonly subscriptions: PositionKey[] = [
    WALLET_USDT,
    SPOT_BTC,
    ...CEX_VENUES.flatMap((v) => [usdtKey(v), perpKey(v)]),
  ];
  readonly marketNeeds: MarketNeed[] = [
    'pricesUsd:USDT',
    'pricesUsd:BTC',
    'pricesUsd:ETH',
    'spotUsd:binance:BTC',
    'gasPriceGwei',
    ...CEX_VENUES.flatMap((v): MarketNeed[] => [`perpMarkUsd:${v}:BTC`, `fundingRatePer8h:${v}:BTC`]),
  ];

  constructor(private readonly config: BtcBasisConfig) {}

  get riskLimits() {
    return this.config.risk;
  }

  initialCapital() {
    return { asset: 'USDT', amount: this.config.initialCapital };
  }

  decide(ctx: StrategyContext): ExecutionUnit[] {
    const target = this.target(ctx);
    if (!target) return [];
    const trigger = this.trigger(ctx, target.reserve);
    if (!trigger) return [];
    const intent: Intent = trigger === 'entry' ? 'entry_full' : 'rebalance';
    const reduce = this.legTrades(ctx, ctx.state, target.spotQty, 'reduce', intent, trigger);
    const afterReduce = ctx.project(ctx.state, reduce);
    const transfers = this.transfers(ctx, afterReduce, target, intent, trigger);
    const afterTransfers = ctx.project(afterReduce, transfers);
    const increase = this.legTrades(ctx, afterTransfers, target.spotQty, 'increase', intent, trigger);
    return [...reduce, ...transfers, ...increase];
  }

  private target(ctx: StrategyContext) {
    const price = this.spotPrice(ctx);
    const reserve =
      ctx.costs.gas('VENUE_TRANSFER', ctx.market).usd * this.config.gasReserveMultiple * CEX_VENUES.length;
    const deployable = ctx.exposure.equitySc - reserve;
    if (deployable <= 0) return null;
    const notional = deployable / (1 + this.config.marginRatioTarget);
    return { reserve, notional, spotQty: notional / price };
  }

  /** Why to trade now, or null to hold. */
  private trigger(ctx: StrategyContext, reserve: number): string | null {
    const sizes = CEX_VENUES.map((v) => amountOf(ctx.state, perpKey(v)));
    const totalShort = -sizes.reduce((a, b) => a + b, 0);
    if (totalShort <= 0) return 'entry';
    if (amountOf(ctx.state, WALLET_USDT) - reserve > this.config.minTransferUsd * 10) return 'deposit in wallet';
    const m = this.config.marginRatioTarget;
    const band = this.config.marginRatioBand;
    for (const v of CEX_VENUES) {
      const ratio = ctx.risk.marginRatio[v];
      if (ratio !== undefined && (ratio < m * (1 - band) || ratio > m * (1 + band))) {
        return `margin ratio ${ratio.toFixed(3)} on ${v} outside ${m} +/- ${band * 100}%`;
      }
    }
    if (ctx.exposure.deltaRatio > this.config.deltaRebalanceThreshold) {
      return `net delta ${(ctx.exposure.deltaRatio * 100).toFixed(2)}% of equity`;
    }
    for (const [i, v] of CEX_VENUES.entries()) {
      const share = -(sizes[i] ?? 0) / totalShort;
      if (Math.abs(share - this.config.hedgeAllocation[v]) > this.config.positionDeviationThreshold) {
        return `hedge share on ${v} ${(share * 100).toFixed(1)}% vs ${this.config.hedgeAllocation[v] * 100}%`;
      }
    }
    return null;
  }

  /** Spot and perp orders toward target that shrink (`reduce`) or grow (`increase`) legs. */
  private legTrades(
    ctx: StrategyContext,
    state: PositionState,
    spotQty: number,
    direction: 'reduce' | 'increase',
    intent: Intent,
    why: string,
  ): ExecutionUnit[] {
    const minQty = MIN_TRADE_USD / this.spotPrice(ctx);
    const units: ExecutionUnit[] = [];
    const order = (fields: Pick<Instruction, 'operation' | 'venue' | 'side' | 'amount'>, what: string) =>
      units.push(single(ctx.instruction({ ...fields, asset: 'BTC', intent, reason: `${what} (${why})` })));

    const spotGap = spotQty - amountOf(state, SPOT_BTC);
    if (Math.abs(spotGap) > minQty && (spotGap < 0) === (direction === 'reduce')) {
      order(
        { operation: 'spot_trade', venue: SPOT_VENUE, side: spotGap > 0 ? 'buy' : 'sell', amount: Math.abs(spotGap) },
        spotGap > 0 ? 'buy spot BTC to target' : 'sell spot BTC to target',
      );
    }
    for (const v of CEX_VENUES) {
      const targetShort = spotQty * this.config.hedgeAllocation[v];
      const gap = targetShort + amountOf(state, perpKey(v)); // > 0: short too small
      if (Math.abs(gap) > minQty && (gap < 0) === (direction === 'reduce')) {
        order(
          { operation: 'perp_trade', venue: v, side: gap > 0 ? 'sell' : 'buy', amount: Math.abs(gap) },
          gap > 0 ? `short BTC perp on ${v}` : `reduce BTC perp short on ${v}`,
        );
      }
    }
    return units;
  }

  /**
   * USDT each account needs to reach its target, after the reductions: margin for its
   * perps at the target ratio, plus (Binance) the cost of the spot still to buy and the
   * fees of the perps still to open. Surpluses pay deficits, largest first.
   */
  private transfers(
    ctx: StrategyContext,
    state: PositionState,
    target: { reserve: number; notional: number; spotQty: number },
    intent: Intent,
    why: string,
  ): ExecutionUnit[] {
    const m = this.config.marginRatioTarget;
    const price = this.spotPrice(ctx);
    const need = new Map<string, { need: number; available: number }>();
    need.set('wallet', {
      need: target.reserve - amountOf(state, WALLET_USDT),
      available: amountOf(state, WALLET_USDT),
    });
    for (const v of CEX_VENUES) {
      const alloc = this.config.hedgeAllocation[v];
      const mark = ctx.market.perpMarkUsd[`${v}:BTC`] ?? price;
      const size = amountOf(state, perpKey(v));
      const entry = state.perps[perpKey(v)]?.entryPriceUsd ?? mark;
      const equity = amountOf(state, usdtKey(v)) + size * (mark - entry);
      const toOpen = Math.max(0, target.spotQty * alloc + size);
      let venueNeed = m * alloc * target.notional - equity + toOpen * mark * ctx.costs.takerFeeRate(v);
      if (v === SPOT_VENUE) {
        const toBuy = Math.max(0, target.spotQty - amountOf(state, SPOT_BTC));
        venueNeed += toBuy * price * (1 + ctx.costs.takerFeeRate(v) + 2 * ctx.costs.spotSlippage());
      }
      need.set(v, { need: venueNeed, available: amountOf(state, usdtKey(v)) });
    }
    const sources = [...need]
      .filter(([, n]) => n.need < 0)
      .map(([venue, n]) => ({ venue, left: Math.min(-n.need, n.available) }))
      .sort((a, b) => b.left - a.left || a.venue.localeCompare(b.venue));
    const sinks = [...need]
      .filter(([, n]) => n.need > this.config.minTransferUsd)
      .map(([venue, n]) => ({ venue, left: n.need }))
      .sort((a, b) => b.left - a.left || a.venue.localeCompare(b.venue));

    const units: ExecutionUnit[] = [];
    for (const sink of sinks) {
      for (const source of sources) {
        const amount = Math.min(sink.left, source.left);
        if (amount < this.config.minTransferUsd) continue;
        units.push(
          single(
            ctx.instruction({
              operation: 'transfer',
              venue: source.venue as Instruction['venue'],
              toVenue: sink.venue as Instruction['venue'],
              asset: 'USDT',
              amount,
              intent,
              reason: `fund ${sink.venue} from ${source.venue} (${why})`,
            }),
          ),
        );
        sink.left -= amount;
        source.left -= amount;
      }
    }
    return units;
  }

  private spotPrice(ctx: StrategyContext): number {
    const price = ctx.market.spotUsd[`${SPOT_VENUE}:BTC`];
    if (price === undefined) throw new LoopInvariantError('MKT.MISSING', 'btc_basis needs spotUsd binance:BTC');
    return price;
  }
}
