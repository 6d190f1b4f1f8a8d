import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { binary, finished, type Server } from './api-test.client';
import { InMemoryRunRegistry } from '@tightloop/persistence';
import {
  bootstrapRunController,
  runRegistryReady,
} from '../../apps/run-controller/src/run-controller.bootstrap';
import { readRunControllerConfig } from '../../apps/run-controller/src/run-controller.config';
import { zipEntryNames } from './zip-central-directory';

const RESULT_FILES = [
  'equity.csv',
  'events.csv',
  'exposures.csv',
  'funding.csv',
  'instructions.csv',
  'positions.csv',
  'reconciliations.csv',
  'report.html',
  'risk.csv',
  'summary.json',
];

// Story: a user submits a backtest over HTTP, follows it to completion and downloads its
// results; bad requests are refused up front with the runner's own message.
describe('backtests HTTP API (in process, synthetic data)', () => {
  let app: INestApplication;
  let server: Server;
  let tempRoot: string;
  let completedRunId: string;

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-api-'));
    // TIGHTLOOP_DATA_DIR unset: the default synthetic dataset, generated into a temp cache.
    const config = readRunControllerConfig({
      HTTP_PORT: '0',
      TIGHTLOOP_RESULTS_DIR: path.join(tempRoot, 'results'),
      TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
      MAX_CONCURRENT_RUNS: '2',
      LOG_LEVEL: 'fatal',
    });
    // The registry's own stores are tested in libs/persistence and run-controller-restart.
    app = await bootstrapRunController(config, { registry: new InMemoryRunRegistry() });
    await runRegistryReady(app);
    server = app.getHttpServer() as Server;
  });

  afterAll(async () => {
    await app?.close();
    await rm(tempRoot, { recursive: true, force: true });
  });

  it('answers health probes', async () => {
    await request(server)
      .get('/health/live')
      .expect(200, { data: { status: 'live' } });
    await request(server)
      .get('/health/ready')
      .expect(200, { data: { status: 'ready' } });
  });

  it('runs a backtest to completion and lists it', async () => {
    const submitted = await request(server)
      .post('/api/v1/backtests')
      .send({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08' })
      .expect(202);
    expect(submitted.body).toEqual({
      data: { runId: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), status: 'queued' },
    });
    completedRunId = submitted.body.data.runId;

    const run = await finished(server, completedRunId);
    expect(run).toMatchObject({
      runId: completedRunId,
      strategy: 'btc_basis',
      startupMode: 'backtest',
      status: 'completed',
      error: null,
      // 2024-06-01T00 .. 2024-06-08T00 inclusive, hourly.
      progress: { ticksDone: 169, ticksTotal: 169, fraction: 1 },
      // The transport is recorded as resolved: STAGES_TRANSPORT's default, in process.
      request: {
        strategy: 'btc_basis',
        start: '2024-06-01',
        end: '2024-06-08',
        transport: 'in-process',
      },
    });

    const list = await request(server).get('/api/v1/backtests').expect(200);
    expect(list.body.data.map((r: { runId: string }) => r.runId)).toContain(completedRunId);
  });

  it('serves the summary, the file list and single files of a completed run', async () => {
    const base = `/api/v1/backtests/${completedRunId}`;
    const summary = await request(server).get(`${base}/summary`).expect(200);
    expect(summary.body.data).toMatchObject({
      strategy: 'btc_basis',
      ticks: 169,
      dataset: { kind: 'synthetic' },
    });

    await request(server).get(`${base}/files`).expect(200, { data: RESULT_FILES });

    const json = await request(server).get(`${base}/files/summary.json`).expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual(summary.body.data);

    const equity = await request(server).get(`${base}/files/equity.csv`).expect(200);
    expect(equity.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = equity.text.trim().split('\n');
    expect(lines[0]).toMatch(/^timestamp,equity_sc,/);
    expect(lines).toHaveLength(1 + 169);

    const report = await request(server).get(`${base}/files/report.html`).expect(200);
    expect(report.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(report.text).toMatch(/^<!doctype html>/i);
  });

  it('downloads every result file in one zip', async () => {
    const res = await request(server)
      .get(`/api/v1/backtests/${completedRunId}/download`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="tightloop-${completedRunId}.zip"`,
    );
    const zip = res.body as Buffer;
    expect(zip.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect(zipEntryNames(zip).sort()).toEqual(RESULT_FILES);
  });

  it('refuses a path as a file name with 400, and never serves outside the run', async () => {
    const res = await request(server)
      .get(`/api/v1/backtests/${completedRunId}/files/..%2Fpackage.json`)
      .expect(400);
    expect(res.body).toEqual({
      error: { code: 'INVALID_FILE_NAME', message: '"../package.json" is not a result file name' },
    });
    // Unencoded, the path is normalised before routing; it must still not reach a file.
    const raw = await request(server).get(
      `/api/v1/backtests/${completedRunId}/files/../../../../package.json`,
    );
    expect(raw.status).toBeGreaterThanOrEqual(400);
    expect(raw.text).not.toContain('"tightloop"');
    await request(server)
      .get(`/api/v1/backtests/${completedRunId}/files/missing.csv`)
      .expect(404)
      .expect((r) => expect(r.body.error.code).toBe('FILE_NOT_FOUND'));
  });

  it('answers 404 for an unknown run on every route', async () => {
    for (const route of ['', '/summary', '/files', '/files/equity.csv', '/download']) {
      const res = await request(server).get(`/api/v1/backtests/run-0-deadbeef${route}`).expect(404);
      expect(res.body).toEqual({
        error: { code: 'RUN_NOT_FOUND', message: 'run run-0-deadbeef does not exist' },
      });
    }
  });

  it.each([
    [
      'an unknown strategy, naming it',
      { strategy: 'no_such_strategy', start: '2024-06-01', end: '2024-06-08' },
      'UNKNOWN_STRATEGY',
      /^unknown strategy "no_such_strategy"; known strategies: .*btc_basis/,
    ],
    [
      'end before start',
      { strategy: 'btc_basis', start: '2024-06-08', end: '2024-06-01' },
      'INVALID_REQUEST',
      /^end: end must be after start$/,
    ],
    [
      'a date that is not one',
      { strategy: 'btc_basis', start: '2024-13-45', end: '2024-06-08' },
      'INVALID_REQUEST',
      /^start: "2024-13-45" is not a date/,
    ],
    [
      'negative capital',
      { strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08', capital: -5 },
      'INVALID_REQUEST',
      /^capital: capital must not be negative$/,
    ],
    [
      'a config that breaks the mode schema',
      {
        strategy: 'btc_basis',
        start: '2024-06-01',
        end: '2024-06-08',
        config: { marginRatioTarget: 'high' },
      },
      'INVALID_CONFIG',
      /^invalid btc_basis config: marginRatioTarget: /,
    ],
    [
      'a missing field',
      { strategy: 'btc_basis', start: '2024-06-01' },
      'INVALID_REQUEST',
      /^end: /,
    ],
    [
      'a transport that does not exist',
      { strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08', transport: 'carrier' },
      'INVALID_REQUEST',
      /^transport: /,
    ],
    [
      'an unknown field',
      { strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08', captial: 5 },
      'INVALID_REQUEST',
      /captial/,
    ],
  ])('refuses %s with 400 and the reason', async (_what, body, code, message) => {
    const res = await request(server).post('/api/v1/backtests').send(body).expect(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
  });

  it('answers malformed JSON with the error envelope', async () => {
    const res = await request(server)
      .post('/api/v1/backtests')
      .set('content-type', 'application/json')
      .send('{"strategy":')
      .expect(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
  });

  it('shows a run the quality gate stopped as failed with the gate message, newest first', async () => {
    const submitted = await request(server)
      .post('/api/v1/backtests')
      .send({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08', capital: 0 })
      .expect(202);
    const runId = submitted.body.data.runId as string;
    const run = await finished(server, runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^BACKTEST\.NO_INITIAL_CAPITAL: /);

    const res = await request(server).get(`/api/v1/backtests/${runId}/files`).expect(409);
    expect(res.body.error).toEqual({
      code: 'RUN_FAILED',
      message: expect.stringContaining('BACKTEST.NO_INITIAL_CAPITAL'),
    });

    const list = await request(server).get('/api/v1/backtests').expect(200);
    const ids = list.body.data.map((r: { runId: string }) => r.runId);
    expect(ids.indexOf(runId)).toBeLessThan(ids.indexOf(completedRunId));
  });
});
