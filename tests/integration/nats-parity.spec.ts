import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { STRATEGY_MODES } from '@tightloop/contracts';
import { runBacktest } from '@tightloop/runner';
import type { RunningStageService } from '@tightloop/stage-host';
import { NATS_URL, startStageServices } from '../support/stage-services';

const WINDOW = { start: '2024-07-01', end: '2024-08-01' };
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'tl-parity-cache-'));
const dataDir = process.env.TIGHTLOOP_DATA_DIR || undefined;

async function run(strategy: string, transport: 'in-process' | 'nats') {
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), `tl-parity-${transport}-`)), 'run');
  await runBacktest({
    strategy,
    ...WINDOW,
    outDir,
    cacheDir,
    ...(dataDir ? { dataDir } : {}),
    // Other test files' services share these queue groups and may stop mid-request:
    // a lost request is asked again after 5 s.
    transport:
      transport === 'nats'
        ? { kind: 'nats', natsUrl: NATS_URL, requestTimeoutMs: 5_000 }
        : { kind: 'in-process' },
  });
  return outDir;
}

// Story: the same backtest, in one process and across the six stage services over real
// NATS, must give the same results byte for byte (summary.json differs only in wall time).
describe('parity: in process vs six services over NATS', () => {
  let services: RunningStageService[];
  let observer: NatsConnection;
  /** Ticks the strategy service decided: every tick of a run over NATS must be one. */
  let ticksDecided = 0;
  beforeAll(async () => {
    services = await startStageServices();
    // Reads the chained ticks coming back from the strategy service (one message may open
    // several ticks ahead), so parity cannot pass without the services.
    observer = await connect({ servers: NATS_URL });
    observer.subscribe('tightloop-chain-reply.>', {
      callback: (_error, msg) => {
        const { data } = msg.json<{ data: { out: unknown[]; error?: unknown } }>();
        if (!data.error) ticksDecided += data.out.length;
      },
    });
  });
  afterAll(async () => {
    await observer.drain();
    for (const s of services) await s.close();
  });

  it.each(STRATEGY_MODES)('%s: one month gives identical results', async (strategy) => {
    const local = await run(strategy, 'in-process');
    const before = ticksDecided;
    const remote = await run(strategy, 'nats');
    await observer.flush();
    expect(ticksDecided - before).toBeGreaterThanOrEqual(745); // every hour of July, and its end
    const files = readdirSync(local);
    expect(readdirSync(remote).sort()).toEqual([...files].sort());
    for (const file of files.filter((f) => f !== 'summary.json')) {
      expect([
        file,
        readFileSync(path.join(remote, file)).equals(readFileSync(path.join(local, file))),
      ]).toEqual([file, true]);
    }
    const summary = (dir: string) => ({
      ...JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')),
      wallSeconds: 0,
    });
    expect(summary(remote)).toEqual(summary(local));
  });
});
