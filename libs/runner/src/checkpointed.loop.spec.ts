import { STRATEGY_MODES } from '@tightloop/contracts';
import type { StageCheckpoint } from '@tightloop/core';
import { InMemoryCheckpointStore } from '@tightloop/persistence';
import { backtestInto, resultFiles, testCacheDir } from './backtest-results.fixture';
import type { RunCheckpointState } from './run-checkpoint';

type Checkpoint = StageCheckpoint<RunCheckpointState>;
const WEEK = { start: '2024-06-01', end: '2024-06-08' }; // 169 hourly ticks
const EVERY = 50;

let cacheDir: string;
beforeAll(() => {
  cacheDir = testCacheDir();
});

/** A store holding `checkpoints` already, as a crashed process leaves it. */
async function storeWith(checkpoints: readonly Checkpoint[]) {
  const store = new InMemoryCheckpointStore<RunCheckpointState>();
  await store.saveBatch(checkpoints);
  return store;
}

async function checkpointedRun(strategy: string, runId: string, store = storeWith([])) {
  const saved: number[] = [];
  const checkpoints = {
    store: await store,
    everyTicks: EVERY,
    onSaved: (t: number) => saved.push(t),
  };
  const run = await backtestInto({ strategy, ...WEEK, cacheDir, runId }, { checkpoints });
  return { ...run, saved, stored: await checkpoints.store.since(runId, 0, 0) };
}

describe('a checkpointed backtest', () => {
  let reference: Record<string, string>;
  let whole: Awaited<ReturnType<typeof checkpointedRun>>;
  beforeAll(async () => {
    reference = resultFiles((await backtestInto({ strategy: 'btc_basis', ...WEEK, cacheDir })).dir);
    whole = await checkpointedRun('btc_basis', 'run-whole');
  });

  it('saves ceil(K/N) checkpoints, one per N ticks and one after the last, and the same results', () => {
    expect(whole.stored.map((c) => [c.tickIndex, c.seq])).toEqual([
      [49, 0],
      [99, 0],
      [149, 0],
      [168, 0],
    ]);
    expect(whole.saved).toEqual([50, 100, 150, 169]);
    expect(whole.fromTick).toBe(0);
    expect(resultFiles(whole.dir)).toEqual(reference);
  });

  it.each([1, 2, 3, 4])(
    'resumed after its checkpoint %i, writes the same results and the same later checkpoints',
    async (k) => {
      const left = whole.stored.slice(0, k);
      const resumed = await checkpointedRun('btc_basis', 'run-whole', storeWith(left));
      expect(resumed.fromTick).toBe(Math.min(k * EVERY, 169));
      expect(resumed.saved).toEqual([50, 100, 150, 169].slice(k));
      expect(resultFiles(resumed.dir)).toEqual(reference);
      // Saving again what is stored changes nothing; what follows is what a whole run stored.
      expect(resumed.stored).toEqual(whole.stored);
    },
  );

  it('fails the run, saying which checkpoint, when one cannot be saved', async () => {
    const store = new InMemoryCheckpointStore<RunCheckpointState>();
    store.saveBatch = async () => {
      throw new Error('no space left on device');
    };
    await expect(
      backtestInto(
        { strategy: 'btc_basis', ...WEEK, cacheDir, runId: 'run-full-disk' },
        { checkpoints: { store, everyTicks: EVERY } },
      ),
    ).rejects.toThrow(
      'checkpoint of run run-full-disk after tick 49 could not be saved: no space left on device',
    );
  });

  it('refuses to resume over data of another length', async () => {
    const store = await storeWith(whole.stored.slice(0, 2));
    await expect(
      backtestInto(
        {
          strategy: 'btc_basis',
          start: WEEK.start,
          end: '2024-06-09',
          cacheDir,
          runId: 'run-whole',
        },
        { checkpoints: { store, everyTicks: EVERY } },
      ),
    ).rejects.toThrow(/at tick 49 was made over 169 ticks of data, the data now has 193/);
  });

  it('refuses a gap in the stored checkpoints', async () => {
    const store = await storeWith([whole.stored[0]!, whole.stored[2]!]);
    await expect(
      backtestInto(
        { strategy: 'btc_basis', ...WEEK, cacheDir, runId: 'run-whole' },
        { checkpoints: { store, everyTicks: EVERY } },
      ),
    ).rejects.toThrow(/at tick 149 holds results from tick 100, expected 50/);
  });
});

// Every mode carries all its state from tick to tick in the loop checkpoint: a fresh
// process resumed from one gives what one process running through gives.
describe.each(STRATEGY_MODES)('%s resumed mid-run', (strategy) => {
  it('writes the results of an uninterrupted run', async () => {
    const whole = await checkpointedRun(strategy, `run-${strategy}`);
    const resumed = await checkpointedRun(
      strategy,
      `run-${strategy}`,
      storeWith(whole.stored.slice(0, 2)),
    );
    expect(resumed.fromTick).toBe(2 * EVERY);
    expect(resultFiles(resumed.dir)).toEqual(resultFiles(whole.dir));
  });
});
