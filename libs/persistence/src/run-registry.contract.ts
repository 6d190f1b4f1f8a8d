import type { RunRecord, RunRegistry } from '@tightloop/core';

export interface RunRegistryHandle {
  registry: RunRegistry;
  close: () => Promise<void>;
}

const record = (runId: string, createdAtMs: number, extra: Partial<RunRecord> = {}): RunRecord => ({
  runId,
  strategy: 'btc_basis',
  startupMode: 'backtest',
  status: 'queued',
  request: { start: '2024-06-01', capital: 0.1 + 0.2, overrides: { leverage: [1, 2.5] } },
  ticksDone: 0,
  ticksTotal: null,
  ticksCheckpointed: 0,
  resumedFromTick: null,
  outDir: null,
  error: null,
  createdAtMs,
  updatedAtMs: createdAtMs,
  ...extra,
});

/**
 * The contract every RunRegistry passes (in-memory, PGlite, Postgres). `makeRegistry`
 * returns an empty registry for each test; `close` releases it.
 */
export function describeRunRegistryContract(
  name: string,
  makeRegistry: () => Promise<RunRegistryHandle>,
) {
  describe(`RunRegistry contract: ${name}`, () => {
    let handle: RunRegistryHandle;
    let registry: RunRegistry;
    beforeEach(async () => {
      handle = await makeRegistry();
      registry = handle.registry;
    });
    afterEach(async () => {
      await handle.close();
    });

    it('starts empty', async () => {
      expect(await registry.get('nope')).toBeNull();
      expect(await registry.list()).toEqual([]);
    });

    it('gives back a created run exactly, times included', async () => {
      const run = record('r1', Date.UTC(2031, 4, 6, 7, 8, 9, 123), {
        startupMode: 'live',
        ticksTotal: 8_760,
        ticksCheckpointed: 4_000,
        resumedFromTick: 3_500,
      });
      await registry.create(run);
      expect(await registry.get('r1')).toEqual(run);
    });

    it('refuses a second run with the same id', async () => {
      await registry.create(record('r1', 1));
      await expect(registry.create(record('r1', 2))).rejects.toThrow(
        'run r1 is already registered',
      );
      expect((await registry.get('r1'))!.createdAtMs).toBe(1);
    });

    it('applies an update, returns the whole record and keeps id and creation time', async () => {
      await registry.create(record('r1', 1_000));
      const updated = await registry.update('r1', {
        status: 'completed',
        ticksDone: 10,
        ticksTotal: 10,
        ticksCheckpointed: 10,
        resumedFromTick: 5,
        outDir: '/runs/r1',
        updatedAtMs: 2_000,
        error: undefined,
      });
      const expected = {
        ...record('r1', 1_000),
        status: 'completed',
        ticksDone: 10,
        ticksTotal: 10,
        ticksCheckpointed: 10,
        resumedFromTick: 5,
        outDir: '/runs/r1',
        updatedAtMs: 2_000,
      };
      expect(updated).toEqual(expected);
      expect(await registry.get('r1')).toEqual(expected);
      const failed = await registry.update('r1', { status: 'failed', error: 'boom', outDir: null });
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'boom',
        outDir: null,
        ticksDone: 10,
      });
      expect(await registry.update('r1', {})).toEqual(failed);
    });

    it('refuses to update a run nobody created, with a clear error', async () => {
      await expect(registry.update('ghost', { status: 'running' })).rejects.toThrow(
        'run ghost is not registered',
      );
      expect(await registry.get('ghost')).toBeNull();
    });

    it('lists newest first; runs created in the same millisecond by arrival', async () => {
      await registry.create(record('a', 1));
      await registry.create(record('b', 3));
      await registry.create(record('c', 3));
      await registry.create(record('d', 2));
      await registry.update('a', { status: 'running', updatedAtMs: 9 });
      expect((await registry.list()).map((r) => r.runId)).toEqual(['c', 'b', 'd', 'a']);
    });

    it('hands out copies: stored runs change only through update', async () => {
      const original = record('r1', 1);
      await registry.create(original);
      original.status = 'failed';
      (original.request.overrides as { leverage: number[] }).leverage.push(9);
      const read = (await registry.get('r1'))!;
      read.request.start = 'changed';
      (await registry.list())[0]!.request.start = 'changed too';
      expect(await registry.get('r1')).toEqual(record('r1', 1));
    });
  });
}
