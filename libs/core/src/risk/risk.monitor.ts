import {
  CEX_VENUES,
  parsePositionKey,
  type MarketSnapshot,
  type RiskEvent,
  type RiskReport,
} from '@tightloop/contracts';
import { aaveReserve, isLst } from '../valuation/valuation';
import type { Exposure } from '../exposure/exposure.monitor';

export type { RiskEvent, RiskReport };

export const RiskCode = {
  MARGIN_RATIO_LOW: 'RISK.MARGIN_RATIO_LOW',
  MARGIN_RATIO_BELOW_MAINTENANCE: 'RISK.MARGIN_RATIO_BELOW_MAINTENANCE',
  DELTA_DRIFT: 'RISK.DELTA_DRIFT',
  DELTA_LIMIT: 'RISK.DELTA_LIMIT',
  HEALTH_FACTOR_TOO_LOW: 'RISK.HEALTH_FACTOR_TOO_LOW',
  LTV_ABOVE_MAX: 'RISK.LTV_ABOVE_MAX',
  LST_DEPEG: 'RISK.LST_DEPEG',
} as const;
export type RiskCode = (typeof RiskCode)[keyof typeof RiskCode];

export interface RiskLimits {
  maintenanceMarginRatio: number;
  marginRatioWarn: number;
  deltaRatioWarn: number;
  deltaRatioMax: number;
  healthFactorMin: number;
  /** AAVE liquidation threshold and max LTV of the collateral (e-mode values by default). */
  aaveLiquidationThreshold?: number;
  aaveMaxLtv?: number;
  liquidationFeeRate?: number;
  lstDepegWarn?: number;
  lstDepegMax?: number;
}

interface VenueMargin {
  equity: number;
  notional: number;
  /** Net short (the venue's perps sum to a negative size). */
  short: boolean;
}

/** CEX account equity (USDT balance + perp uPnL) and perp notional per venue. */
function venueMargins(exposure: Exposure): Map<string, VenueMargin> {
  const cex = new Set<string>(CEX_VENUES);
  const out = new Map<string, VenueMargin>();
  for (const item of exposure.items) {
    const { venue, positionType, symbol } = parsePositionKey(item.key);
    if (!cex.has(venue)) continue;
    const margin = out.get(venue) ?? { equity: 0, notional: 0, short: false };
    if (positionType === 'Perp') {
      margin.equity += item.valueSc;
      margin.notional += item.notionalSc;
      margin.short = item.amount < 0;
    } else if (symbol === 'USDT') {
      margin.equity += item.valueSc;
    }
    out.set(venue, margin);
  }
  return out;
}

