/**
 * A stage's state after it handled message (tickIndex, seq) of a run. `seq` 0 is the tick
 * itself; seq k > 0 the k-th executed unit of that tick.
 */
export interface StageCheckpoint<S> {
  runId: string;
  tickIndex: number;
  seq: number;
  state: S;
}

/**
 * Where a stateful stage keeps its state. Saved in batches (never a write per tick per
 * hop); a restarted stage resumes from `latest` and replays what came after it.
 * Saving a checkpoint that exists already (same run, tick and seq) changes nothing.
 */
export interface CheckpointStore<S> {
  latest(runId: string): Promise<StageCheckpoint<S> | null>;
  saveBatch(batch: readonly StageCheckpoint<S>[]): Promise<void>;
  /** Checkpoints of a run, in order, from (tickIndex, seq) inclusive; for replay and audit. */
  since(runId: string, tickIndex: number, seq: number): Promise<StageCheckpoint<S>[]>;
  /** Deletes every checkpoint of a run (one that has ended); resolves to how many. */
  forget(runId: string): Promise<number>;
}
