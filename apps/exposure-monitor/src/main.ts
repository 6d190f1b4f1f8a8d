import { readStageServiceConfig, startStageService } from '@tightloop/stage-host';
import { ExposureMonitorModule } from './exposure-monitor.module';

export const start = (env: NodeJS.ProcessEnv = process.env) =>
  startStageService('exposure-monitor', ExposureMonitorModule, readStageServiceConfig(env));
