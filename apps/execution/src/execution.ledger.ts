import type { Fill } from '@tightloop/contracts';
import type { CheckpointStore, StageCheckpoint } from '@tightloop/core';

/** Recorded units kept in memory for repeats, newest last; older ones are read back. */
const RECENT_UNITS = 10_000;

/**
 * The execution service's record of every unit it executed, by (run, tick, seq): the
 * fills it answered. A unit asked again (a redelivered command, a loop that resent after
 * a lost answer, a restarted service) is answered from here and never executed twice.
 *
 * Backtest writes are batched: an answer does not wait for its row, and a batch goes to
 * the store after `batchSize` units or `flushMs`, whichever comes first (and on shutdown).
 * A unit lost with an unflushed batch is simulated again on a repeat, to the same fills:
 * the simulated venues are pure functions of the command.
 */
export class ExecutionLedger {
  private readonly recent = new Map<string, Fill[]>();
  private pending: StageCheckpoint<Fill[]>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(
    private readonly store: CheckpointStore<Fill[]>,
    private readonly batchSize = 64,
    private readonly flushMs = 200,
  ) {}

  /** The fills recorded for this unit, if it was executed before. */
  async find(runId: string, tickIndex: number, seq: number): Promise<Fill[] | undefined> {
    const recent = this.recent.get(key(runId, tickIndex, seq));
    if (recent) return recent;
    const [stored] = await this.store.since(runId, tickIndex, seq);
    return stored && stored.tickIndex === tickIndex && stored.seq === seq
      ? stored.state
      : undefined;
  }

  /** Records the unit's fills; throws if an earlier batch could not be written. */
  record(runId: string, tickIndex: number, seq: number, fills: Fill[]): void {
    if (this.failure) throw this.failure;
    this.recent.set(key(runId, tickIndex, seq), fills);
    if (this.recent.size > RECENT_UNITS) this.recent.delete(this.recent.keys().next().value!);
    this.pending.push({ runId, tickIndex, seq, state: fills });
    if (this.pending.length >= this.batchSize) void this.write();
    else this.timer ??= setTimeout(() => void this.write(), this.flushMs);
  }

  /** Writes what is pending; resolves once everything recorded so far is stored. */
  async flush(): Promise<void> {
    await this.write();
    if (this.failure) throw this.failure;
  }

  /** Never rejects: a failed batch is kept as `failure`, thrown by the next record or flush. */
  private write(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.store.saveBatch(batch);
      } catch (error) {
        this.failure = new Error(
          `execution ledger: ${batch.length} unit(s) could not be stored: ${(error as Error).message}`,
          { cause: error },
        );
      }
    });
    return this.flushing;
  }
}

function key(runId: string, tickIndex: number, seq: number): string {
  return `${runId}|${tickIndex}|${seq}`;
}
