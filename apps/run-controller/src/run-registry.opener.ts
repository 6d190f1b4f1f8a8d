import type { RunRegistry } from '@tightloop/core';
import {
  createDataSource,
  TypeOrmCheckpointStore,
  TypeOrmRunRegistry,
} from '@tightloop/persistence';
import type { RunCheckpointStore } from '@tightloop/runner';
import type { RunRegistryConfig } from './run-controller.config';

/** An open registry, the checkpoints of its runs, and how to let go of both. */
export interface OpenedRunRegistry {
  registry: RunRegistry;
  checkpoints: RunCheckpointStore;
  close(): Promise<void>;
}

/** Opens the registry; called again after a failure, so each call starts from nothing. */
export type RunRegistryOpener = () => Promise<OpenedRunRegistry>;

/**
 * The TypeORM run registry and the runs' checkpoints in this service's own schema, on
 * Postgres or on the embedded PGlite. createDataSource runs the pending migrations (under
 * an advisory lock, never `synchronize`) before it returns, so an opened registry is a
 * migrated one.
 */
export async function openRunRegistry(config: RunRegistryConfig): Promise<OpenedRunRegistry> {
  const tables = ['runs', 'checkpoints'] as const;
  const dataSource = await createDataSource(
    config.kind === 'postgres'
      ? { kind: 'postgres', url: config.url, schema: config.schema, tables }
      : { kind: 'pglite', dataDir: config.dataDir, schema: config.schema, tables },
  );
  return {
    registry: new TypeOrmRunRegistry(dataSource),
    checkpoints: new TypeOrmCheckpointStore(dataSource),
    close: () => dataSource.destroy(),
  };
}

/** Where the registry lives, for logs. Not the URL itself: it usually carries a password. */
export function describeRegistryLocation(config: RunRegistryConfig): string {
  return config.kind === 'postgres'
    ? `schema ${config.schema} on DATABASE_URL`
    : `schema ${config.schema} on an embedded PGlite in ${config.dataDir}`;
}
