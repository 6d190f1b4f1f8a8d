import type { CheckpointStore, LoopCheckpoint, StageCheckpoint } from '@tightloop/core';
import { decodeExactJson, encodeExactJson } from './exact-json.codec';
import type { RecorderDelta, RecorderDeltas } from './results-recorder.delta';

const FORMAT = 'tightloop.backtest-checkpoint/1';

/**
 * One stored checkpoint of a backtest: exact JSON text (see exact-json.codec.ts), kept as
 * a string so the database cannot reorder its keys or round its numbers.
 */
export interface RunCheckpointState {
  format: typeof FORMAT;
  text: string;
}

/** What the text holds: enough to continue the run and to rebuild its results. */
interface RunCheckpointContent {
  /** Ticks of the run's data: a resume over different data is refused. */
  ticksTotal: number;
  /** The tick the results delta starts at: the previous checkpoint's `loop.nextTickIndex`. */
  fromTick: number;
  loop: LoopCheckpoint;
  results: RecorderDelta;
}

export type RunCheckpointStore = CheckpointStore<RunCheckpointState>;

/**
 * Keyed by the last tick it covers (seq 0: after the whole tick), so the same point of the
 * same run always has the same key and saving it again changes nothing.
 */
export function runCheckpoint(
  runId: string,
  content: RunCheckpointContent,
): StageCheckpoint<RunCheckpointState> {
  return {
    runId,
    tickIndex: content.loop.nextTickIndex - 1,
    seq: 0,
    state: { format: FORMAT, text: encodeExactJson(content, 'checkpoint') },
  };
}

/**
 * Folds the results deltas of every stored checkpoint of `runId` into `deltas`, in order,
 * and returns the loop state of the latest, or null when none is stored (the run starts
 * at tick 0). Any gap, foreign format or other tick count fails: a resume that cannot be
 * exact must not produce results.
 */
export async function foldStoredCheckpoints(
  store: RunCheckpointStore,
  runId: string,
  ticksTotal: number,
  deltas: RecorderDeltas,
): Promise<LoopCheckpoint | null> {
  let loop: LoopCheckpoint | null = null;
  for (const stored of await store.since(runId, 0, 0)) {
    const at = `checkpoint of run ${runId} at tick ${stored.tickIndex}`;
    if (stored.state?.format !== FORMAT) throw new Error(`${at} is not a ${FORMAT}`);
    const content = decodeExactJson<RunCheckpointContent>(stored.state.text);
    if (content.ticksTotal !== ticksTotal)
      throw new Error(
        `${at} was made over ${content.ticksTotal} ticks of data, the data now has ` +
          `${ticksTotal}: the run cannot resume`,
      );
    const expectedFrom = loop?.nextTickIndex ?? 0;
    if (content.fromTick !== expectedFrom)
      throw new Error(
        `${at} holds results from tick ${content.fromTick}, expected ${expectedFrom}: ` +
          'an earlier checkpoint is missing',
      );
    deltas.fold(content.results);
    loop = content.loop;
  }
  return loop;
}
