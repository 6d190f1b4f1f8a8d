interface QueuedJob {
  runId: string;
  job: () => Promise<void>;
}

/**
 * First in, first out, at most `slots` jobs at once: a backtest holds its whole market
 * data in memory and keeps a CPU busy, so the process bounds how many run together and
 * queues the rest instead of refusing them.
 */
export class RunSlotQueue {
  private readonly waiting: QueuedJob[] = [];
  private readonly active = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly slots: number,
    /** Jobs are expected to record their own failures; this only catches what escapes. */
    private readonly onEscapedError: (runId: string, error: unknown) => void,
  ) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error('slots must be a positive integer');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get counts(): { active: number; waiting: number } {
    return { active: this.active.size, waiting: this.waiting.length };
  }

  enqueue(runId: string, job: () => Promise<void>): void {
    if (this.closed) throw new Error('the run queue is closed');
    this.waiting.push({ runId, job });
    this.pump();
  }

  /**
   * Stops starting jobs, waits for the running ones and hands back the ids that never
   * started, so the caller can record why they will not run.
   */
  async close(): Promise<string[]> {
    this.closed = true;
    const dropped = this.waiting.splice(0).map((queued) => queued.runId);
    await Promise.allSettled(this.active.values());
    return dropped;
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.slots && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      const running = Promise.resolve()
        .then(next.job)
        .catch((error: unknown) => this.onEscapedError(next.runId, error))
        .finally(() => {
          this.active.delete(next.runId);
          this.pump();
        });
      this.active.set(next.runId, running);
    }
  }
}
