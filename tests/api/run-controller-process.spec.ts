import type { ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resultFiles } from '../../libs/runner/src/backtest-results.fixture';
import { startRunControllerProcess, type Controller } from './run-controller.process';

const YEAR = { strategy: 'btc_basis', start: '2024-06-01', end: '2025-06-01' } as const;
const running = (run: { status: string }) => run.status !== 'queued' && run.status !== 'running';

// Story: the service runs as the CLI runs it, under tsx, which emits no decorator metadata
// and loads Nest's ES modules a second time; injection, error mapping and file streaming
// must all still work, and SIGTERM lets a running backtest finish before the process exits.
// With no DATABASE_URL its runs live in the embedded store under the results directory:
// they survive a restart, and a run a crash cut short resumes from its checkpoints there.
describe('run controller as its own process (tsx)', () => {
  let tempRoot: string;
  let resultsDir: string;
  const children: ChildProcess[] = [];
  let output = '';

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-api-process-'));
    resultsDir = path.join(tempRoot, 'results');
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(tempRoot, { recursive: true, force: true });
  });

  async function startController(): Promise<Controller> {
    const controller = await startRunControllerProcess(
      {
        TIGHTLOOP_RESULTS_DIR: resultsDir,
        TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
        CHECKPOINT_EVERY_TICKS: '100',
      },
      (text) => (output += text),
    );
    children.push(controller.child);
    return controller;
  }

  let shortRunId: string;
  let longRunId: string;

  it('serves runs and results, and shuts down gracefully on SIGTERM', async () => {
    const controller = await startController();
    const { base, post } = controller;
    const submitted = await post({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08' });
    expect(submitted.status).toBe(202);
    shortRunId = submitted.body.data!.runId;
    expect((await controller.until(shortRunId, running)).status).toBe('completed');

    const csv = await fetch(`${base}/api/v1/backtests/${shortRunId}/files/equity.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toMatch(/^timestamp,equity_sc,/);
    const zip = Buffer.from(
      await (await fetch(`${base}/api/v1/backtests/${shortRunId}/download`)).arrayBuffer(),
    );
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');

    // Errors raised by the platform itself still get the envelope and their status.
    const malformed = await fetch(`${base}/api/v1/backtests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"strategy":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe(
      'BAD_REQUEST',
    );
    expect((await post({ strategy: 'nope', start: '2024-06-01', end: '2024-06-08' })).status).toBe(
      400,
    );

    // A year of data: still running when SIGTERM arrives; shutdown waits for it.
    const long = await post(YEAR);
    longRunId = long.body.data!.runId;
    controller.child.kill('SIGTERM');
    await controller.exited;
    await expect(
      access(path.join(resultsDir, longRunId, 'summary.json')).then(() => true),
    ).resolves.toBe(true);
  });

  it('keeps its runs across a restart, and resumes the run a crash cut short', async () => {
    const second = await startController();
    const listed = await second.list();
    expect(listed.map((r) => [r.runId, r.status])).toEqual([
      [longRunId, 'completed'],
      [shortRunId, 'completed'],
    ]);
    const summary = await fetch(`${second.base}/api/v1/backtests/${longRunId}/summary`);
    expect(summary.status).toBe(200);

    // The same year again, killed once a checkpoint is stored.
    const cut = (await second.post(YEAR)).body.data!.runId;
    const checkpointed = await second.until(
      cut,
      (run) => run.progress.ticksCheckpointed > 0 || running(run),
      5,
    );
    second.child.kill('SIGKILL');
    await second.exited;
    expect(checkpointed.status).toBe('running');

    const third = await startController();
    const resumed = await third.until(cut, running);
    expect(resumed).toMatchObject({ status: 'completed', progress: { ticksDone: 8761 } });
    expect(resumed.resumedFromTick).toBeGreaterThanOrEqual(checkpointed.progress.ticksCheckpointed);
    expect(resumed.resumedFromTick).toBeGreaterThan(0);
    expect(output).toContain(`run ${cut}: resumed from tick ${resumed.resumedFromTick} of 8761`);
    expect(resultFiles(path.join(resultsDir, cut))).toEqual(
      resultFiles(path.join(resultsDir, longRunId)),
    );
    third.child.kill('SIGTERM');
    await third.exited;
  });
});
