/**
 * Attribute names on the loop's spans. One trace per tick; a span per stage; a span per
 * instruction with its reconciliation pass as a child. Jaeger searches by these, so they
 * are a contract: rename one and every saved query breaks.
 */
export const LoopAttribute = {
  RUN_ID: 'tightloop.run_id',
  /** Zero-based position of the tick in the run. */
  TICK_INDEX: 'tightloop.tick_index',
  /** The tick's market timestamp in epoch milliseconds (simulated time in a backtest). */
  TICK_TS: 'tightloop.tick_ts',
  /** One of `LoopStage`. */
  STAGE: 'tightloop.stage',
  INSTRUCTION_ID: 'tightloop.instruction_id',
  ATOMIC_GROUP_ID: 'tightloop.atomic_group_id',
  /** Sequence number of a message within its run. */
  SEQ: 'tightloop.seq',
} as const;
export type LoopAttribute = (typeof LoopAttribute)[keyof typeof LoopAttribute];

/** Values of `tightloop.stage`, in the order a tick runs them. */
export const LoopStage = {
  POSITION: 'position',
  EXPOSURE: 'exposure',
  RISK: 'risk',
  PNL: 'pnl',
  STRATEGY: 'strategy',
  EXECUTION: 'execution',
} as const;
export type LoopStage = (typeof LoopStage)[keyof typeof LoopStage];
