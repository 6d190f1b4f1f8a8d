import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { newRunRecord, type LoopCheckpoint, type RunRecord } from '@tightloop/core';
import type { BacktestOutcome } from '@tightloop/runner';
import { describeError } from './error.presenter';

/**
 * Where the embedded default keeps its state across runs: `$TIGHTLOOP_STATE_DIR`, else
 * `$XDG_STATE_HOME/tightloop`, else `~/.local/state/tightloop`.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.TIGHTLOOP_STATE_DIR ??
    path.join(env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'tightloop')
  );
}

/**
 * This run's record in the embedded store (see run-history.ts), written once it has ended:
 * completed with its final state, or failed after it started (a request refused before
 * it started is no run). A record that cannot be written costs a warning, not the results.
 */
export class RunHistoryEntry {
  readonly runId = `cli-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  private readonly createdAtMs = Date.now();
  private ticks: number | null = null;

  constructor(
    private readonly request: Record<string, unknown>,
    private readonly log: (line: string) => void,
  ) {}

  started(ticks: number): void {
    this.ticks = ticks;
  }

  completed(stateDir: string, outcome: BacktestOutcome): Promise<void> {
    return this.write(
      stateDir,
      { status: 'completed', outDir: path.resolve(outcome.outDir), error: null },
      outcome.final,
    );
  }

  async failed(stateDir: string, error: unknown): Promise<void> {
    if (this.ticks === null) return;
    await this.write(
      stateDir,
      { status: 'failed', outDir: null, error: describeError(error) },
      null,
    );
  }

  private async write(
    stateDir: string,
    end: Pick<RunRecord, 'status' | 'outDir' | 'error'>,
    final: LoopCheckpoint | null,
  ): Promise<void> {
    const run: RunRecord = {
      ...newRunRecord(
        {
          runId: this.runId,
          strategy: String(this.request.strategy),
          startupMode: 'backtest',
          request: this.request,
        },
        this.createdAtMs,
      ),
      ticksDone: end.status === 'completed' ? (this.ticks ?? 0) : 0,
      ticksTotal: this.ticks,
      updatedAtMs: Date.now(),
      ...end,
    };
    try {
      // Loaded only to record: TypeORM and PGlite add to every command's start otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { recordRun } = require('./run-history.store') as typeof import('./run-history.store');
      await recordRun(stateDir, run, final);
      this.log(`run ${this.runId} recorded in ${stateDir}`);
    } catch (error) {
      process.stderr.write(
        `warning: run ${this.runId} not recorded in ${stateDir}: ${describeError(error)}\n`,
      );
    }
  }
}
