import type {
  Exposure,
  ExposureItem,
  MarketSnapshot,
  PositionKey,
  ShareClass,
} from '@tightloop/contracts';

export type { Exposure, ExposureItem };
import type { PositionState } from '../positions/position-state';
import { deltaAsset, priceSc, priceUsd, valueParts } from '../valuation/valuation';

/**
 * Values every position in the share class. Equity = assets - debts + perp unrealised PnL
 * (perp notional is exposure, not value). Net delta is per asset other than the share
 * class, in asset units (LSTs and WETH count as ETH, shorts and debt negative).
 */
export function computeExposure(
  state: PositionState,
  market: MarketSnapshot,
  shareClass: ShareClass,
): Exposure {
  const items: ExposureItem[] = [];
  const netDelta: Record<string, number> = {};
  let assetsSc = 0;
  let debtsSc = 0;
  let perpUpnlSc = 0;
  let perpNotionalSc = 0;
  for (const key of Object.keys(state.amounts).sort() as PositionKey[]) {
    const amount = state.amounts[key] ?? 0;
    const asset = deltaAsset(key);
    if (amount === 0) {
      items.push({
        key,
        amount,
        deltaAsset: asset,
        deltaUnits: 0,
        valueSc: 0,
        notionalSc: 0,
        kind: 'asset',
      });
      continue;
    }
    const parts = valueParts(key, amount, state.perps[key], market, shareClass);
    items.push({
      key,
      amount,
      deltaAsset: asset,
      deltaUnits: parts.deltaUnits,
      valueSc: parts.value,
      notionalSc: parts.notional,
      kind: parts.kind,
    });
    if (parts.kind === 'perp') {
      perpUpnlSc += parts.value;
      perpNotionalSc += parts.notional;
    } else if (parts.kind === 'debt') debtsSc -= parts.value;
    else assetsSc += parts.value;
    if (asset !== shareClass) netDelta[asset] = (netDelta[asset] ?? 0) + parts.deltaUnits;
  }
  let netDeltaSc = 0;
  for (const [asset, units] of Object.entries(netDelta)) {
    netDeltaSc += Math.abs(units) * priceSc(market, asset, shareClass);
  }
  const equitySc = assetsSc - debtsSc + perpUpnlSc;
  return {
    tsMs: market.tsMs,
    shareClass,
    equitySc,
    equityUsd: equitySc * priceUsd(market, shareClass),
    assetsSc,
    debtsSc,
    perpUpnlSc,
    perpNotionalSc,
    items,
    netDelta,
    netDeltaSc,
    deltaRatio: equitySc > 0 ? netDeltaSc / equitySc : 0,
  };
}
