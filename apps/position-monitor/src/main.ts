import {
  readStageServiceConfig,
  startStageService,
  type StageHostOptions,
} from '@tightloop/stage-host';
import { PositionMonitorModule } from './position-monitor.module';

export const start = (env: NodeJS.ProcessEnv = process.env, host: StageHostOptions = {}) =>
  startStageService('position-monitor', PositionMonitorModule, readStageServiceConfig(env), host);
