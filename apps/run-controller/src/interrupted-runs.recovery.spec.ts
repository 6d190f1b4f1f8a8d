import type { RunRecord } from '@tightloop/core';
import { InMemoryRunRegistry } from '@tightloop/persistence';
import { failInterruptedRuns, interruptedRunError } from './interrupted-runs.recovery';

const record = (runId: string, status: RunRecord['status']): RunRecord => ({
  runId,
  strategy: 'btc_basis',
  startupMode: 'backtest',
  status,
  request: { start: '2024-06-01' },
  ticksDone: status === 'queued' ? 0 : 40,
  ticksTotal: status === 'queued' ? null : 169,
  outDir: status === 'completed' ? '/results/done' : null,
  error: status === 'failed' ? 'BACKTEST.NO_INITIAL_CAPITAL: none' : null,
  createdAtMs: 1_000,
  updatedAtMs: 2_000,
});

describe('failInterruptedRuns', () => {
  it('fails the queued and running runs with the reason, and leaves finished ones alone', async () => {
    const registry = new InMemoryRunRegistry();
    for (const status of ['queued', 'running', 'completed', 'failed'] as const)
      await registry.create(record(status, status));

    const failed = await failInterruptedRuns(registry, 9_000);

    expect(failed.map((r) => r.runId).sort()).toEqual(['queued', 'running']);
    expect(await registry.get('running')).toEqual({
      ...record('running', 'running'),
      status: 'failed',
      error: interruptedRunError('running'),
      updatedAtMs: 9_000,
    });
    expect((await registry.get('queued'))?.error).toMatch(
      /^interrupted by a restart of the run controller while it was queued; /,
    );
    expect(await registry.get('completed')).toEqual(record('completed', 'completed'));
    expect(await registry.get('failed')).toEqual(record('failed', 'failed'));
    await expect(failInterruptedRuns(registry)).resolves.toEqual([]);
  });
});
