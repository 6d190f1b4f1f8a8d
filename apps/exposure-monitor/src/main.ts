import {
  readStageServiceConfig,
  startStageService,
  type StageHostOptions,
} from '@tightloop/stage-host';
import { ExposureMonitorModule } from './exposure-monitor.module';

export const start = (env: NodeJS.ProcessEnv = process.env, host: StageHostOptions = {}) =>
  startStageService('exposure-monitor', ExposureMonitorModule, readStageServiceConfig(env), host);
