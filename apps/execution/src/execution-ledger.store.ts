import type { Fill } from '@tightloop/contracts';
import type { CheckpointStore } from '@tightloop/core';
import {
  createDataSource,
  InMemoryCheckpointStore,
  TypeOrmCheckpointStore,
} from '@tightloop/persistence';

export interface LedgerStore {
  store: CheckpointStore<Fill[]>;
  close(): Promise<void>;
}

/** The ledger's table in the service's own schema, migrated; or memory without a database. */
export async function openLedgerStore(config: {
  DATABASE_URL?: string | undefined;
  DB_SCHEMA: string;
}): Promise<LedgerStore> {
  if (!config.DATABASE_URL) {
    return { store: new InMemoryCheckpointStore<Fill[]>(), close: async () => undefined };
  }
  const dataSource = await createDataSource({
    kind: 'postgres',
    url: config.DATABASE_URL,
    schema: config.DB_SCHEMA,
    tables: ['checkpoints'],
  });
  return {
    store: new TypeOrmCheckpointStore<Fill[]>(dataSource),
    close: async () => {
      await dataSource.destroy();
    },
  };
}
