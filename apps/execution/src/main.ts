import {
  readStageServiceConfig,
  startStageService,
  type StageHostOptions,
} from '@tightloop/stage-host';
import { ExecutionModule } from './execution.module';

export const start = (env: NodeJS.ProcessEnv = process.env, host: StageHostOptions = {}) => {
  const config = readStageServiceConfig(env);
  // Backtest venues are simulated; live venue clients (ccxt, ethers) are not wired in yet.
  if (config.TIGHTLOOP_STARTUP_MODE === 'live') {
    return Promise.reject(
      new Error(
        'execution: live venues are not available yet; TIGHTLOOP_STARTUP_MODE must be backtest',
      ),
    );
  }
  return startStageService('execution', ExecutionModule, config, host);
};
