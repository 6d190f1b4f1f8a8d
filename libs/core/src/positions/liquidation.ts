import {
  CEX_VENUES,
  parsePositionKey,
  positionKey,
  type MarketSnapshot,
  type PositionDelta,
  type PositionKey,
} from '@tightloop/contracts';
import { amountOf, applyDeltas, type PositionState } from './position-state';
import {
  aaveReserve,
  borrowIndex,
  isLst,
  lstRate,
  perpMarkUsd,
  priceUsd,
  supplyIndex,
} from '../valuation/valuation';

export interface LiquidationParams {
  maintenanceMarginRatio: number;
  liquidationFeeRate: number;
  aaveLiquidationThreshold: number;
  aaveLiquidationBonus: number;
}

export interface Liquidation {
  venue: string;
  detail: string;
  deltas: PositionDelta[];
}

/**
 * What the venues do to an account past its limits, before the strategy may act: a CEX
 * force-closes every perp of an account under maintenance margin at the mark and charges
 * a fee on the notional (the loss is capped at the account's equity); AAVE lets a
 * liquidator repay half the debt of a position whose health factor is under 1 and take
 * collateral worth the repaid debt plus the bonus.
 */
export function liquidations(
  state: PositionState,
  market: MarketSnapshot,
  p: LiquidationParams,
): { state: PositionState; liquidations: Liquidation[] } {
  const out: Liquidation[] = [];
  let next = state;
  for (const venue of CEX_VENUES) {
    const perps = (Object.keys(next.perps) as PositionKey[]).filter(
      (k) => k.startsWith(`${venue}:`) && amountOf(next, k) !== 0,
    );
    if (perps.length === 0) continue;
    const usdt = positionKey(venue, 'BaseToken', 'USDT');
    let upnl = 0;
    let notional = 0;
    for (const key of perps) {
      const mark = perpMarkUsd(market, venue, parsePositionKey(key).symbol);
      upnl += amountOf(next, key) * (mark - next.perps[key]!.entryPriceUsd);
      notional += Math.abs(amountOf(next, key)) * mark;
    }
    const equity = amountOf(next, usdt) + upnl;
    if (equity / notional >= p.maintenanceMarginRatio) continue;
    const fee = Math.min(Math.max(equity, 0), notional * p.liquidationFeeRate);
    const deltas: PositionDelta[] = perps.map((key) => ({
      key,
      amount: -amountOf(next, key),
      priceUsd: perpMarkUsd(market, venue, parsePositionKey(key).symbol),
    }));
    // The account keeps what is left of its equity; a deficit is the venue's insurance fund's.
    deltas.push({ key: usdt, amount: Math.max(equity - fee, 0) - amountOf(next, usdt) });
    out.push({
      venue,
      detail: `margin ratio ${(equity / notional).toFixed(4)} under ${p.maintenanceMarginRatio}: perps closed, fee ${fee.toFixed(2)} USD`,
      deltas,
    });
    next = applyDeltas(next, deltas);
  }
  const aave = aaveLiquidation(next, market, p);
  if (aave) {
    out.push(aave);
    next = applyDeltas(next, aave.deltas);
  }
  return { state: next, liquidations: out };
}

function aaveLiquidation(
  state: PositionState,
  market: MarketSnapshot,
  p: LiquidationParams,
): Liquidation | null {
  const keys = Object.keys(state.amounts) as PositionKey[];
  const debtKey = keys.find((k) => k.startsWith('aave_v3:debtToken:') && amountOf(state, k) > 0);
  const collateralKey = keys.find((k) => k.startsWith('aave_v3:aToken:') && amountOf(state, k) > 0);
  if (!debtKey || !collateralKey) return null;
  const debtReserve = aaveReserve(parsePositionKey(debtKey).symbol);
  const collReserve = aaveReserve(parsePositionKey(collateralKey).symbol);
  const usdPerScaledDebt = borrowIndex(market, debtReserve) * priceUsd(market, debtReserve);
  const usdPerScaledColl =
    supplyIndex(market, collReserve) *
    (isLst(collReserve)
      ? lstRate(market, collReserve) * priceUsd(market, 'ETH')
      : priceUsd(market, collReserve));
  const debtUsd = amountOf(state, debtKey) * usdPerScaledDebt;
  const collUsd = amountOf(state, collateralKey) * usdPerScaledColl;
  const hf = (collUsd * p.aaveLiquidationThreshold) / debtUsd;
  if (hf >= 1) return null;
  const repaidUsd = debtUsd / 2;
  const seizedUsd = Math.min(collUsd, repaidUsd * (1 + p.aaveLiquidationBonus));
  return {
    venue: 'aave_v3',
    detail: `health factor ${hf.toFixed(4)} under 1: half the debt repaid by a liquidator, collateral worth ${seizedUsd.toFixed(2)} USD seized`,
    deltas: [
      { key: debtKey, amount: -repaidUsd / usdPerScaledDebt },
      { key: collateralKey, amount: -seizedUsd / usdPerScaledColl },
    ],
  };
}
