import type { GasOperation, PositionDelta } from '@tightloop/contracts';

/** What one instruction does before gas: its deltas and explicit costs, in USD. */
export interface Priced {
  deltas: PositionDelta[];
  priceUsd?: number;
  feeUsd: number;
  /** Execution price against the valuation mark (signed: negative when better than mark). */
  slippageUsd: number;
  gas?: GasOperation;
}
