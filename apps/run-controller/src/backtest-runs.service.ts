import path from 'node:path';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { newRunRecord, type RunRecord, type RunRegistry } from '@tightloop/core';
import { ApiError } from './api.error';
import { BacktestRunExecutor } from './backtest-run.executor';
import { checkSubmission, type CheckedSubmission } from './backtest-submission.checker';
import { describeError } from './error-message.describer';
import type { InterruptedRun, InterruptedRuns } from './interrupted-runs.recovery';
import type { RunControllerConfig } from './run-controller.config';
import {
  BACKTEST_RUN_EXECUTOR,
  INTERRUPTED_RUNS,
  RUN_CONTROLLER_CONFIG,
  RUN_REGISTRY,
} from './run-controller.tokens';
import { newRunId, RUN_ID_PATTERN } from './run-id.factory';
import { RunSlotQueue } from './run-slot.queue';

/**
 * Accepts backtests, checks them before they are queued (so a bad request is a 400 now,
 * not a failed run later), runs them in the background in this process with bounded
 * concurrency, and answers what the registry knows about them. The runs a dead process
 * left unfinished are queued first, once the registry is ready, from their stored request.
 */
@Injectable()
export class BacktestRunsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('BacktestRuns');
  private readonly queue: RunSlotQueue;

  constructor(
    @Inject(RUN_CONTROLLER_CONFIG) private readonly config: RunControllerConfig,
    @Inject(RUN_REGISTRY) private readonly registry: RunRegistry,
    @Inject(BACKTEST_RUN_EXECUTOR) private readonly executor: BacktestRunExecutor,
    @Inject(INTERRUPTED_RUNS) interrupted: InterruptedRuns,
  ) {
    this.queue = new RunSlotQueue(config.maxConcurrentRuns, (runId, error) =>
      this.logger.error(`run ${runId}: escaped its executor: ${describeError(error)}`),
    );
    interrupted.onRelease((runs) => runs.forEach((run) => this.requeue(run)));
  }

  async submit(body: unknown): Promise<RunRecord> {
    if (this.queue.isClosed)
      throw ApiError.unavailable('SHUTTING_DOWN', 'the run controller is shutting down');
    const runId = newRunId();
    const checked = this.checked(body, runId);
    const { input, strategy } = checked;

    const run = newRunRecord(
      { runId, strategy, startupMode: 'backtest', request: checked.request },
      Date.now(),
    );
    await this.registry.create(run);
    this.queue.enqueue(runId, () => this.executor.execute(runId, input));
    const { active, waiting } = this.queue.counts;
    this.logger.log(
      `run ${runId}: queued ${strategy} ${input.start}..${input.end} ` +
        `(${active} running, ${waiting} waiting)`,
    );
    return run;
  }

  list(): Promise<RunRecord[]> {
    return this.registry.list();
  }

  async get(runId: string): Promise<RunRecord> {
    if (!RUN_ID_PATTERN.test(runId))
      throw ApiError.badRequest('INVALID_RUN_ID', `"${runId}" is not a run id`);
    const run = await this.registry.get(runId);
    if (!run) throw ApiError.notFound('RUN_NOT_FOUND', `run ${runId} does not exist`);
    return run;
  }

  /** The results directory of a completed run; 409 while it is queued or running, or failed. */
  async completedRunDir(runId: string): Promise<string> {
    const run = await this.get(runId);
    if (run.status === 'failed')
      throw ApiError.conflict('RUN_FAILED', `run ${runId} failed and has no results: ${run.error}`);
    if (run.status !== 'completed')
      throw ApiError.conflict(
        'RUN_NOT_COMPLETED',
        `run ${runId} is ${run.status}; its results exist once it has completed`,
      );
    return run.outDir ?? path.join(this.config.resultsDir, runId);
  }

  /**
   * Lets running backtests finish; those that never started stay queued in the registry,
   * where the next start of the run controller finds and runs them (as after a crash).
   */
  async beforeApplicationShutdown(): Promise<void> {
    const { active, waiting } = this.queue.counts;
    if (active + waiting > 0)
      this.logger.log(`shutting down: waiting for ${active} running; ${waiting} queued wait`);
    const dropped = await this.queue.close();
    for (const runId of dropped)
      this.logger.warn(`run ${runId}: not started; still queued for the next start`);
  }

  /**
   * Synchronous up to the enqueue, so the runs handed over at readiness are queued before
   * any new submission. The stored request is checked again as a submission: this
   * process's configuration may have changed since.
   */
  private requeue({ runId, was, request }: InterruptedRun): void {
    if (this.queue.isClosed) return; // still queued in the registry: the next start runs it
    let input: CheckedSubmission['input'];
    try {
      input = checkSubmission(request, runId, this.config).input;
    } catch (error) {
      const message = `cannot run again after a restart: its stored request is refused: ${describeError(error)}`;
      this.logger.error(`run ${runId}: ${message}`);
      void this.registry
        .update(runId, { status: 'failed', error: message, updatedAtMs: Date.now() })
        .catch((storeError: unknown) =>
          this.logger.error(`run ${runId}: failure not stored: ${describeError(storeError)}`),
        );
      return;
    }
    this.queue.enqueue(runId, () => this.executor.execute(runId, input, was === 'running'));
    this.logger.warn(`run ${runId}: queued again after a restart (it was ${was})`);
  }

  private checked(body: unknown, runId: string): CheckedSubmission {
    try {
      return checkSubmission(body, runId, this.config);
    } catch (error) {
      if (error instanceof ApiError)
        this.logger.warn(`backtest refused (${error.code}): ${error.message}`);
      throw error;
    }
  }
}
