import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type * as PgliteNodePostgres from '@electric-sql/pglite/dist/node-postgres/index';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { lockPGliteDir } from './pglite-dir.lock';

// This workspace resolves modules the node10 way, which cannot see a package's "exports"
// subpaths: the types come from the file's real path, the module from its exported name
// (a variable, so the compiler does not try to resolve it).
const NODE_POSTGRES_ADAPTER = '@electric-sql/pglite/node-postgres';

/** Data directories open in this process; PGlite is single-user, one opener per directory. */
const openDirs = new Map<string, string>();

/**
 * A DataSource over an embedded PGlite that closes the database with itself.
 *
 * Why not typeorm-pglite: it keeps ONE PGlite per process in a static field, so a second
 * DataSource silently gets the first one's database whatever its dataDir, and destroying
 * either closes it under the other (which then reopens a fresh, empty one). It also hands
 * every TypeORM connection the same session, so concurrent transactions interleave: a
 * rolled-back write can be committed by another transaction's COMMIT.
 * PGlite's own node-postgres adapter avoids all three: TypeORM keeps its stock `pg`
 * driver, the pool has one connection (so transactions queue, as on a one-connection
 * Postgres pool), and results are parsed by pg exactly as for a real server.
 */
export class PGliteDataSource extends DataSource {
  private closed = false;

  constructor(
    options: DataSourceOptions,
    private readonly pglite: PGlite,
    private readonly dirKey: string | null,
    private readonly unlockDir: () => Promise<void>,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.isInitialized) await super.destroy();
    } finally {
      try {
        await this.pglite.close();
      } finally {
        await this.unlockDir();
        if (this.dirKey) openDirs.delete(this.dirKey);
      }
    }
  }
}

/**
 * Opens PGlite (in memory when `dataDir` is undefined, else persisted in that directory)
 * and wraps it in a DataSource with the given options. Not initialised yet.
 */
export async function openPGliteDataSource(
  dataDir: string | undefined,
  schema: string,
  options: Omit<DataSourceOptions, 'type' | 'driver'>,
): Promise<PGliteDataSource> {
  const dirKey = dataDir === undefined ? null : resolve(dataDir);
  if (dirKey) {
    const holder = openDirs.get(dirKey);
    if (holder !== undefined) {
      throw new Error(
        `PGlite data directory ${dirKey} is already open in this process (schema ${holder}); ` +
          'PGlite allows one connection per directory: give each service its own dataDir',
      );
    }
    openDirs.set(dirKey, schema);
  }
  let unlockDir: () => Promise<void> = async () => undefined;
  try {
    // Other processes: PGlite itself would let a second one open the directory.
    if (dirKey) unlockDir = await lockPGliteDir(dirKey);
    // Loaded on first use: a service on Postgres never pays for PGlite's wasm bundle.
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(dirKey ? { dataDir: dirKey } : {});
    const { createPgConfig } = (await import(NODE_POSTGRES_ADAPTER)) as typeof PgliteNodePostgres;
    return new PGliteDataSource(
      {
        ...options,
        type: 'postgres',
        // The adapter is one PGlite session: more than one pooled client would share it.
        poolSize: 1,
        // pg would otherwise drop the idle client after 10 s and reconnect for nothing.
        extra: { ...createPgConfig(pglite), idleTimeoutMillis: 0 },
      } as DataSourceOptions,
      pglite,
      dirKey,
      unlockDir,
    );
  } catch (error) {
    await unlockDir();
    if (dirKey) openDirs.delete(dirKey);
    throw error;
  }
}
