import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { runBacktest } from '@tightloop/runner';
import { stageRequestSubject, tickChainSubject, type TickChainMessage } from '@tightloop/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { RunningStageService } from '@tightloop/stage-host';
import { firstValueFrom, timeout } from 'rxjs';
import { NATS_URL, STAGE_SERVICES } from '../support/stage-services';

// Story: a message that fails its schema must not hang a run: the service logs it and
// answers with an error naming the operation and the field.
describe('stage services reject bad requests with an error reply', () => {
  let service: RunningStageService;
  let client: ClientProxy;
  beforeAll(async () => {
    service = await STAGE_SERVICES.exposure({ NATS_URL, HTTP_PORT: '0', LOG_LEVEL: 'error' });
    client = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: { servers: [NATS_URL] },
    });
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await service.close();
  });

  it('answers a request that breaks its schema with the problem, not silence', async () => {
    const bad = {
      runId: 'bad-input',
      tickIndex: 0,
      seq: 0,
      state: { amounts: { 'nowhere:Perp:X': 'lots' } },
      shareClass: 'EUR',
    };
    const reply = firstValueFrom(
      client.send(stageRequestSubject('bad-input', 'exposure.compute'), bad).pipe(timeout(5_000)),
    );
    await expect(reply).rejects.toMatchObject({
      code: 'STAGE.BAD_REQUEST',
      message: expect.stringContaining('exposure.compute: request rejected by its schema'),
    });
  });

  it("answers a chained tick that breaks a stage's schema on the reply subject, briefly", async () => {
    const nc = client.unwrap<NatsConnection>();
    const replyTo = 'test.bad-chain.reply';
    const reply = new Promise<TickChainMessage>((resolve) =>
      nc.subscribe(replyTo, {
        max: 1,
        callback: (_e, msg) => resolve(msg.json<{ data: TickChainMessage }>().data),
      }),
    );
    await nc.flush();
    const bad = { amounts: { 'nowhere:Perp:X': 'lots' } };
    const msg = {
      runId: 'bad-chain',
      tickIndex: 7,
      attempt: 1,
      replyTo,
      input: { shareClass: 'EUR' },
      ahead: [],
      out: [{ 'positions.refresh': { state: bad } }],
    };
    nc.publish(tickChainSubject('bad-chain', 'exposure.compute'), JSON.stringify({ data: msg }));
    const answered = await reply;
    expect(answered).toMatchObject({
      runId: 'bad-chain',
      tickIndex: 7,
      attempt: 1,
      out: [],
      error: {
        operation: 'exposure.compute',
        code: 'STAGE.BAD_REQUEST',
        message: expect.stringContaining('exposure.compute: request rejected by its schema'),
      },
    });
    // Only what the loop reads of a failed tick: not the tick's inputs again.
    expect(answered.input).toEqual({});
  });

  it('fails a run with a clear message when a stage has no service, instead of hanging', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-nostage-')), 'run');
    const run = runBacktest({
      strategy: 'btc_basis',
      start: '2024-06-01',
      end: '2024-06-02',
      outDir: out,
      cacheDir: mkdtempSync(path.join(os.tmpdir(), 'tl-nostage-cache-')),
      transport: { kind: 'nats', natsUrl: NATS_URL, retry: { attempts: 2, firstDelayMs: 50 } },
    });
    await expect(run).rejects.toThrow(
      /stage positions\.refresh failed for run bt-[\w-]+ at tick 0 after 2 attempt/,
    );
  });

  it('refuses to start without NATS, saying which server (its password hidden)', async () => {
    await expect(
      STAGE_SERVICES.risk({ NATS_URL: 'nats://me:secret@127.0.0.1:4397', HTTP_PORT: '0' }),
    ).rejects.toThrow(
      /^risk-monitor could not start \(NATS_URL nats:\/\/me:\*\*\*@127\.0\.0\.1:4397, HTTP_PORT 0\): /,
    );
  });

  it('reports health: live and ready', async () => {
    const ready = await fetch(`http://127.0.0.1:${service.httpPort}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
