import { z } from 'zod';
import { positionKeySchema, venueSchema } from './instrument-key';

export const Operation = {
  transfer: 'transfer',
  spot_trade: 'spot_trade',
  perp_trade: 'perp_trade',
  supply: 'supply',
  withdraw: 'withdraw',
  borrow: 'borrow',
  repay: 'repay',
  stake: 'stake',
  unstake: 'unstake',
  swap: 'swap',
  flash_borrow: 'flash_borrow',
  flash_repay: 'flash_repay',
} as const;
export type Operation = (typeof Operation)[keyof typeof Operation];
export const operationSchema = z.enum(Object.values(Operation) as [Operation, ...Operation[]]);

export const Intent = {
  entry_full: 'entry_full',
  entry_partial: 'entry_partial',
  exit_full: 'exit_full',
  exit_partial: 'exit_partial',
  sell_dust: 'sell_dust',
  rebalance: 'rebalance',
} as const;
export type Intent = (typeof Intent)[keyof typeof Intent];
export const intentSchema = z.enum(Object.values(Intent) as [Intent, ...Intent[]]);

/**
 * One action for one venue. `amount` is in units of `asset` (base asset for trades, the
 * token given for a swap). Trades: `side` buy = long base. Transfers move `asset` from
 * `venue` to `toVenue`. On-chain actions draw from and pay into `account` (default the
 * wallet; `instadapp` for the flash-loan intermediary). A swap turns `asset` into `toAsset`.
 */
export const instructionSchema = z
  .object({
    id: z.string().min(1),
    operation: operationSchema,
    venue: venueSchema,
    asset: z.string().min(1),
    amount: z.number().finite().positive(),
    side: z.enum(['buy', 'sell']).optional(),
    toVenue: venueSchema.optional(),
    account: venueSchema.optional(),
    toAsset: z.string().min(1).optional(),
    intent: intentSchema,
    reason: z.string(),
  })
  .strict();
export type Instruction = z.infer<typeof instructionSchema>;

/** A sequence executed one by one, or an atomic group that applies all or nothing. */
export const executionUnitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('single'), instruction: instructionSchema }),
  z.object({
    kind: z.literal('atomic'),
    groupId: z.string().min(1),
    instructions: z.array(instructionSchema).min(1),
  }),
]);
export type ExecutionUnit = z.infer<typeof executionUnitSchema>;

export const positionDeltaSchema = z.object({
  key: positionKeySchema,
  amount: z.number().finite(),
  /** Fill price of a perp delta; sets the entry price. */
  priceUsd: z.number().finite().positive().optional(),
});
export type PositionDelta = z.infer<typeof positionDeltaSchema>;

/** What a venue reports back for one instruction. Costs are in USD at the fill instant. */
export const fillSchema = z.object({
  instructionId: z.string(),
  status: z.enum(['filled', 'rejected']),
  deltas: z.array(positionDeltaSchema),
  priceUsd: z.number().finite().optional(),
  feeUsd: z.number().finite(),
  slippageUsd: z.number().finite(),
  gasUnits: z.number().finite(),
  gasEth: z.number().finite(),
  gasUsd: z.number().finite(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});
export type Fill = z.infer<typeof fillSchema>;
