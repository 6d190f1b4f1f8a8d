import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { tickChainSubject, type TickChainMessage } from '@tightloop/contracts';
import { runBacktest } from '@tightloop/runner';
import type { RunningStageService } from '@tightloop/stage-host';
import { startPrivateNats } from '../support/private-nats';
import { startStageServices } from '../support/stage-services';

const MAX_PAYLOAD = 64 * 1024;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tl-payload-'));

// Story: a NATS server that takes smaller messages than the default (max_payload), or a
// strategy whose ticks are larger: the ticks one chained message opens are held to what
// fits, and the run gives the results it gives in process.
describe('chained ticks within the server payload limit', () => {
  let nats: Awaited<ReturnType<typeof startPrivateNats>>;
  let services: RunningStageService[] = [];
  let observer: NatsConnection;
  const replies: { bytes: number; ticks: number }[] = [];
  /** The first chained message of the run over NATS, to send again, altered. */
  let first: TickChainMessage | undefined;

  beforeAll(async () => {
    nats = await startPrivateNats(4338, { maxPayload: MAX_PAYLOAD });
    services = await startStageServices(1, {}, nats.url);
    observer = await connect({ servers: nats.url });
    observer.subscribe('tightloop-chain.*.positions.refresh', {
      callback: (_e, msg) => void (first ??= msg.json<{ data: TickChainMessage }>().data),
    });
    observer.subscribe('tightloop-chain-reply.>', {
      callback: (_e, msg) =>
        void replies.push({
          bytes: msg.data.length,
          ticks: msg.json<{ data: { out: unknown[] } }>().data.out.length,
        }),
    });
  });
  afterAll(async () => {
    await observer?.drain();
    for (const s of services) await s.close();
    await nats?.stop();
  });

  it('opens as many ticks a message as fit in half the limit, with identical results', async () => {
    const run = async (transport: 'nats' | 'in-process') => {
      const outDir = path.join(tmp, transport);
      await runBacktest({
        strategy: 'usdt_eth_staking_hedged_leveraged',
        start: '2024-07-01',
        end: '2024-08-01',
        outDir,
        cacheDir: path.join(tmp, 'cache'),
        transport:
          transport === 'nats'
            ? { kind: 'nats', natsUrl: nats.url, requestTimeoutMs: 5_000 }
            : { kind: 'in-process' },
      });
      return outDir;
    };
    const local = await run('in-process');
    const remote = await run('nats');
    await observer.flush();

    expect(Math.max(...replies.map((r) => r.bytes))).toBeLessThanOrEqual(MAX_PAYLOAD);
    // Still speculating: messages of several ticks, but fewer than the 64 of a 1 MB limit.
    const longest = Math.max(...replies.map((r) => r.ticks));
    expect(longest).toBeGreaterThan(2);
    expect(longest).toBeLessThan(16);
    for (const file of readdirSync(local).filter((f) => f !== 'summary.json'))
      expect([
        file,
        readFileSync(path.join(remote, file)).equals(readFileSync(path.join(local, file))),
      ]).toEqual([file, true]);
  });

  /** Sends a chained message as the loop would, and waits for its reply. */
  async function chain(msg: TickChainMessage): Promise<{ bytes: number; data: TickChainMessage }> {
    const reply = new Promise<{ bytes: number; data: TickChainMessage }>((resolve) => {
      const sub = observer.subscribe(msg.replyTo, {
        max: 1,
        callback: (_e, m) =>
          resolve({ bytes: m.data.length, data: m.json<{ data: TickChainMessage }>().data }),
      });
      void sub;
    });
    await observer.flush();
    observer.publish(
      tickChainSubject(msg.runId, 'positions.refresh'),
      JSON.stringify({ data: msg }),
    );
    return reply;
  }

  it('sheds the later ticks of a message that outgrows the limit on its way', async () => {
    const base = first!;
    const ahead = Array.from({ length: 60 }, (_, k) => ({
      ...base.input.market,
      tsMs: base.input.market.tsMs + (k + 1) * 3_600_000,
    }));
    const { bytes, data } = await chain({
      ...base,
      runId: 'payload-shed',
      replyTo: 'test.payload-shed.reply',
      ahead,
      out: [],
    });
    expect(data.error).toBeUndefined();
    expect(bytes).toBeLessThanOrEqual(MAX_PAYLOAD);
    expect(data.out.length).toBeGreaterThanOrEqual(1);
    expect(data.out.length).toBeLessThan(61);
  });

  it('fails the tick, with the reason, when one tick alone outgrows the limit', async () => {
    const base = first!;
    // Within the limit as sent (a field no stage reads, passed on from stage to stage);
    // each stage's output then pushes it over.
    const padding = 'x'.repeat(MAX_PAYLOAD - JSON.stringify(base).length - 1_000);
    const { data } = await chain({
      ...base,
      runId: 'payload-single',
      replyTo: 'test.payload-single.reply',
      ahead: [],
      out: [],
      ...({ padding } as object),
    });
    expect(data.error).toMatchObject({ code: 'STAGE.FAILED' });
    expect(data.error!.message).toMatch(/one tick does not fit in a NATS message: .*max_payload/);
  });
});