export function assessRisk(
  exposure: Exposure,
  limits: RiskLimits,
  market?: MarketSnapshot,
): RiskReport {
  const events: RiskEvent[] = [];
  const marginRatio: Record<string, number> = {};
  const liquidationDistance: Record<string, number> = {};
  for (const [venue, m] of [...venueMargins(exposure)].sort(([a], [b]) => a.localeCompare(b))) {
    if (m.notional <= 0) continue;
    const ratio = m.equity / m.notional;
    marginRatio[venue] = ratio;
    // A net short of notional N and equity E hits maintenance MM after a rise x with
    // E - N x = MM N (1 + x); a net long after a fall with E - N x = MM N (1 - x).
    const mm = limits.maintenanceMarginRatio;
    liquidationDistance[venue] = m.short ? (ratio - mm) / (1 + mm) : (ratio - mm) / (1 - mm);
    if (ratio < limits.maintenanceMarginRatio) {
      events.push({
        code: RiskCode.MARGIN_RATIO_BELOW_MAINTENANCE,
        severity: 'breach',
        hard: true,
        subject: venue,
        value: ratio,
        limit: limits.maintenanceMarginRatio,
      });
    } else if (ratio < limits.marginRatioWarn) {
      events.push({
        code: RiskCode.MARGIN_RATIO_LOW,
        severity: 'warn',
        hard: false,
        subject: venue,
        value: ratio,
        limit: limits.marginRatioWarn,
      });
    }
  }
  const ratios = Object.values(marginRatio);

  if (exposure.deltaRatio > limits.deltaRatioMax) {
    events.push({
      code: RiskCode.DELTA_LIMIT,
      severity: 'breach',
      hard: false,
      subject: 'net_delta',
      value: exposure.deltaRatio,
      limit: limits.deltaRatioMax,
    });
  } else if (exposure.deltaRatio > limits.deltaRatioWarn) {
    events.push({
      code: RiskCode.DELTA_DRIFT,
      severity: 'warn',
      hard: false,
      subject: 'net_delta',
      value: exposure.deltaRatio,
      limit: limits.deltaRatioWarn,
    });
  }

  const { aaveLtv, healthFactor } = aaveRisk(exposure, limits.aaveLiquidationThreshold ?? 0.95);
  if (healthFactor !== null && healthFactor < limits.healthFactorMin) {
    events.push({
      code: RiskCode.HEALTH_FACTOR_TOO_LOW,
      severity: 'breach',
      hard: true,
      subject: 'aave_v3',
      value: healthFactor,
      limit: limits.healthFactorMin,
    });
  }
  if (aaveLtv !== null && limits.aaveMaxLtv !== undefined && aaveLtv > limits.aaveMaxLtv) {
    events.push({
      code: RiskCode.LTV_ABOVE_MAX,
      severity: 'breach',
      hard: true,
      subject: 'aave_v3',
      value: aaveLtv,
      limit: limits.aaveMaxLtv,
    });
  }

  const lstDepeg = market ? depegs(exposure, market) : {};
  for (const [lst, discount] of Object.entries(lstDepeg)) {
    const max = limits.lstDepegMax ?? 0.0225;
    const warn = limits.lstDepegWarn ?? 0.005;
    if (discount > warn) {
      events.push({
        code: RiskCode.LST_DEPEG,
        severity: discount > max ? 'breach' : 'warn',
        hard: false,
        subject: lst,
        value: discount,
        limit: discount > max ? max : warn,
      });
    }
  }

  return {
    tsMs: exposure.tsMs,
    marginRatio,
    liquidationDistance,
    lstDepeg,
    minMarginRatio: ratios.length > 0 ? Math.min(...ratios) : null,
    aaveLtv,
    healthFactor,
    deltaRatio: exposure.deltaRatio,
    events,
  };
}

/** LTV = debt / collateral; HF = collateral x LT / debt (null without debt, i.e. infinite). */
function aaveRisk(exposure: Exposure, liquidationThreshold: number) {
  let collateral = 0;
  let debt = 0;
  for (const item of exposure.items) {
    if (!item.key.startsWith('aave_v3:')) continue;
    if (item.kind === 'debt') debt -= item.valueSc;
    else collateral += item.valueSc;
  }
  if (collateral === 0 && debt === 0) return { aaveLtv: null, healthFactor: null };
  return {
    aaveLtv: collateral > 0 ? debt / collateral : null,
    healthFactor: debt > 0 ? (collateral * liquidationThreshold) / debt : null,
  };
}

/** DEX discount to the oracle rate of each LST the book holds (directly or as collateral). */
function depegs(exposure: Exposure, market: MarketSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of exposure.items) {
    if (item.amount === 0) continue;
    const symbol = parsePositionKey(item.key).symbol;
    const lst = isLst(symbol) ? symbol : isLst(aaveReserve(symbol)) ? aaveReserve(symbol) : null;
    const dex = lst ? market.lstMarketRateEth?.[lst] : undefined;
    const oracle = lst ? market.lstRateEth[lst] : undefined;
    if (lst && dex !== undefined && oracle !== undefined) out[lst] = 1 - dex / oracle;
  }
  return out;
}

/** Hard breaches present in `after` that are new or worse than in `before`. */
export function worsenedHardBreaches(before: RiskReport, after: RiskReport): RiskEvent[] {
  return after.events.filter((event) => {
    if (!event.hard) return false;
    const prior = before.events.find((e) => e.code === event.code && e.subject === event.subject);
    if (!prior) return true;
    const lowerIsWorse = event.code !== RiskCode.LTV_ABOVE_MAX;
    return lowerIsWorse ? event.value < prior.value - 1e-12 : event.value > prior.value + 1e-12;
  });
}
