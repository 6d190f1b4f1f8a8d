import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { RunBacktestFn } from '../../apps/run-controller/src/backtest-run.executor';
import { InMemoryRunRegistry } from '@tightloop/persistence';
import {
  bootstrapRunController,
  runRegistryReady,
} from '../../apps/run-controller/src/run-controller.bootstrap';
import { readRunControllerConfig } from '../../apps/run-controller/src/run-controller.config';

type Server = Parameters<typeof request>[0];

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Story: while a run is queued or running its results do not exist yet (409), at most
// MAX_CONCURRENT_RUNS run at once, and a shutdown lets the running one finish and leaves
// the queued one queued for the next start. A stand-in runner holds each run open until the test releases it,
// so the states are certain rather than a race against a fast backtest.
describe('backtests in flight (stand-in runner, one slot)', () => {
  let app: INestApplication;
  let server: Server;
  let tempRoot: string;
  const registry = new InMemoryRunRegistry();
  const releases = new Map<string, () => void>();

  const heldRun: RunBacktestFn = async (input, hooks) => {
    hooks.onStart?.(10, 0);
    hooks.onProgress?.(4, 10);
    await new Promise<void>((resolve) => releases.set(input.runId!, resolve));
    await mkdir(input.outDir, { recursive: true });
    await writeFile(path.join(input.outDir, 'summary.json'), '{"ticks":10}\n');
    return {
      outDir: input.outDir,
      files: ['summary.json'],
      summary: { ticks: 10 },
      timings: { loadSeconds: 0, loopSeconds: 0, writeSeconds: 0 },
    };
  };

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-api-inflight-'));
    const config = readRunControllerConfig({
      HTTP_PORT: '0',
      TIGHTLOOP_RESULTS_DIR: path.join(tempRoot, 'results'),
      TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
      MAX_CONCURRENT_RUNS: '1',
      LOG_LEVEL: 'fatal',
    });
    app = await bootstrapRunController(config, { registry, runBacktest: heldRun });
    await runRegistryReady(app);
    server = app.getHttpServer() as Server;
  });

  let closed = false;
  afterAll(async () => {
    releases.forEach((release) => release());
    if (!closed) await app.close();
    await rm(tempRoot, { recursive: true, force: true });
  });

  const submit = async () => {
    const res = await request(server)
      .post('/api/v1/backtests')
      .send({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08' })
      .expect(202);
    return res.body.data.runId as string;
  };
  const status = async (runId: string) =>
    (await request(server).get(`/api/v1/backtests/${runId}`).expect(200)).body.data;

  it('answers 409 for results of running and queued runs, and shows progress', async () => {
    const first = await submit();
    const second = await submit();

    const running = await until(
      () => status(first),
      (run) => run.status === 'running' && run.progress.ticksDone === 4,
    );
    expect(running.progress).toEqual({
      ticksDone: 4,
      ticksTotal: 10,
      fraction: 0.4,
      ticksCheckpointed: 0,
    });
    // One slot: the second waits.
    expect(await status(second)).toMatchObject({
      status: 'queued',
      progress: { ticksDone: 0, ticksTotal: null, fraction: 0 },
    });

    for (const [runId, state] of [
      [first, 'running'],
      [second, 'queued'],
    ]) {
      for (const route of ['/summary', '/files', '/files/summary.json', '/download']) {
        const res = await request(server).get(`/api/v1/backtests/${runId}${route}`).expect(409);
        expect(res.body.error).toEqual({
          code: 'RUN_NOT_COMPLETED',
          message: `run ${runId} is ${state}; its results exist once it has completed`,
        });
      }
    }

    const list = await request(server).get('/api/v1/backtests').expect(200);
    expect(list.body.data.map((r: { runId: string }) => r.runId).slice(0, 2)).toEqual([
      second,
      first,
    ]);

    // The first finishes; the second takes the slot.
    releases.get(first)!();
    await until(
      () => status(first),
      (run) => run.status === 'completed',
    );
    await request(server)
      .get(`/api/v1/backtests/${first}/summary`)
      .expect(200, { data: { ticks: 10 } });
    await until(
      () => status(second),
      (run) => run.status === 'running',
    );
  });

  it('on shutdown, lets the running run finish and leaves queued ones queued for the next start', async () => {
    const running = (await registry.list()).find((r) => r.status === 'running')!;
    const queued = await submit();
    const closing = app.close();
    // Released only once shutdown has begun: close must wait for it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    releases.get(running.runId)!();
    await closing;
    closed = true;
    expect(await registry.get(running.runId)).toMatchObject({ status: 'completed' });
    expect(await registry.get(queued)).toMatchObject({ status: 'queued', error: null });
  });
});
