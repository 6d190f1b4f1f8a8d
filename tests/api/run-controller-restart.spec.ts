import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { RunRecord } from '@tightloop/core';
import { TypeOrmRunRegistry } from '@tightloop/persistence';
import request from 'supertest';
import { binary, finished, type Server } from './api-test.client';
import {
  dropSchemaAndClose,
  freshSchemaName,
  openTestPostgres,
  TEST_DATABASE_URL,
} from '../../libs/persistence/src/store-test.fixture';
import {
  bootstrapRunController,
  runRegistryReady,
} from '../../apps/run-controller/src/run-controller.bootstrap';
import { readRunControllerConfig } from '../../apps/run-controller/src/run-controller.config';
import { zipEntryNames } from './zip-central-directory';

// Story: the run controller keeps its runs in Postgres (its own schema): a restart loses
// none of them, runs a crash left unfinished are run again (resumed from their checkpoints:
// see run-controller-resume.spec.ts), and the service is not ready while its database
// cannot be reached.
describe('run controller on Postgres across restarts', () => {
  const schema = freshSchemaName();
  let tempRoot: string;
  const open: INestApplication[] = [];
  const env = () => ({
    HTTP_PORT: '0',
    TIGHTLOOP_RESULTS_DIR: path.join(tempRoot, 'results'),
    TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
    LOG_LEVEL: 'fatal',
    DATABASE_URL: TEST_DATABASE_URL,
    DB_SCHEMA: schema,
  });
  const boot = async (vars: Record<string, string> = env()) => {
    const app = await bootstrapRunController(readRunControllerConfig(vars));
    open.push(app);
    return app;
  };
  const close = async (app: INestApplication) => {
    await app.close();
    open.splice(open.indexOf(app), 1);
  };

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-api-restart-'));
  });
  afterAll(async () => {
    for (const app of open) await app.close();
    await dropSchemaAndClose(await openTestPostgres(schema), schema);
    await rm(tempRoot, { recursive: true, force: true });
  });

  it('lists a completed run after a restart, with its results downloadable', async () => {
    const first = await boot();
    await runRegistryReady(first);
    let server = first.getHttpServer() as Server;
    await request(server).get('/health/ready').expect(200);
    const submitted = await request(server)
      .post('/api/v1/backtests')
      .send({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-03' })
      .expect(202);
    const runId = submitted.body.data.runId as string;
    const before = await finished(server, runId);
    expect(before).toMatchObject({ status: 'completed', progress: { ticksDone: 49 } });
    const summary = (await request(server).get(`/api/v1/backtests/${runId}/summary`).expect(200))
      .body.data;
    await close(first);

    const second = await boot();
    await runRegistryReady(second);
    server = second.getHttpServer() as Server;
    const list = (await request(server).get('/api/v1/backtests').expect(200)).body.data;
    expect(list).toEqual([before]);
    await request(server).get(`/api/v1/backtests/${runId}/summary`).expect(200, { data: summary });
    const zip = await request(server)
      .get(`/api/v1/backtests/${runId}/download`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(zipEntryNames(zip.body as Buffer)).toContain('equity.csv');
    await close(second);
  });

  it('runs again what a crashed process left queued or running, from its stored request', async () => {
    // What a process killed mid-run leaves in its schema (before checkpoints existed: its
    // run table only): one run running, one queued, and one whose request no longer passes.
    const dataSource = await openTestPostgres(schema, ['runs']);
    const left = new TypeOrmRunRegistry(dataSource);
    const body = { strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-03' };
    const base = { strategy: 'btc_basis', startupMode: 'backtest', outDir: null, error: null };
    const crashed = [
      { runId: 'run-1-running', status: 'running', request: body, ticksDone: 20, ticksTotal: 49 },
      { runId: 'run-2-queued', status: 'queued', request: body, ticksDone: 0, ticksTotal: null },
      { runId: 'run-3-running', status: 'running', request: { strategy: 'btc_basis' } },
    ].map(
      (r): RunRecord =>
        ({
          ...base,
          ticksDone: 0,
          ticksTotal: null,
          ticksCheckpointed: 0,
          resumedFromTick: null,
          createdAtMs: Date.now(),
          updatedAtMs: Date.now(),
          ...r,
        }) as RunRecord,
    );
    for (const run of crashed) await left.create(run);
    await dataSource.destroy();

    const app = await boot();
    await runRegistryReady(app);
    const server = app.getHttpServer() as Server;
    const summary = async (runId: string) => ({
      ...(await request(server).get(`/api/v1/backtests/${runId}/summary`).expect(200)).body.data,
      wallSeconds: 0,
    });
    expect(await finished(server, 'run-1-running')).toMatchObject({
      status: 'completed',
      resumedFromTick: 0, // no checkpoint was stored: from the start
      progress: { ticksDone: 49, ticksCheckpointed: 49 },
    });
    expect(await finished(server, 'run-2-queued')).toMatchObject({
      status: 'completed',
      resumedFromTick: null,
    });
    expect(await summary('run-1-running')).toEqual(await summary('run-2-queued'));
    expect(await finished(server, 'run-3-running')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^cannot run again after a restart: its stored request is refused: start: /,
      ),
    });
    await close(app);
  });

  it('is live but not ready, and accepts no run, while the database is unreachable', async () => {
    const app = await boot({
      ...env(),
      DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/tightloop',
    });
    const server = app.getHttpServer() as Server;
    await request(server).get('/health/live').expect(200);
    let ready: request.Response | undefined;
    for (let k = 0; k < 100; k++) {
      ready = await request(server).get('/health/ready').expect(503);
      if (/cannot open schema/.test(ready.body.error.message)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(ready!.body.error).toEqual({
      code: 'NOT_READY',
      message: expect.stringMatching(
        new RegExp(
          `^run registry \\(schema ${schema} on DATABASE_URL\\) not ready: cannot open schema ` +
            `${schema} on postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:1/tightloop: `,
        ),
      ),
    });
    const refused = await request(server)
      .post('/api/v1/backtests')
      .send({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-03' })
      .expect(503);
    expect(refused.body.error.code).toBe('REGISTRY_UNAVAILABLE');
    // Closing stops the retries rather than waiting for a database that will not come.
    await close(app);
  });
});
