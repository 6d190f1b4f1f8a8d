import { z } from 'zod';
import { executionUnitSchema, fillSchema, positionDeltaSchema } from './instruction';
import { positionKeySchema } from './instrument-key';
import { marketSnapshotSchema } from './market';
import {
  attributionSchema,
  exposureSchema,
  pnlReportSchema,
  positionSnapshotSchema,
  riskReportSchema,
} from './stage-messages';
import { strategyConfigSchema } from './strategy-config';
import { runIdSchema } from './subjects';

const num = z.number().finite();
const shareClass = z.enum(['USDT', 'ETH']);
const partialAttribution = attributionSchema.partial();

export const pnlStateSchema = z.object({
  netCapitalSc: num,
  cumulative: attributionSchema,
  peakEquitySc: num,
});

const riskLimitsSchema = z.object({
  maintenanceMarginRatio: num,
  marginRatioWarn: num,
  deltaRatioWarn: num,
  deltaRatioMax: num,
  healthFactorMin: num,
  aaveLiquidationThreshold: num.optional(),
  aaveMaxLtv: num.optional(),
  liquidationFeeRate: num.optional(),
  lstDepegWarn: num.optional(),
  lstDepegMax: num.optional(),
});

/** Every stage request names its run and its place in the run: the idempotency key. */
const at = {
  runId: runIdSchema,
  tickIndex: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
};

/** Each request and its response, by operation; one map types both ends. */
export const STAGE_OPERATIONS = {
  'positions.refresh': {
    request: z.object({
      ...at,
      state: positionSnapshotSchema,
      market: marketSnapshotSchema,
      deposits: z.array(z.object({ asset: z.string(), amount: num })),
      shareClass,
      liquidation: z.object({
        maintenanceMarginRatio: num,
        liquidationFeeRate: num,
        aaveLiquidationThreshold: num,
        aaveLiquidationBonus: num,
      }),
    }),
    response: z.object({
      state: positionSnapshotSchema,
      funding: z.array(
        z.object({
          perpKey: positionKeySchema,
          size: num,
          markUsd: num,
          ratePer8h: num,
          amountUsd: num,
        }),
      ),
      rewards: z.array(z.object({ lst: z.string(), token: z.string(), lstHeld: num, amount: num })),
      liquidations: z.array(
        z.object({ venue: z.string(), detail: z.string(), deltas: z.array(positionDeltaSchema) }),
      ),
      capitalSc: num,
      attribution: partialAttribution,
    }),
  },
  'positions.apply': {
    request: z.object({ ...at, state: positionSnapshotSchema, fills: z.array(fillSchema) }),
    response: positionSnapshotSchema,
  },
  'exposure.compute': {
    request: z.object({
      ...at,
      state: positionSnapshotSchema,
      market: marketSnapshotSchema,
      shareClass,
    }),
    response: exposureSchema,
  },
  'risk.assess': {
    request: z.object({
      ...at,
      exposure: exposureSchema,
      limits: riskLimitsSchema,
      market: marketSnapshotSchema,
    }),
    response: riskReportSchema,
  },
  'pnl.update': {
    request: z.object({
      ...at,
      pnl: pnlStateSchema,
      exposure: exposureSchema,
      market: marketSnapshotSchema,
      shareClass,
      moveFrom: z
        .object({ state: positionSnapshotSchema, market: marketSnapshotSchema })
        .nullable(),
      capitalSc: num,
      attribution: partialAttribution,
      fills: z.array(fillSchema),
    }),
    response: z.object({ pnl: pnlStateSchema, report: pnlReportSchema }),
  },
  'strategy.decide': {
    request: z.object({
      ...at,
      config: strategyConfigSchema,
      tsMs: z.number().int(),
      state: positionSnapshotSchema,
      exposure: exposureSchema,
      risk: riskReportSchema,
      pnl: pnlReportSchema,
      market: marketSnapshotSchema,
      pendingWithdrawalSc: num,
    }),
    response: z.array(executionUnitSchema),
  },
  'execution.execute': {
    request: z.object({
      ...at,
      config: strategyConfigSchema,
      unit: executionUnitSchema,
      state: positionSnapshotSchema,
      market: marketSnapshotSchema,
    }),
    response: z.array(fillSchema),
  },
} as const;

export type StageOperation = keyof typeof STAGE_OPERATIONS;
export type StageRequest<O extends StageOperation> = z.infer<
  (typeof STAGE_OPERATIONS)[O]['request']
>;
export type StageResponse<O extends StageOperation> = z.infer<
  (typeof STAGE_OPERATIONS)[O]['response']
>;

/** The service that answers each operation. */
export const OPERATION_SERVICE: Readonly<Record<StageOperation, string>> = {
  'positions.refresh': 'position-monitor',
  'positions.apply': 'position-monitor',
  'exposure.compute': 'exposure-monitor',
  'risk.assess': 'risk-monitor',
  'pnl.update': 'pnl-monitor',
  'strategy.decide': 'strategy',
  'execution.execute': 'execution',
};

/**
 * `tightloop-rpc.<runId>.<operation>`: broad to narrow, one run's requests share a prefix.
 * Outside `tightloop.>`, which the JetStream stream captures (it would answer a request
 * with a publish acknowledgement).
 */
export function stageRequestSubject(runId: string, operation: StageOperation): string {
  return `tightloop-rpc.${runIdSchema.parse(runId)}.${operation}`;
}

/** What a service subscribes to: the operation for every run. */
export function stageRequestPattern(operation: StageOperation): string {
  return `tightloop-rpc.*.${operation}`;
}

/** The operation a request subject names (see `stageRequestSubject`); undefined for any other subject. */
export function stageOperationOf(subject: string): StageOperation | undefined {
  const prefix = 'tightloop-rpc.';
  if (!subject.startsWith(prefix)) return undefined;
  const operation = subject.slice(subject.indexOf('.', prefix.length) + 1);
  return Object.hasOwn(STAGE_OPERATIONS, operation) ? (operation as StageOperation) : undefined;
}
