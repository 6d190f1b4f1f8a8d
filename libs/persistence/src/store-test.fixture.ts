import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CheckpointEntity } from './checkpoint.entity';
import { createDataSource } from './data-source.factory';
import type { PersistenceTable } from './persistence.migrations';
import { describeCheckpointStoreContract } from './checkpoint-store.contract';
import { describeRunRegistryContract } from './run-registry.contract';
import { RunEntity } from './run.entity';
import { TypeOrmCheckpointStore } from './typeorm.checkpoint-store';
import { TypeOrmRunRegistry } from './typeorm.run-registry';

/** A schema name no other test run uses, so parallel runs on one server do not collide. */
export const freshSchemaName = () => `test_${randomBytes(5).toString('hex')}`;

/**
 * Runs both contract suites against one DataSource opened by the caller (opening is the
 * slow part, PGlite's especially). Each test gets empty tables: they are truncated first.
 */
export function describeTypeOrmStoreContracts(name: string, dataSource: () => DataSource) {
  const emptied = async (entity: typeof CheckpointEntity | typeof RunEntity) => {
    await dataSource().getRepository(entity).clear(); // TRUNCATE
    return dataSource();
  };
  const close = async () => undefined;
  describeCheckpointStoreContract(name, async () => ({
    store: new TypeOrmCheckpointStore(await emptied(CheckpointEntity)),
    close,
  }));
  describeRunRegistryContract(name, async () => ({
    registry: new TypeOrmRunRegistry(await emptied(RunEntity)),
    close,
  }));
}

/** The test command starts PostgreSQL on loopback (scripts/ensure-services.sh). */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Opens `schema` on the test server, or fails with a message saying what is missing.
 * Suites that need Postgres fail, never skip, without it: CI always has one, so a skip
 * would only hide a fault.
 */
export async function openTestPostgres(
  schema: string,
  tables?: readonly PersistenceTable[],
): Promise<DataSource> {
  try {
    return await createDataSource({ kind: 'postgres', url: TEST_DATABASE_URL, schema, tables });
  } catch (error) {
    throw new Error(
      `PostgreSQL is needed by this suite but ${TEST_DATABASE_URL} is not usable ` +
        `(start it with scripts/ensure-services.sh, or set TEST_DATABASE_URL): ` +
        (error as Error).message,
    );
  }
}

/** Drops a test schema with everything in it, then closes the DataSource. */
export async function dropSchemaAndClose(dataSource: DataSource | undefined, schema: string) {
  if (!dataSource?.isInitialized) return;
  await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await dataSource.destroy();
}
