import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '@tightloop/core';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { requireOutsideJest } from './outside-jest.fixture';
import { TypeOrmCheckpointStore } from './typeorm.checkpoint-store';
import { TypeOrmRunRegistry } from './typeorm.run-registry';

jest.mock('@electric-sql/pglite', () => requireOutsideJest('@electric-sql/pglite'));

const run: RunRecord = {
  runId: 'run-1',
  strategy: 'btc_basis',
  startupMode: 'backtest',
  status: 'running',
  request: { start: '2024-06-01' },
  ticksDone: 3,
  ticksTotal: 10,
  ticksCheckpointed: 2,
  resumedFromTick: 1,
  outDir: null,
  error: null,
  createdAtMs: 1_717_200_000_000,
  updatedAtMs: 1_717_200_000_500,
};

describe('PGlite persisted in a data directory', () => {
  let dataDir: string;
  let open: DataSource | undefined;
  const openDir = async () =>
    (open = await createDataSource({ kind: 'pglite', dataDir, schema: 'position_monitor' }));
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tightloop-pglite-'));
  });
  afterAll(async () => {
    await open?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps checkpoints and runs across a restart, migrating only once', async () => {
    const first = await openDir();
    const state = { cash: 0.1 + 0.2, positions: { 'binance:Perp:BTCUSDT': { size: 1e-300 } } };
    await new TypeOrmCheckpointStore(first).saveBatch([
      { runId: 'run-1', tickIndex: 0, seq: 0, state: { cash: 1 } },
      { runId: 'run-1', tickIndex: 1, seq: 2, state },
    ]);
    await new TypeOrmRunRegistry(first).create(run);
    await first.destroy();

    const second = await openDir();
    expect(await new TypeOrmCheckpointStore(second).latest('run-1')).toEqual({
      runId: 'run-1',
      tickIndex: 1,
      seq: 2,
      state,
    });
    expect(await new TypeOrmRunRegistry(second).get('run-1')).toEqual(run);
    const migrations = await second.query('SELECT name FROM position_monitor.migrations');
    expect(migrations).toHaveLength(3);
  });

  it('refuses to open a directory this process has open already', async () => {
    await expect(
      createDataSource({ kind: 'pglite', dataDir, schema: 'pnl_monitor' }),
    ).rejects.toThrow(/already open in this process \(schema position_monitor\)/);
  });

  it("refuses a directory another running process holds, and takes over a dead one's", async () => {
    await open?.destroy();
    const lock = `${dataDir}.lock`;
    await expect(readFile(lock, 'utf8')).rejects.toThrow(/ENOENT/);
    // The process that started jest: alive, and not this one.
    await writeFile(lock, `${process.ppid}\n`);
    await expect(openDir()).rejects.toThrow(
      `PGlite data directory ${dataDir} is in use by process ${process.ppid}`,
    );
    // A process that has exited, as one killed with the directory open leaves it.
    await writeFile(lock, `${spawnSync('true').pid}\n`);
    const reopened = await openDir();
    expect(await readFile(lock, 'utf8')).toBe(`${process.pid}\n`);
    expect(await new TypeOrmRunRegistry(reopened).get('run-1')).toEqual(run);
    await reopened.destroy();
    await expect(readFile(lock, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
