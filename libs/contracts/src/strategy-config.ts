import { z } from 'zod';
import { costsConfigSchema } from './costs-config';

export const ShareClass = { USDT: 'USDT', ETH: 'ETH' } as const;
export type ShareClass = (typeof ShareClass)[keyof typeof ShareClass];

const riskLimitsSchema = z
  .object({
    /** Account equity / perp notional below which a venue liquidates (hard limit). */
    maintenanceMarginRatio: z.number().positive().default(0.1),
    /** Margin ratio below which a warning event is raised. */
    marginRatioWarn: z.number().positive().default(0.15),
    /** |net delta| / equity above which a warning event is raised. */
    deltaRatioWarn: z.number().positive().default(0.005),
    /** |net delta| / equity above which the position is in breach (hard limit). */
    deltaRatioMax: z.number().positive().default(0.02),
    /** AAVE health factor below which new borrowing is refused. */
    healthFactorMin: z.number().min(1).default(1.1),
  })
  .strict()
  .default({
    maintenanceMarginRatio: 0.1,
    marginRatioWarn: 0.15,
    deltaRatioWarn: 0.005,
    deltaRatioMax: 0.02,
    healthFactorMin: 1.1,
  });

const reconciliationSchema = z
  .object({
    /** Allowed |expected - actual| per key, relative to the expected change on that key. */
    relativeTolerance: z.number().min(0).default(0.01),
    /** Absolute floor in token units, for keys whose expected change is ~0. */
    absoluteTolerance: z.number().min(0).default(1e-9),
  })
  .strict()
  .default({ relativeTolerance: 0.01, absoluteTolerance: 1e-9 });

const common = {
  shareClass: z.enum(['USDT', 'ETH']),
  initialCapital: z.number().finite().min(0, 'initial capital must not be negative'),
  /** Rebalance a leg when |current - target| / target exceeds this. */
  positionDeviationThreshold: z.number().positive().default(0.02),
  /** Share-class funds kept in the wallet to pay gas, as a multiple of the entry's gas estimate. */
  gasReserveMultiple: z.number().min(1).default(2),
  risk: riskLimitsSchema,
  reconciliation: reconciliationSchema,
  costs: costsConfigSchema.default(costsConfigSchema.parse({})),
};

export const pureLendingUsdtConfigSchema = z
  .object({
    mode: z.literal('pure_lending_usdt'),
    ...common,
    shareClass: z.literal('USDT').default('USDT'),
    initialCapital: common.initialCapital.default(100_000),
    /** Idle wallet USDT above this fraction of equity is supplied on the next tick. */
    idleCashThreshold: z.number().positive().default(0.001),
  })
  .strict();
export type PureLendingUsdtConfig = z.infer<typeof pureLendingUsdtConfigSchema>;

const allocationSchema = z
  .object({ binance: z.number().min(0), bybit: z.number().min(0), okx: z.number().min(0) })
  .strict()
  .refine((a) => Math.abs(a.binance + a.bybit + a.okx - 1) < 1e-9, {
    message: 'hedge allocation must sum to 1',
  });

export const btcBasisConfigSchema = z
  .object({
    mode: z.literal('btc_basis'),
    ...common,
    shareClass: z.literal('USDT').default('USDT'),
    initialCapital: common.initialCapital.default(100_000),
    hedgeAllocation: allocationSchema.default({ binance: 0.4, bybit: 0.3, okx: 0.3 }),
    /** Target CEX account equity / perp notional on every venue (YAML margin_ratio_target). */
    marginRatioTarget: z.number().positive().max(2).default(0.8),
    /** Rebalance when a venue's margin ratio leaves target x (1 +/- band). */
    marginRatioBand: z.number().positive().max(0.9).default(0.35),
    /** Rebalance the spot leg when |net BTC delta| / equity exceeds this. */
    deltaRebalanceThreshold: z.number().positive().default(0.005),
    /** Smallest transfer worth its gas, in USDT. */
    minTransferUsd: z.number().min(0).default(100),
  })
  .strict();
export type BtcBasisConfig = z.infer<typeof btcBasisConfigSchema>;

export const strategyConfigSchema = z.discriminatedUnion('mode', [
  pureLendingUsdtConfigSchema,
  btcBasisConfigSchema,
]);
export type StrategyConfig = z.infer<typeof strategyConfigSchema>;
export type StrategyMode = StrategyConfig['mode'];
export const STRATEGY_MODES = strategyConfigSchema.options.map(
  (o) => o.shape.mode.value,
) as StrategyMode[];
