import {
  readStageServiceConfig,
  startStageService,
  type StageHostOptions,
} from '@tightloop/stage-host';
import { RiskMonitorModule } from './risk-monitor.module';

export const start = (env: NodeJS.ProcessEnv = process.env, host: StageHostOptions = {}) =>
  startStageService('risk-monitor', RiskMonitorModule, readStageServiceConfig(env), host);
