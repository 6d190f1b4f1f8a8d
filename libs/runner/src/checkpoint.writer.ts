import type { StageCheckpoint } from '@tightloop/core';

/** A checkpoint could not be stored: the run fails (final), since it could not resume. */
export class CheckpointSaveError extends Error {
  readonly retryable = false;

  constructor(runId: string, tickIndex: number, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`checkpoint of run ${runId} after tick ${tickIndex} could not be saved: ${why}`, {
      cause,
    });
    this.name = 'CheckpointSaveError';
  }
}

interface SaveBatchPort<S> {
  saveBatch(batch: readonly StageCheckpoint<S>[]): Promise<void>;
}

/**
 * Saves a run's checkpoints in the background, one write at a time, in order: a
 * checkpoint is written only once every earlier one is stored, so the stored results
 * deltas never have a gap. The loop goes on while a write runs and waits only if the
 * previous write is still going when the next checkpoint is ready. The first failure
 * fails the run at the next save or at `flushed`.
 */
export class CheckpointWriter<S> {
  private writing: Promise<void> = Promise.resolve();
  private failure: CheckpointSaveError | null = null;

  constructor(
    private readonly store: SaveBatchPort<S>,
    private readonly onSaved: (checkpoint: StageCheckpoint<S>) => void = () => undefined,
  ) {}

  async save(checkpoint: StageCheckpoint<S>): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure;
    this.writing = this.store.saveBatch([checkpoint]).then(
      () => this.onSaved(checkpoint),
      (error: unknown) => {
        this.failure = new CheckpointSaveError(checkpoint.runId, checkpoint.tickIndex, error);
      },
    );
  }

  /** Resolves once every checkpoint is stored; rejects with the first save error. */
  async flushed(): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure;
  }

  /** Waits for the write in flight without failing: for a run that failed already. */
  settled(): Promise<void> {
    return this.writing;
  }
}
