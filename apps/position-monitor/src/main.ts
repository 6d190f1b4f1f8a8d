import { readStageServiceConfig, startStageService } from '@tightloop/stage-host';
import { PositionMonitorModule } from './position-monitor.module';

export const start = (env: NodeJS.ProcessEnv = process.env) =>
  startStageService('position-monitor', PositionMonitorModule, readStageServiceConfig(env));
