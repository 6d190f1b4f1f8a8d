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
  /** The instruction of a single unit; an atomic group has `ATOMIC_GROUP_ID` and `INSTRUCTION_IDS`. */
  INSTRUCTION_ID: 'tightloop.instruction_id',
  ATOMIC_GROUP_ID: 'tightloop.atomic_group_id',
  /** Every instruction of an atomic group, in order. */
  INSTRUCTION_IDS: 'tightloop.instruction_ids',
  /** Zero-based position of the unit among the tick's units. */
  UNIT_INDEX: 'tightloop.unit_index',
  /** How the unit ended: executed, refused (before sending) or rejected (by a venue). */
  UNIT_OUTCOME: 'tightloop.unit_outcome',
  /** A stage service's operation, e.g. `risk.assess`. */
  OPERATION: 'tightloop.operation',
  /** Sequence number of a message within its run. */
  SEQ: 'tightloop.seq',
  /**
   * On a tick span started before the loop reached its tick (opened ahead with a
   * speculated tick): one of `TickSpeculation`.
   */
  TICK_SPECULATION: 'tightloop.tick_speculation',
} as const;
export type LoopAttribute = (typeof LoopAttribute)[keyof typeof LoopAttribute];

/**
 * `taken` when the loop ran the tick in the span opened ahead (so it starts before the
 * tick before it ends); `discarded` when the loop opened the tick anew, and the span holds
 * only the wasted speculative stages.
 */
export const TickSpeculation = { TAKEN: 'taken', DISCARDED: 'discarded' } as const;
export type TickSpeculation = (typeof TickSpeculation)[keyof typeof TickSpeculation];

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

/**
 * Span names. Each tick is one trace rooted at `tick`; under it `stage.<stage>` in the
 * order above, the execution stage holding one `execution.unit` per unit, and each executed
 * unit one `reconciliation` (the chain run again on the positions after the fills). A stage
 * service names its span after the operation it answers.
 */
export const LoopSpanName = {
  TICK: 'tick',
  UNIT: 'execution.unit',
  RECONCILIATION: 'reconciliation',
  stage: (stage: LoopStage) => `stage.${stage}` as const,
} as const;
