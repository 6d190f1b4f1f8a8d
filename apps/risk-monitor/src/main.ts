import { readStageServiceConfig, startStageService } from '@tightloop/stage-host';
import { RiskMonitorModule } from './risk-monitor.module';

export const start = (env: NodeJS.ProcessEnv = process.env) =>
  startStageService('risk-monitor', RiskMonitorModule, readStageServiceConfig(env));
