import type { RunRegistry } from '@tightloop/core';
import { createDataSource, TypeOrmRunRegistry } from '@tightloop/persistence';
import type { RunRegistryConfig } from './run-controller.config';

/** An open registry and how to let go of it. */
export interface OpenedRunRegistry {
  registry: RunRegistry;
  close(): Promise<void>;
}

/** Opens the registry; called again after a failure, so each call starts from nothing. */
export type RunRegistryOpener = () => Promise<OpenedRunRegistry>;

/**
 * The TypeORM run registry in this service's own schema, on Postgres or on the embedded
 * PGlite. createDataSource runs the pending migrations (under an advisory lock, never
 * `synchronize`) before it returns, so an opened registry is a migrated one.
 */
export async function openRunRegistry(config: RunRegistryConfig): Promise<OpenedRunRegistry> {
  const dataSource = await createDataSource(
    config.kind === 'postgres'
      ? { kind: 'postgres', url: config.url, schema: config.schema, tables: ['runs'] }
      : { kind: 'pglite', dataDir: config.dataDir, schema: config.schema, tables: ['runs'] },
  );
  return { registry: new TypeOrmRunRegistry(dataSource), close: () => dataSource.destroy() };
}

/** Where the registry lives, for logs. Not the URL itself: it usually carries a password. */
export function describeRegistryLocation(config: RunRegistryConfig): string {
  return config.kind === 'postgres'
    ? `schema ${config.schema} on DATABASE_URL`
    : `schema ${config.schema} on an embedded PGlite in ${config.dataDir}`;
}
