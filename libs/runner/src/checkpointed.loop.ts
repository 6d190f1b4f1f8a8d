import type { LoopCheckpoint, TightLoop } from '@tightloop/core';
import { CheckpointWriter } from './checkpoint.writer';
import type { RecorderDeltas } from './results-recorder.delta';
import { runCheckpoint, type RunCheckpointStore } from './run-checkpoint';

/** Often enough to lose little on a crash, rarely enough that a year makes 18 writes. */
export const DEFAULT_CHECKPOINT_EVERY_TICKS = 500;

/** Where and how often a backtest stores its checkpoints, so a restarted process resumes it. */
export interface BacktestCheckpointing {
  store: RunCheckpointStore;
  /** A checkpoint after every this many ticks of the run, and after its last. */
  everyTicks?: number;
  /** A checkpoint covering the first `ticksDone` ticks is stored. */
  onSaved?(ticksDone: number): void;
}

interface CheckpointedRun {
  runId: string;
  ticksTotal: number;
  deltas: RecorderDeltas;
}

/**
 * Runs the loop from `from` to the end in slices ending on multiples of `everyTicks`
 * (the same boundaries whichever checkpoint a run resumed from), and after each slice
 * hands the loop state and the results since the previous slice to a background writer.
 * Resolves, with the loop's state after the last tick, only once every checkpoint is stored.
 */
export async function runCheckpointedLoop(
  loop: TightLoop,
  from: LoopCheckpoint,
  run: CheckpointedRun,
  checkpointing: BacktestCheckpointing,
): Promise<LoopCheckpoint> {
  const every = checkpointing.everyTicks ?? DEFAULT_CHECKPOINT_EVERY_TICKS;
  if (!Number.isInteger(every) || every < 1)
    throw new Error(`checkpoints every ${every} ticks: must be a positive integer`);
  const writer = new CheckpointWriter(checkpointing.store, (cp) =>
    checkpointing.onSaved?.(cp.tickIndex + 1),
  );
  let checkpoint = from;
  try {
    while (checkpoint.nextTickIndex < run.ticksTotal) {
      const fromTick = checkpoint.nextTickIndex;
      const until = Math.min((Math.floor(fromTick / every) + 1) * every, run.ticksTotal);
      checkpoint = await loop.run(checkpoint, until);
      await writer.save(
        runCheckpoint(run.runId, {
          ticksTotal: run.ticksTotal,
          fromTick,
          loop: checkpoint,
          results: run.deltas.take(),
        }),
      );
    }
  } catch (error) {
    // No write may still be going once the run is reported failed.
    await writer.settled();
    throw error;
  }
  await writer.flushed();
  return checkpoint;
}
