import { z } from 'zod';
import { executionUnitSchema, fillSchema } from './instruction';
import { positionKeySchema } from './instrument-key';

const num = z.number().finite();
const shareClassSchema = z.enum(['USDT', 'ETH']);

/** Position monitor output: raw balances (scaled for AAVE) and perp bookkeeping. */
export const positionSnapshotSchema = z.object({
  amounts: z.record(positionKeySchema, num),
  perps: z.record(positionKeySchema, z.object({ entryPriceUsd: num, fundingAccruedUsd: num })),
});

export const exposureItemSchema = z.object({
  key: positionKeySchema,
  amount: num,
  deltaAsset: z.string(),
  deltaUnits: num,
  valueSc: num,
  notionalSc: num,
  kind: z.enum(['asset', 'debt', 'perp']),
});

/** Exposure monitor output: values in the share class and net delta per asset. */
export const exposureSchema = z.object({
  tsMs: z.number().int(),
  shareClass: shareClassSchema,
  equitySc: num,
  equityUsd: num,
  assetsSc: num,
  debtsSc: num,
  perpUpnlSc: num,
  perpNotionalSc: num,
  items: z.array(exposureItemSchema),
  netDelta: z.record(z.string(), num),
  netDeltaSc: num,
  deltaRatio: num,
});

export const riskEventSchema = z.object({
  code: z.string().regex(/^RISK\.[A-Z_]+$/),
  severity: z.enum(['warn', 'breach']),
  hard: z.boolean(),
  subject: z.string(),
  value: num,
  limit: num,
});

/** Risk monitor output. Null ratios mean "not applicable" (no perps, no AAVE debt). */
export const riskReportSchema = z.object({
  tsMs: z.number().int(),
  marginRatio: z.record(z.string(), num),
  /** Adverse move of the perp's price, as a fraction, that takes the venue to maintenance margin. */
  liquidationDistance: z.record(z.string(), num),
  minMarginRatio: num.nullable(),
  aaveLtv: num.nullable(),
  healthFactor: num.nullable(),
  deltaRatio: num,
  /** 1 - DEX rate / oracle rate per LST held (positive: trading under the oracle). */
  lstDepeg: z.record(z.string(), num),
  events: z.array(riskEventSchema),
});

export const ATTRIBUTION_KEYS = [
  'funding',
  'supplyYield',
  'borrowCost',
  'stakingYield',
  'rewards',
  'priceDelta',
  'basis',
  'tradingFees',
  'slippage',
  'gas',
  'liquidation',
] as const;
export type AttributionKey = (typeof ATTRIBUTION_KEYS)[number];
export const attributionSchema = z.object(
  Object.fromEntries(ATTRIBUTION_KEYS.map((k) => [k, num])) as Record<AttributionKey, typeof num>,
);

/** PnL monitor output, cumulative, in the share class. */
export const pnlReportSchema = z.object({
  tsMs: z.number().int(),
  equitySc: num,
  pnlCumSc: num,
  attribution: attributionSchema,
  unexplainedSc: num,
  drawdown: num,
});

/** Strategy output: the units to execute this tick, in order. */
export const strategyDecisionSchema = z.object({ units: z.array(executionUnitSchema) });

/** Execution output for one unit: the venue's fills and the reconciliation verdict. */
export const executionReportSchema = z.object({
  fills: z.array(fillSchema),
  reconciliation: z
    .object({
      ok: z.boolean(),
      keysChecked: z.number().int(),
      mismatches: z.array(
        z.object({ key: positionKeySchema, expected: num, actual: num, allowed: num }),
      ),
    })
    .nullable(),
});

export type PositionSnapshot = z.infer<typeof positionSnapshotSchema>;
export type ExposureItem = z.infer<typeof exposureItemSchema>;
export type Exposure = z.infer<typeof exposureSchema>;
export type RiskEvent = z.infer<typeof riskEventSchema>;
export type RiskReport = z.infer<typeof riskReportSchema>;
export type Attribution = z.infer<typeof attributionSchema>;
export type PnlReport = z.infer<typeof pnlReportSchema>;
export type StrategyDecision = z.infer<typeof strategyDecisionSchema>;
export type ExecutionReport = z.infer<typeof executionReportSchema>;
