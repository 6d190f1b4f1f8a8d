import {
  readStageServiceConfig,
  startStageService,
  type StageHostOptions,
} from '@tightloop/stage-host';
import { openLedgerStore } from './execution-ledger.store';
import { executionConfigSchema } from './execution.config';
import { ExecutionModule } from './execution.module';

export const start = async (env: NodeJS.ProcessEnv = process.env, host: StageHostOptions = {}) => {
  const config = readStageServiceConfig(env, executionConfigSchema);
  // Backtest venues are simulated; live venue clients (ccxt, ethers) are not wired in yet.
  if (config.TIGHTLOOP_STARTUP_MODE === 'live') {
    throw new Error(
      'execution: live venues are not available yet; TIGHTLOOP_STARTUP_MODE must be backtest',
    );
  }
  const ledger = await openLedgerStore(config);
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
