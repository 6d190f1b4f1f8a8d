import type { RunRecord, RunRegistry } from '@tightloop/core';

/** Progress is stored in about this many steps per run, not once per tick. */
const PROGRESS_STEPS = 100;

/**
 * Turns the runner's synchronous per-tick callbacks into registry writes: at most about
 * 100 per run plus one per stored checkpoint (a Postgres registry must not take a write
 * per tick), applied strictly in order (each waits for the previous), and never failing
 * the run: a lost progress write only makes the progress shown older (a resume reads the
 * checkpoints themselves, not `ticksCheckpointed`).
 */
export class RunProgressWriter {
  private writes: Promise<void> = Promise.resolve();
  private lastWritten = 0;
  private step = 1;

  constructor(
    private readonly registry: RunRegistry,
    private readonly runId: string,
    private readonly onWriteError: (error: unknown) => void,
  ) {}

  /** `fromTick`: where the run starts, after its latest checkpoint when it resumes. */
  started(ticksTotal: number, fromTick: number, resumed: boolean): void {
    this.step = Math.max(1, Math.ceil(ticksTotal / PROGRESS_STEPS));
    this.lastWritten = fromTick;
    this.write({
      ticksDone: fromTick,
      ticksTotal,
      ...(resumed ? { resumedFromTick: fromTick } : {}),
    });
  }

  /** A checkpoint covering the first `ticks` ticks is stored: one write per checkpoint. */
  checkpointed(ticks: number): void {
    this.write({ ticksCheckpointed: ticks });
  }

  progressed(ticksDone: number, ticksTotal: number): void {
    if (ticksDone < ticksTotal && ticksDone - this.lastWritten < this.step) return;
    this.lastWritten = ticksDone;
    this.write({ ticksDone, ticksTotal });
  }

  /** Resolves once every write so far is done, so a final status lands after them. */
  flushed(): Promise<void> {
    return this.writes;
  }

  private write(patch: Partial<RunRecord>): void {
    const at = Date.now();
    this.writes = this.writes
      .then(() => this.registry.update(this.runId, { ...patch, updatedAtMs: at }))
      .then(
        () => undefined,
        (error: unknown) => this.onWriteError(error),
      );
  }
}
