import type { RunRecord } from '@tightloop/core';
import { InMemoryRunRegistry } from '@tightloop/persistence';
import {
  InterruptedRuns,
  requeueInterruptedRuns,
  type InterruptedRun,
} from './interrupted-runs.recovery';

const record = (runId: string, status: RunRecord['status'], createdAtMs: number): RunRecord => ({
  runId,
  strategy: 'btc_basis',
  startupMode: 'backtest',
  status,
  request: { strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08' },
  ticksDone: status === 'queued' ? 0 : 40,
  ticksTotal: status === 'queued' ? null : 169,
  ticksCheckpointed: status === 'queued' ? 0 : 24,
  resumedFromTick: null,
  outDir: status === 'completed' ? '/results/done' : null,
  error: status === 'failed' ? 'BACKTEST.NO_INITIAL_CAPITAL: none' : null,
  createdAtMs,
  updatedAtMs: createdAtMs,
});

async function leftByACrash() {
  const registry = new InMemoryRunRegistry();
  const statuses = ['running', 'completed', 'queued', 'failed', 'running'] as const;
  for (const [k, status] of statuses.entries()) await registry.create(record(`r${k}`, status, k));
  return registry;
}

describe('requeueInterruptedRuns', () => {
  it('finds the unfinished runs oldest first and puts the running ones back to queued', async () => {
    const registry = await leftByACrash();
    const found = await requeueInterruptedRuns(registry, 9_000);
    expect(found.map((r) => [r.runId, r.was])).toEqual([
      ['r0', 'running'],
      ['r2', 'queued'],
      ['r4', 'running'],
    ]);
    expect(found[0]!.request).toEqual(record('r0', 'running', 0).request);
    expect(await registry.get('r0')).toEqual({
      ...record('r0', 'running', 0),
      status: 'queued',
      updatedAtMs: 9_000,
    });
    expect(await registry.get('r1')).toEqual(record('r1', 'completed', 1));
    expect(await registry.get('r3')).toEqual(record('r3', 'failed', 3));
  });
});

describe('InterruptedRuns', () => {
  it('hands the runs over once, when released, whichever comes first', async () => {
    const taken: InterruptedRun[][] = [];
    const early = new InterruptedRuns();
    early.onRelease((runs) => taken.push(runs));
    await early.requeue(await leftByACrash());
    expect(taken).toEqual([]);
    early.release();
    early.release();
    expect(taken.map((runs) => runs.map((r) => r.runId))).toEqual([['r0', 'r2', 'r4']]);

    const late = new InterruptedRuns();
    await late.requeue(await leftByACrash());
    late.release();
    late.onRelease((runs) => taken.push(runs));
    expect(taken).toHaveLength(2);
  });

  it('remembers what was running when an open is tried again after requeueing', async () => {
    const registry = await leftByACrash();
    const interrupted = new InterruptedRuns();
    await interrupted.requeue(registry);
    await interrupted.requeue(registry); // the first open failed after its prepare
    interrupted.release();
    interrupted.onRelease((runs) =>
      expect(runs.map((r) => r.was)).toEqual(['running', 'queued', 'running']),
    );
    expect.assertions(1);
  });
});
