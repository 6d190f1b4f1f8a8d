import { z } from 'zod';

const feeSchema = z.object({
  maker: z.number().min(0).max(0.05),
  taker: z.number().min(0).max(0.05),
});

/** Gas units per on-chain operation (operation_gas_costs_summary in the shared data). */
export const DEFAULT_GAS_UNITS = {
  VENUE_TRANSFER: 100_000,
  COLLATERAL_SUPPLIED: 250_000,
  COLLATERAL_WITHDRAWN: 220_000,
  LOAN_CREATED: 300_000,
  LOAN_REPAID: 280_000,
  STAKE_DEPOSIT: 150_000,
  STAKE_WITHDRAWAL: 200_000,
  TOKEN_SWAP: 180_000,
  ATOMIC_ENTRY: 1_250_000,
  ATOMIC_DELEVERAGE_ONE_SWAP: 850_000,
} as const;
export type GasOperation = keyof typeof DEFAULT_GAS_UNITS;

/**
 * Trading and on-chain costs. Defaults: venue taker fees from the venue configs; perp
 * execution cost by notional bucket from the execution-cost table (bps); spot slippage
 * 1 bp (no table row exists for CEX spot BTC/ETH).
 */
export const costsConfigSchema = z
  .object({
    tradingFees: z.record(z.string(), feeSchema).default({
      binance: { maker: 0.001, taker: 0.001 },
      bybit: { maker: 0.0001, taker: 0.0006 },
      okx: { maker: 0.0008, taker: 0.001 },
    }),
    spotSlippageBps: z.number().min(0).default(1),
    /** [notional upper bound USD, bps]; the first bucket >= notional applies, the last beyond. */
    perpSlippageBuckets: z
      .array(z.tuple([z.number().positive(), z.number().min(0)]))
      .min(1)
      .default([
        [10_000, 3],
        [100_000, 4],
        [1_000_000, 8],
      ]),
    gasUnits: z.record(z.string(), z.number().int().positive()).default({ ...DEFAULT_GAS_UNITS }),
    gasPriceMultiplier: z.number().positive().default(1),
    /**
     * DEX execution cost (fee + impact) in bps by pair and notional bucket, from the
     * execution-cost table; a pair not listed costs `dexDefaultBps`.
     */
    dexCostBuckets: z
      .record(z.string(), z.array(z.tuple([z.number().positive(), z.number().min(0)])).min(1))
      .default({
        'ETH/USDT': [
          [10_000, 5],
          [100_000, 7],
          [1_000_000, 13],
        ],
        'ETH/weETH': [
          [10_000, 20],
          [100_000, 24],
          [1_000_000, 35],
        ],
        'ETH/wstETH': [
          [10_000, 15],
          [100_000, 18],
          [1_000_000, 27],
        ],
        'EIGEN/ETH': [
          [10_000, 10],
          [100_000, 16],
          [1_000_000, 35],
        ],
        'ETHFI/ETH': [
          [10_000, 15],
          [100_000, 25],
          [1_000_000, 50],
        ],
      }),
    dexDefaultBps: z.number().min(0).default(7),
    /** Flash-loan fee (0 bps at Morpho and Balancer, ~5 at AAVE). */
    flashFeeBps: z.number().min(0).default(0),
  })
  .strict();
export type CostsConfig = z.infer<typeof costsConfigSchema>;
