import { readStageServiceConfig, startStageService } from '@tightloop/stage-host';
import { StrategyModule } from './strategy.module';

export const start = (env: NodeJS.ProcessEnv = process.env) =>
  startStageService('strategy', StrategyModule, readStageServiceConfig(env));
