import {
  readStageServiceConfig,
  startStageService,
  type StageHostOptions,
} from '@tightloop/stage-host';
import { StrategyModule } from './strategy.module';

export const start = (env: NodeJS.ProcessEnv = process.env, host: StageHostOptions = {}) =>
  startStageService('strategy', StrategyModule, readStageServiceConfig(env), host);
