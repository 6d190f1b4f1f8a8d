import type { Fill } from '@tightloop/contracts';
import type { CheckpointStore } from '@tightloop/core';
import {
  createDataSource,
  InMemoryCheckpointStore,
  TypeOrmCheckpointStore,
} from '@tightloop/persistence';
import {
  readStageServiceConfig,
  startStageService,
  type StageHostOptions,
} from '@tightloop/stage-host';
import { readExecutionConfig, type ExecutionConfig } from './execution.config';
import { ExecutionModule } from './execution.module';

export const start = async (env: NodeJS.ProcessEnv = process.env, host: StageHostOptions = {}) => {
  const config = readStageServiceConfig(env);
  // Backtest venues are simulated; live venue clients (ccxt, ethers) are not wired in yet.
  if (config.TIGHTLOOP_STARTUP_MODE === 'live') {
    throw new Error(
      'execution: live venues are not available yet; TIGHTLOOP_STARTUP_MODE must be backtest',
    );
  }
  const ledger = await openLedgerStore(readExecutionConfig(env));
  try {
    return await startStageService(
      'execution',
      {
        withTelemetry: (telemetry) =>
          ExecutionModule.forRoot({
            natsUrl: config.NATS_URL,
            queue: host.queue ?? 'execution',
            ledgerStore: ledger.store,
            closeLedgerStore: ledger.close,
            ...(telemetry && { tracer: telemetry.tracer }),
          }),
      },
      config,
      host,
    );
  } catch (error) {
    await ledger.close();
    throw error;
  }
};

/** The ledger's table in the service's own schema, migrated; or memory without a database. */
async function openLedgerStore(
  config: ExecutionConfig,
): Promise<{ store: CheckpointStore<Fill[]>; close: () => Promise<void> }> {
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
