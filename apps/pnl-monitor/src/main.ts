import {
  readStageServiceConfig,
  startStageService,
  type StageHostOptions,
} from '@tightloop/stage-host';
import { PnlMonitorModule } from './pnl-monitor.module';

export const start = (env: NodeJS.ProcessEnv = process.env, host: StageHostOptions = {}) =>
  startStageService('pnl-monitor', PnlMonitorModule, readStageServiceConfig(env), host);
