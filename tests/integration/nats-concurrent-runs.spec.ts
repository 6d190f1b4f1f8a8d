import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBacktest } from '@tightloop/runner';
import type { RunningStageService } from '@tightloop/stage-host';
import { NATS_URL, startStageServices } from '../support/stage-services';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'tl-concurrent-cache-'));
const CSVS = ['equity.csv', 'positions.csv', 'instructions.csv', 'reconciliations.csv', 'risk.csv'];

async function run(strategy: string, nats: boolean) {
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-concurrent-')), 'run');
  await runBacktest({
    strategy,
    start: '2024-06-01',
    end: '2024-06-15',
    outDir,
    cacheDir,
    ...(nats
      ? { transport: { kind: 'nats' as const, natsUrl: NATS_URL, requestTimeoutMs: 5_000 } }
      : {}),
  });
  return outDir;
}

// Story: two desks run backtests at the same time on the same deployment, two replicas of
// every stage sharing the work; each run must come out as if it had run alone.
describe('two runs at once over two replicas of each service', () => {
  let services: RunningStageService[];
  beforeAll(async () => {
    services = await startStageServices(2);
  });
  afterAll(async () => {
    for (const s of services) await s.close();
  });

  it('both complete, each identical to running alone', async () => {
    const [basis, hedged] = await Promise.all([
      run('btc_basis', true),
      run('usdt_eth_staking_hedged_leveraged', true),
    ]);
    const [basisAlone, hedgedAlone] = [
      await run('btc_basis', false),
      await run('usdt_eth_staking_hedged_leveraged', false),
    ];
    for (const [together, alone] of [
      [basis, basisAlone],
      [hedged, hedgedAlone],
    ] as const) {
      for (const f of CSVS)
        expect([
          f,
          readFileSync(path.join(together, f)).equals(readFileSync(path.join(alone, f))),
        ]).toEqual([f, true]);
    }
  });
});
