import type { CheckpointStore, StageCheckpoint } from '@tightloop/core';
import { compareCheckpoints, encodeCheckpointState } from './checkpoint.codec';

interface StoredCheckpoint {
  tickIndex: number;
  seq: number;
  /** JSON text: what a database would keep, and a copy callers cannot mutate. */
  state: string;
}

/**
 * A CheckpointStore in process memory, for the embedded runner and tests: lost on exit.
 * It behaves like the database stores (same contract suite), down to JSON encoding.
 */
export class InMemoryCheckpointStore<S> implements CheckpointStore<S> {
  private readonly runs = new Map<string, Map<string, StoredCheckpoint>>();

  async saveBatch(batch: readonly StageCheckpoint<S>[]): Promise<void> {
    // Encode everything first, so a bad checkpoint rejects the whole batch as a
    // database statement would, instead of leaving half of it saved.
    const encoded = batch.map((cp) => ({ cp, state: encodeCheckpointState(cp) }));
    for (const { cp, state } of encoded) {
      let run = this.runs.get(cp.runId);
      if (!run) {
        run = new Map();
        this.runs.set(cp.runId, run);
      }
      const key = `${cp.tickIndex}:${cp.seq}`;
      // The first save of a (run, tick, seq) wins: a redelivered message changes nothing.
      if (!run.has(key)) run.set(key, { tickIndex: cp.tickIndex, seq: cp.seq, state });
    }
  }

  async latest(runId: string): Promise<StageCheckpoint<S> | null> {
    let newest: StoredCheckpoint | null = null;
    for (const stored of this.runs.get(runId)?.values() ?? []) {
      if (!newest || compareCheckpoints(stored, newest) > 0) newest = stored;
    }
    return newest ? this.decode(runId, newest) : null;
  }

  async since(runId: string, tickIndex: number, seq: number): Promise<StageCheckpoint<S>[]> {
    const from = { tickIndex, seq };
    return [...(this.runs.get(runId)?.values() ?? [])]
      .filter((stored) => compareCheckpoints(stored, from) >= 0)
      .sort(compareCheckpoints)
      .map((stored) => this.decode(runId, stored));
  }

  async forget(runId: string): Promise<number> {
    const count = this.runs.get(runId)?.size ?? 0;
    this.runs.delete(runId);
    return count;
  }

  private decode(runId: string, stored: StoredCheckpoint): StageCheckpoint<S> {
    const { tickIndex, seq } = stored;
    return { runId, tickIndex, seq, state: JSON.parse(stored.state) as S };
  }
}
