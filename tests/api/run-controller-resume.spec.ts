import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  dropSchemaAndClose,
  freshSchemaName,
  openTestPostgres,
  TEST_DATABASE_URL,
} from '../../libs/persistence/src/store-test.fixture';
import { resultFiles } from '../../libs/runner/src/backtest-results.fixture';
import { startRunControllerProcess, type Controller } from './run-controller.process';

const YEAR = { strategy: 'btc_basis', start: '2024-06-01', end: '2025-06-01' } as const;
const WEEK = { strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08' } as const;
const finished = (run: { status: string }) => run.status === 'completed' || run.status === 'failed';

// Story: the run controller on Postgres is killed (SIGKILL) in the middle of a run, with
// another waiting for its slot. Started again on the same schema and results directory, it
// resumes the first from its latest checkpoint and runs the queued one, and their results
// are those of runs that were never interrupted.
describe('run controller on Postgres killed mid-run', () => {
  const schema = freshSchemaName();
  let tempRoot: string;
  const children: ChildProcess[] = [];
  let output = '';

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-api-resume-'));
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await dropSchemaAndClose(await openTestPostgres(schema), schema);
    await rm(tempRoot, { recursive: true, force: true });
  });

  async function startController(): Promise<Controller> {
    const controller = await startRunControllerProcess(
      {
        TIGHTLOOP_RESULTS_DIR: path.join(tempRoot, 'results'),
        TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
        DATABASE_URL: TEST_DATABASE_URL,
        DB_SCHEMA: schema,
        MAX_CONCURRENT_RUNS: '1',
        CHECKPOINT_EVERY_TICKS: '100',
      },
      (text) => (output += text),
    );
    children.push(controller.child);
    return controller;
  }

  it('resumes the running run from its checkpoint and runs the queued one, results unchanged', async () => {
    const first = await startController();
    const cut = (await first.post(YEAR)).body.data!.runId;
    const waiting = (await first.post(WEEK)).body.data!.runId;
    const checkpointed = await first.until(
      cut,
      (run) => run.progress.ticksCheckpointed > 0 || finished(run),
      5,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(checkpointed.status).toBe('running');

    const second = await startController();
    const resumed = await second.until(cut, finished);
    expect(resumed).toMatchObject({ status: 'completed', progress: { ticksDone: 8761 } });
    expect(resumed.resumedFromTick).toBeGreaterThanOrEqual(checkpointed.progress.ticksCheckpointed);
    expect(resumed.resumedFromTick! % 100).toBe(0);
    expect(output).toContain(`run ${cut}: resumed from tick ${resumed.resumedFromTick} of 8761`);
    expect(await second.until(waiting, finished)).toMatchObject({
      status: 'completed',
      resumedFromTick: null,
    });

    // The same backtests once more, uninterrupted, on the same process.
    const whole = (await second.post(YEAR)).body.data!.runId;
    const week = (await second.post(WEEK)).body.data!.runId;
    expect((await second.until(whole, finished)).resumedFromTick).toBeNull();
    await second.until(week, finished);
    const results = (runId: string) => resultFiles(path.join(tempRoot, 'results', runId));
    expect(results(cut)).toEqual(results(whole));
    expect(results(waiting)).toEqual(results(week));
    second.child.kill('SIGTERM');
    await second.exited;

    // Ended runs are never resumed: their checkpoints are gone (the resumed one's too).
    const db = await openTestPostgres(schema);
    try {
      const left: { n: string }[] = await db.query(
        `SELECT count(*) AS n FROM "${schema}"."checkpoint"`,
      );
      expect(Number(left[0]!.n)).toBe(0);
    } finally {
      await db.destroy();
    }
  });
});
