import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { InMemoryRunRegistry } from '@tightloop/persistence';
import type { RunningStageService } from '@tightloop/stage-host';
import request from 'supertest';
import { finished, type Server } from './api-test.client';
import {
  bootstrapRunController,
  runRegistryReady,
} from '../../apps/run-controller/src/run-controller.bootstrap';
import { readRunControllerConfig } from '../../apps/run-controller/src/run-controller.config';
import { NATS_URL, startStageServices } from '../support/stage-services';

// Story: with STAGES_TRANSPORT=nats the run controller runs its backtests across the six
// stage services, with the same results as in its own process; a request may still ask
// for either transport.
describe('backtests across the stage services (STAGES_TRANSPORT=nats)', () => {
  let services: RunningStageService[];
  let observer: NatsConnection;
  /** Ticks the strategy service decided, by reply subject (one per run). */
  const ticksDecided = new Map<string, number>();
  let app: INestApplication;
  let server: Server;
  let tempRoot: string;

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-api-nats-'));
    services = await startStageServices();
    // Reads the chained ticks coming back from the strategy service (a message may open
    // several ticks ahead), so the test cannot pass without the services.
    observer = await connect({ servers: NATS_URL });
    observer.subscribe('tightloop-chain-reply.>', {
      callback: (_error, msg) => {
        const { data } = msg.json<{ data: { out: unknown[] } }>();
        ticksDecided.set(msg.subject, (ticksDecided.get(msg.subject) ?? 0) + data.out.length);
      },
    });
    const config = readRunControllerConfig({
      HTTP_PORT: '0',
      TIGHTLOOP_RESULTS_DIR: path.join(tempRoot, 'results'),
      TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
      LOG_LEVEL: 'fatal',
      STAGES_TRANSPORT: 'nats',
      NATS_URL,
      // Other test files' services share the queue groups and may stop mid-request.
      STAGES_REQUEST_TIMEOUT_MS: '5000',
    });
    app = await bootstrapRunController(config, { registry: new InMemoryRunRegistry() });
    await runRegistryReady(app);
    server = app.getHttpServer() as Server;
  });
  afterAll(async () => {
    await app?.close();
    await observer?.drain();
    for (const s of services ?? []) await s.close();
    await rm(tempRoot, { recursive: true, force: true });
  });

  const run = async (body: Record<string, unknown>) => {
    const submitted = await request(server)
      .post('/api/v1/backtests')
      .send({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-03', ...body })
      .expect(202);
    return finished(server, submitted.body.data.runId);
  };

  it('runs over NATS by default and in process on request, with identical results', async () => {
    const remote = await run({});
    await observer.flush();
    expect(remote).toMatchObject({ status: 'completed', request: { transport: 'nats' } });
    // Every tick of 2024-06-01 00:00 .. 06-03 00:00, decided by the strategy service.
    expect(ticksDecided.get(`tightloop-chain-reply.${remote.runId}`)).toBeGreaterThanOrEqual(49);

    const local = await run({ transport: 'in-process' });
    expect(local).toMatchObject({ status: 'completed', request: { transport: 'in-process' } });

    const dir = (runId: string) => path.join(tempRoot, 'results', runId);
    const files = (await readdir(dir(local.runId))).filter((f) => f !== 'summary.json');
    expect(files).toContain('equity.csv');
    for (const file of files) {
      const [a, b] = await Promise.all([
        readFile(path.join(dir(remote.runId), file)),
        readFile(path.join(dir(local.runId), file)),
      ]);
      expect([file, a.equals(b)]).toEqual([file, true]);
    }
  });
});
