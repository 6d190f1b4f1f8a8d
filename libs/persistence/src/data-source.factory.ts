import { redactUrl } from '@tightloop/contracts';
import { DataSource, MigrationExecutor, type DataSourceOptions } from 'typeorm';
import { CheckpointEntity } from './checkpoint.entity';
import { persistenceMigrations, type PersistenceTable } from './persistence.migrations';
import { openPGliteDataSource } from './pglite.data-source';
import { RunEntity } from './run.entity';
import { assertSchemaName } from './schema-name.guard';

interface CommonConfig {
  /** The Postgres schema this service owns, e.g. `position_monitor`. */
  schema: string;
  /** Tables this service keeps in its schema; both by default. */
  tables?: readonly PersistenceTable[];
}

export type PersistenceConfig =
  | (CommonConfig & { kind: 'postgres'; url: string; poolSize?: number })
  /** `dataDir` undefined: in memory; a directory: persisted there across runs. */
  | (CommonConfig & { kind: 'pglite'; dataDir?: string });

const ALL_TABLES: readonly PersistenceTable[] = ['checkpoints', 'runs'];

/**
 * An initialised TypeORM DataSource whose entities live in `config.schema`, migrated to
 * the latest layout. The schema is the DataSource's `schema` option, so the same entity
 * classes serve every service; `synchronize` is never used. `destroy()` closes it (and
 * PGlite with it).
 */
export async function createDataSource(config: PersistenceConfig): Promise<DataSource> {
  const schema = assertSchemaName(config.schema);
  const tables = config.tables ?? ALL_TABLES;
  const options = {
    schema,
    entities: [
      ...(tables.includes('checkpoints') ? [CheckpointEntity] : []),
      ...(tables.includes('runs') ? [RunEntity] : []),
    ],
    migrations: persistenceMigrations(schema, tables),
    synchronize: false,
    migrationsRun: false,
  };
  const dataSource =
    config.kind === 'postgres'
      ? new DataSource({
          ...options,
          type: 'postgres',
          url: config.url,
          poolSize: config.poolSize,
          // pg waits forever on an unanswered connect by default.
          connectTimeoutMS: 10_000,
          applicationName: `tightloop:${schema}`,
        } satisfies DataSourceOptions)
      : await openPGliteDataSource(config.dataDir, schema, options);
  try {
    await dataSource.initialize();
    await runMigrations(dataSource, schema);
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    const where =
      config.kind === 'postgres'
        ? redactUrl(config.url)
        : `PGlite ${config.dataDir === undefined ? 'in memory' : `in ${config.dataDir}`}`;
    throw new Error(`cannot open schema ${schema} on ${where}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Runs the pending migrations of `schema` under a Postgres advisory lock, so replicas
 * starting together do not race to create the same schema and tables. Everything runs on
 * the one connection that holds the lock (PGlite's pool has no other). The schema is
 * created first because TypeORM keeps its `migrations` table inside it.
 */
export async function runMigrations(dataSource: DataSource, schema: string): Promise<void> {
  const lockKey = `tightloop.migrations.${assertSchemaName(schema)}`;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      await executor.executePendingMigrations();
    } finally {
      // Must not hide a migration error; a session that died has dropped its lock anyway.
      await runner
        .query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey])
        .catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}
