import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RunRegistry } from '@tightloop/core';
import type {
  BacktestHooks,
  BacktestOutcome,
  BacktestRequestInput,
  BacktestServices,
  RunCheckpointStore,
} from '@tightloop/runner';
import { describeError } from './error-message.describer';
import type { RunControllerConfig } from './run-controller.config';
import { RunProgressWriter } from './run-progress.writer';
import {
  RUN_BACKTEST,
  RUN_CHECKPOINTS,
  RUN_CONTROLLER_CONFIG,
  RUN_REGISTRY,
} from './run-controller.tokens';

/**
 * What runs one backtest: `runBacktest` from @tightloop/runner in production. Of its
 * outcome the run controller keeps where the results are.
 */
export type RunBacktestFn = (
  input: BacktestRequestInput,
  hooks: BacktestHooks,
  services: BacktestServices,
) => Promise<Pick<BacktestOutcome, 'outDir' | 'files'>>;

/**
 * Runs one queued backtest to its end and keeps its registry record current: running,
 * progress and checkpoints, then completed or failed with the runner's message. A run
 * with stored checkpoints (a restart interrupted it) resumes from the latest. It never
 * throws: the outcome of a background run lives in the registry, where its status is read.
 */
@Injectable()
export class BacktestRunExecutor {
  private readonly logger = new Logger('BacktestRun');

  constructor(
    @Inject(RUN_REGISTRY) private readonly registry: RunRegistry,
    @Inject(RUN_BACKTEST) private readonly runBacktest: RunBacktestFn,
    @Inject(RUN_CHECKPOINTS) private readonly checkpoints: RunCheckpointStore,
    @Inject(RUN_CONTROLLER_CONFIG) private readonly config: RunControllerConfig,
  ) {}

  /** `interrupted`: a restart cut the run short while it was running. */
  async execute(runId: string, input: BacktestRequestInput, interrupted = false): Promise<void> {
    const progress = new RunProgressWriter(this.registry, runId, (error) =>
      this.logger.warn(`run ${runId}: progress not stored: ${describeError(error)}`),
    );
    try {
      await this.registry.update(runId, { status: 'running', updatedAtMs: Date.now() });
      this.logger.log(`run ${runId}: started ${input.strategy} ${input.start}..${input.end}`);
      const hooks: BacktestHooks = {
        onStart: (ticks, fromTick) => {
          this.logger.log(`run ${runId}: data loaded, ${ticks} hourly ticks`);
          const resumed = interrupted || fromTick > 0;
          if (resumed)
            this.logger.warn(
              `run ${runId}: resumed from tick ${fromTick} of ${ticks}` +
                (fromTick > 0 ? ', after its latest checkpoint' : ': no checkpoint was stored'),
            );
          progress.started(ticks, fromTick, resumed);
        },
        onProgress: (done, total) => progress.progressed(done, total),
        onDataRule: (rule) => this.logger.log(`run ${runId}: data rule: ${rule}`),
      };
      const outcome = await this.runBacktest(input, hooks, {
        checkpoints: {
          store: this.checkpoints,
          everyTicks: this.config.checkpointEveryTicks,
          onSaved: (ticksDone) => progress.checkpointed(ticksDone),
        },
      });
      await progress.flushed();
      await this.registry.update(runId, {
        status: 'completed',
        outDir: outcome.outDir,
        error: null,
        updatedAtMs: Date.now(),
      });
      this.logger.log(
        `run ${runId}: completed, ${outcome.files.length} files in ${outcome.outDir}`,
      );
    } catch (error) {
      await progress.flushed();
      await this.recordFailure(runId, error);
    }
    await this.forgetCheckpoints(runId);
  }

  /**
   * An ended run is never resumed, and its checkpoints hold its whole results (megabytes
   * for a year): they go once its end is recorded. Should this fail, or the process die
   * first, they only take space; the run stays as recorded.
   */
  private async forgetCheckpoints(runId: string): Promise<void> {
    try {
      const count = await this.checkpoints.forget(runId);
      if (count > 0) this.logger.log(`run ${runId}: ${count} checkpoint(s) deleted`);
    } catch (error) {
      this.logger.warn(`run ${runId}: checkpoints not deleted: ${describeError(error)}`);
    }
  }

  private async recordFailure(runId: string, error: unknown): Promise<void> {
    const message = describeError(error);
    this.logger.error(`run ${runId}: failed: ${message}`);
    // Unexpected errors (not the runner's own readable ones) keep their stack in the log.
    if (error instanceof Error && error.stack) this.logger.debug(error.stack);
    try {
      await this.registry.update(runId, {
        status: 'failed',
        error: message,
        updatedAtMs: Date.now(),
      });
    } catch (storeError) {
      this.logger.error(`run ${runId}: failure not stored: ${describeError(storeError)}`);
    }
  }
}
