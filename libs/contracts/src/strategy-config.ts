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
    /** LST discount to its oracle rate that raises a warning, and the breach level (max_stake_spread_move). */
    lstDepegWarn: z.number().positive().default(0.005),
    lstDepegMax: z.number().positive().default(0.0225),
    /** Fee a CEX charges on the notional it force-closes (DOMAIN §4.5 recommends 0.5 %). */
    liquidationFeeRate: z.number().min(0).default(0.005),
  })
  .strict()
  .default({
    maintenanceMarginRatio: 0.1,
    marginRatioWarn: 0.15,
    deltaRatioWarn: 0.005,
    deltaRatioMax: 0.02,
    healthFactorMin: 1.1,
    lstDepegWarn: 0.005,
    lstDepegMax: 0.0225,
    liquidationFeeRate: 0.005,
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

/** A deposit (+) or withdrawal (-) in share-class units, processed at the first tick at or after `at`. */
const capitalFlowSchema = z
  .object({
    at: z.string().datetime({ offset: true }),
    amount: z
      .number()
      .finite()
      .refine((x) => x !== 0, 'amount must not be 0'),
  })
  .strict();

const aaveSchema = z
  .object({
    /** Target LTV of the leveraged loop (YAML 0.65; max_ltv x (1 - max_stake_spread_move) = 0.909 is the aggressive choice). */
    targetLtv: z.number().positive().max(0.95).default(0.65),
    /** Re-lever or deleverage when LTV leaves target +/- this (DOMAIN: 0.02). */
    ltvBand: z.number().positive().default(0.02),
    /** E-mode for ETH-correlated collateral: max LTV 0.93, liquidation threshold 0.95, bonus 0.01. */
    emode: z.boolean().default(true),
    /** Health factor under which the strategy unwinds the loop entirely. */
    exitHealthFactor: z.number().min(1).default(1.05),
  })
  .strict()
  .default({ targetLtv: 0.65, ltvBand: 0.02, emode: true, exitHealthFactor: 1.05 });

const lstSchema = z.enum(['weETH', 'wstETH']);

const allocationSchema = z
  .object({ binance: z.number().min(0), bybit: z.number().min(0), okx: z.number().min(0) })
  .strict()
  .refine((a) => Math.abs(a.binance + a.bybit + a.okx - 1) < 1e-9, {
    message: 'hedge allocation must sum to 1',
  });

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
  capitalFlows: z.array(capitalFlowSchema).default([]),
  /** Reward tokens are sold when worth more than this fraction of equity (sell_dust). */
  dustThreshold: z.number().positive().default(0.002),
};

const hedgeAllocation = () => allocationSchema.default({ binance: 0.4, bybit: 0.3, okx: 0.3 });

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

const basisFields = {
  ...common,
  shareClass: z.literal('USDT').default('USDT'),
  initialCapital: common.initialCapital.default(100_000),
  hedgeAllocation: hedgeAllocation(),
  /** Target CEX account equity / perp notional on every venue (YAML margin_ratio_target). */
  marginRatioTarget: z.number().positive().max(2).default(0.8),
  /** Rebalance when a venue's margin ratio leaves target x (1 +/- band). */
  marginRatioBand: z.number().positive().max(0.9).default(0.35),
  /** Rebalance the long leg when |net delta| / equity exceeds this. */
  deltaRebalanceThreshold: z.number().positive().default(0.005),
  /** Smallest transfer worth its gas, in USDT. */
  minTransferUsd: z.number().min(0).default(100),
};

export const btcBasisConfigSchema = z
  .object({ mode: z.literal('btc_basis'), ...basisFields })
  .strict();
export const ethBasisConfigSchema = z
  .object({ mode: z.literal('eth_basis'), ...basisFields })
  .strict();

/**
 * USDT share class: `stakeAllocation` of equity staked, the rest CEX margin for the ETH
 * hedge, so the margin ratio target follows from it: (1 - s) / s.
 */
const { marginRatioTarget: _derivedFromStakeAllocation, ...hedgedBase } = basisFields;
const hedgedFields = {
  ...hedgedBase,
  lst: lstSchema.default('weETH'),
  stakeAllocation: z.number().positive().max(0.9).default(0.5),
};

export const hedgedSimpleConfigSchema = z
  .object({ mode: z.literal('usdt_eth_staking_hedged_simple'), ...hedgedFields })
  .strict();
export const hedgedLeveragedConfigSchema = z
  .object({
    mode: z.literal('usdt_eth_staking_hedged_leveraged'),
    ...hedgedFields,
    aave: aaveSchema,
  })
  .strict();

const ethFields = {
  ...common,
  shareClass: z.literal('ETH').default('ETH'),
  initialCapital: common.initialCapital.default(100),
  lst: lstSchema.default('weETH'),
  /** Idle wallet ETH above this fraction of equity is put to work on the next tick. */
  idleCashThreshold: z.number().positive().default(0.001),
};

export const ethStakingOnlyConfigSchema = z
  .object({ mode: z.literal('eth_staking_only'), ...ethFields })
  .strict();
export const ethLeveragedConfigSchema = z
  .object({ mode: z.literal('eth_leveraged'), ...ethFields, aave: aaveSchema })
  .strict();

export type EthBasisConfig = z.infer<typeof ethBasisConfigSchema>;
export type HedgedSimpleConfig = z.infer<typeof hedgedSimpleConfigSchema>;
export type HedgedLeveragedConfig = z.infer<typeof hedgedLeveragedConfigSchema>;
export type EthStakingOnlyConfig = z.infer<typeof ethStakingOnlyConfigSchema>;
export type EthLeveragedConfig = z.infer<typeof ethLeveragedConfigSchema>;
export type BtcBasisConfig = z.infer<typeof btcBasisConfigSchema>;

export const strategyConfigSchema = z.discriminatedUnion('mode', [
  pureLendingUsdtConfigSchema,
  btcBasisConfigSchema,
  ethBasisConfigSchema,
  ethStakingOnlyConfigSchema,
  ethLeveragedConfigSchema,
  hedgedSimpleConfigSchema,
  hedgedLeveragedConfigSchema,
]);
export type StrategyConfig = z.infer<typeof strategyConfigSchema>;
export type StrategyMode = StrategyConfig['mode'];
export const STRATEGY_MODES = strategyConfigSchema.options.map(
  (o) => o.shape.mode.value,
) as StrategyMode[];
