import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBacktest } from '@tightloop/runner';
import { startPrivateNats } from '../support/private-nats';
import { serveProcess, stop } from '../support/processes';

const SERVICES = [
  'position-monitor',
  'exposure-monitor',
  'risk-monitor',
  'pnl-monitor',
  'strategy',
  'execution',
];
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'tl-fault-cache-'));
const CSVS = ['equity.csv', 'positions.csv', 'instructions.csv', 'risk.csv', 'funding.csv'];

/** Where the fault strikes: a third of the way through June's 721 ticks. */
const FAULT_AT_TICK = 240;

function backtest(natsUrl?: string) {
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-fault-')), 'run');
  let reached: () => void = () => undefined;
  const midRun = new Promise<void>((resolve) => (reached = resolve));
  const status = { finished: false };
  const run = runBacktest(
    {
      strategy: 'btc_basis',
      start: '2024-06-01',
      end: '2024-07-01',
      outDir,
      cacheDir,
      // A request lost with a dying server is given up after 2 s and asked again.
      ...(natsUrl
        ? { transport: { kind: 'nats' as const, natsUrl, requestTimeoutMs: 2_000 } }
        : {}),
    },
    { onProgress: (done) => done >= FAULT_AT_TICK && reached() },
  ).finally(() => (status.finished = true));
  return { outDir, run, midRun, status };
}

function expectSameResults(a: string, b: string) {
  for (const f of CSVS)
    expect([f, readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f)))]).toEqual([
      f,
      true,
    ]);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Story: a stage service dies in the middle of a run (a crash, a deploy) and comes back;
// the run carries on and ends with the results it would have had without the fault.
describe('faults during a distributed run', () => {
  let reference: string;
  beforeAll(async () => {
    const local = backtest();
    await local.run;
    reference = local.outDir;
  });

  it('survives the risk monitor being killed mid-run and restarted', async () => {
    // Its own NATS server: on the shared one, other suites' risk monitors would stand in.
    const nats = await startPrivateNats(4336);
    const ports = new Map(SERVICES.map((s, k) => [s, 4301 + k]));
    const procs = new Map<string, ChildProcess>();
    for (const s of SERVICES) procs.set(s, await serveProcess(s, nats.url, ports.get(s)!));
    try {
      const remote = backtest(nats.url);
      await remote.midRun;
      await stop(procs.get('risk-monitor')!, 'SIGKILL');
      await pause(1_000);
      expect(remote.status.finished).toBe(false); // waiting for the risk monitor
      procs.set(
        'risk-monitor',
        await serveProcess('risk-monitor', nats.url, ports.get('risk-monitor')!),
      );
      await remote.run;
      expectSameResults(reference, remote.outDir);
    } finally {
      for (const p of procs.values()) await stop(p);
      await nats.stop();
    }
  });

  it('survives a NATS server restart mid-run', async () => {
    const nats = await startPrivateNats(4333);
    const procs = new Map<string, ChildProcess>();
    try {
      for (const [k, s] of SERVICES.entries())
        procs.set(s, await serveProcess(s, nats.url, 4311 + k));
      const remote = backtest(nats.url);
      await remote.midRun;
      await nats.kill();
      await pause(1_000);
      expect(remote.status.finished).toBe(false); // waiting for NATS
      await nats.start();
      await remote.run;
      expectSameResults(reference, remote.outDir);
    } finally {
      for (const p of procs.values()) await stop(p);
      await nats.stop();
    }
  });
});
