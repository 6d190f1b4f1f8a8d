import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  dropSchemaAndClose,
  freshSchemaName,
  openTestPostgres,
  TEST_DATABASE_URL,
} from '../../libs/persistence/src/store-test.fixture';
import { requireOutsideJest } from '../../libs/persistence/src/outside-jest.fixture';
import {
  backtestInto,
  resultFiles,
  testCacheDir,
} from '../../libs/runner/src/backtest-results.fixture';
import type { RunRegistryConfig } from '../../apps/run-controller/src/run-controller.config';
import { openRunRegistry } from '../../apps/run-controller/src/run-registry.opener';

jest.mock('@electric-sql/pglite', () => requireOutsideJest('@electric-sql/pglite'));

const WEEK = { strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08' };
let cacheDir: string;
let tempRoot: string;
beforeAll(async () => {
  cacheDir = testCacheDir();
  tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-opener-'));
});
afterAll(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

// The registry's store keeps the runs' checkpoints too, so a run resumes from them after
// the store is closed and opened again (a restart), with the results of a run in one go.
describe.each([
  ['the embedded PGlite', () => ({ kind: 'pglite', dataDir: path.join(tempRoot, '.registry') })],
  ['Postgres', () => ({ kind: 'postgres', url: TEST_DATABASE_URL })],
] as const)('checkpoints in the run registry on %s', (_, where) => {
  const schema = freshSchemaName();
  const config = () => ({ ...where(), schema }) as RunRegistryConfig;
  afterAll(async () => {
    if (config().kind === 'postgres')
      await dropSchemaAndClose(await openTestPostgres(schema), schema);
  });

  it('resume a run after a reopen, with the results of an uninterrupted run', async () => {
    const first = await openRunRegistry(config());
    const whole = await backtestInto(
      { ...WEEK, cacheDir, runId: 'run-whole' },
      { checkpoints: { store: first.checkpoints, everyTicks: 50 } },
    );
    const stored = await first.checkpoints.since('run-whole', 0, 0);
    expect(stored).toHaveLength(4);
    // What a process killed after its second checkpoint leaves of run-cut.
    await first.checkpoints.saveBatch(stored.slice(0, 2).map((c) => ({ ...c, runId: 'run-cut' })));
    await first.close();

    const second = await openRunRegistry(config());
    try {
      const resumed = await backtestInto(
        { ...WEEK, cacheDir, runId: 'run-cut' },
        { checkpoints: { store: second.checkpoints, everyTicks: 50 } },
      );
      expect(resumed.fromTick).toBe(100);
      expect(resultFiles(resumed.dir)).toEqual(resultFiles(whole.dir));
      const after = await second.checkpoints.since('run-cut', 0, 0);
      expect(after.map((c) => c.state)).toEqual(stored.map((c) => c.state));
    } finally {
      await second.close();
    }
  });
});
