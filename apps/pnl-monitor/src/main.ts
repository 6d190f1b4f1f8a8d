import { readStageServiceConfig, startStageService } from '@tightloop/stage-host';
import { PnlMonitorModule } from './pnl-monitor.module';

export const start = (env: NodeJS.ProcessEnv = process.env) =>
  startStageService('pnl-monitor', PnlMonitorModule, readStageServiceConfig(env));
