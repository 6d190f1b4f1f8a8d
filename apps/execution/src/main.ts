import { readStageServiceConfig, startStageService } from '@tightloop/stage-host';
import { ExecutionModule } from './execution.module';

export const start = (env: NodeJS.ProcessEnv = process.env) =>
  startStageService('execution', ExecutionModule, readStageServiceConfig(env));
