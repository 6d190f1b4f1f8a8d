import type { RunRecord } from '@tightloop/core';
import { InMemoryRunRegistry } from './in-memory.run-registry';

const record = (runId: string, createdAtMs: number): RunRecord => ({
  runId,
  strategy: 'btc_basis',
  startupMode: 'backtest',
  status: 'queued',
  request: { start: '2024-06-01' },
  ticksDone: 0,
  ticksTotal: null,
  outDir: null,
  error: null,
  createdAtMs,
  updatedAtMs: createdAtMs,
});

describe('InMemoryRunRegistry', () => {
  it('creates, updates and reads runs; list is newest first, ties by arrival', async () => {
    const registry = new InMemoryRunRegistry();
    await registry.create(record('a', 1));
    await registry.create(record('b', 3));
    await registry.create(record('c', 3));
    const updated = await registry.update('a', { status: 'running', ticksTotal: 10 });
    expect(updated).toMatchObject({
      runId: 'a',
      status: 'running',
      ticksTotal: 10,
      createdAtMs: 1,
    });
    expect((await registry.list()).map((r) => r.runId)).toEqual(['c', 'b', 'a']);
    expect(await registry.get('missing')).toBeNull();
  });

  it('refuses a duplicate run id and an update of an unknown run', async () => {
    const registry = new InMemoryRunRegistry();
    await registry.create(record('a', 1));
    await expect(registry.create(record('a', 2))).rejects.toThrow(/already registered/);
    await expect(registry.update('b', { status: 'failed' })).rejects.toThrow(/not registered/);
  });

  it('hands out copies, so stored runs change only through update', async () => {
    const registry = new InMemoryRunRegistry();
    const original = record('a', 1);
    await registry.create(original);
    original.status = 'failed';
    const read = (await registry.get('a'))!;
    read.request.start = 'changed';
    expect(await registry.get('a')).toMatchObject({
      status: 'queued',
      request: { start: '2024-06-01' },
    });
  });
});
