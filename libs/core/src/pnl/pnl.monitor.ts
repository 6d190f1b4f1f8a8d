import {
  ATTRIBUTION_KEYS,
  type Attribution,
  type AttributionKey,
  type Fill,
  type MarketSnapshot,
  type PnlReport,
  type PositionKey,
  type ShareClass,
} from '@tightloop/contracts';
import type { Exposure } from '../exposure/exposure.monitor';
import type { PositionState } from '../positions/position-state';
import { deltaAsset, priceSc, priceUsd, valueParts } from '../valuation/valuation';

export { ATTRIBUTION_KEYS };
export type { Attribution, AttributionKey, PnlReport };

export function zeroAttribution(): Attribution {
  return Object.fromEntries(ATTRIBUTION_KEYS.map((k) => [k, 0])) as Attribution;
}

/**
 * Balance-based PnL is the truth: equity - net capital contributed. Attribution explains
 * it category by category; `unexplained` is the remainder and must stay near zero.
 * All amounts in share-class units. State is carried across ticks and runs.
 */
export interface PnlState {
  netCapitalSc: number;
  cumulative: Attribution;
  peakEquitySc: number;
}

export function initialPnlState(): PnlState {
  return { netCapitalSc: 0, cumulative: zeroAttribution(), peakEquitySc: 0 };
}

export function addAttribution(state: PnlState, parts: Partial<Attribution>): PnlState {
  const cumulative = { ...state.cumulative };
  for (const [k, v] of Object.entries(parts) as [AttributionKey, number][]) cumulative[k] += v;
  return { ...state, cumulative };
}

export function addCapital(state: PnlState, amountSc: number): PnlState {
  return { ...state, netCapitalSc: state.netCapitalSc + amountSc };
}

/**
 * Value change of the positions held from `before` to `now`, split per key into index
 * accrual (supply yield, borrow cost), LST rate growth (staking) and price; price is then
 * split into net delta x reference price move and the rest (basis).
 */
export function marketMoveAttribution(
  state: PositionState,
  before: MarketSnapshot,
  now: MarketSnapshot,
  shareClass: ShareClass,
): Partial<Attribution> {
  let supplyYield = 0;
  let borrowCost = 0;
  let stakingYield = 0;
  let price = 0;
  const netDelta: Record<string, number> = {};
  for (const [key, amount] of Object.entries(state.amounts) as [PositionKey, number][]) {
    if (amount === 0) continue;
    const meta = state.perps[key];
    const p0 = valueParts(key, amount, meta, before, shareClass);
    const p1 = valueParts(key, amount, meta, now, shareClass);
    const sign = p0.kind === 'debt' ? -1 : 1;
    const indexPart = sign * amount * (p1.index - p0.index) * p1.rate * p1.price;
    if (p0.kind === 'debt') borrowCost += indexPart;
    else supplyYield += indexPart;
    stakingYield += sign * amount * p0.index * (p1.rate - p0.rate) * p1.price;
    price += p0.deltaUnits * (p1.price - p0.price);
    const asset = deltaAsset(key);
    if (asset !== shareClass) netDelta[asset] = (netDelta[asset] ?? 0) + p0.deltaUnits;
  }
  let priceDelta = 0;
  for (const [asset, units] of Object.entries(netDelta)) {
    priceDelta += units * (priceSc(now, asset, shareClass) - priceSc(before, asset, shareClass));
  }
  return { supplyYield, borrowCost, stakingYield, priceDelta, basis: price - priceDelta };
}

/** Costs a fill reports, as negative attribution in share-class units at the fill instant. */
export function fillCostAttribution(
  fill: Fill,
  market: MarketSnapshot,
  shareClass: ShareClass,
): Partial<Attribution> {
  const scUsd = priceUsd(market, shareClass);
  return {
    tradingFees: -fill.feeUsd / scUsd,
    slippage: -fill.slippageUsd / scUsd,
    gas: -fill.gasUsd / scUsd,
  };
}

export function pnlReport(
  state: PnlState,
  exposure: Exposure,
): { state: PnlState; report: PnlReport } {
  const equitySc = exposure.equitySc;
  const peakEquitySc = Math.max(state.peakEquitySc, equitySc);
  const pnlCumSc = equitySc - state.netCapitalSc;
  let explained = 0;
  for (const k of ATTRIBUTION_KEYS) explained += state.cumulative[k];
  return {
    state: { ...state, peakEquitySc },
    report: {
      tsMs: exposure.tsMs,
      equitySc,
      pnlCumSc,
      attribution: { ...state.cumulative },
      unexplainedSc: pnlCumSc - explained,
      drawdown: peakEquitySc > 0 ? 1 - equitySc / peakEquitySc : 0,
    },
  };
}
