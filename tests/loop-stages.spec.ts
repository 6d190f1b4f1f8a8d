import { LOOP_STAGES, stageSubject } from '@tightloop/contracts';
import { executionStage } from '../apps/execution/src/execution.stage';
import { exposureMonitorStage } from '../apps/exposure-monitor/src/exposure-monitor.stage';
import { pnlMonitorStage } from '../apps/pnl-monitor/src/pnl-monitor.stage';
import { positionMonitorStage } from '../apps/position-monitor/src/position-monitor.stage';
import { riskMonitorStage } from '../apps/risk-monitor/src/risk-monitor.stage';
import { strategyStage } from '../apps/strategy/src/strategy.stage';

describe('the six stage apps', () => {
  it('chain in the mandated order, each consuming what the previous produced', () => {
    const apps = [
      positionMonitorStage,
      exposureMonitorStage,
      riskMonitorStage,
      pnlMonitorStage,
      strategyStage,
      executionStage,
    ];
    expect(apps.map((a) => a.service)).toEqual([
      'position-monitor',
      'exposure-monitor',
      'risk-monitor',
      'pnl-monitor',
      'strategy',
      'execution',
    ]);
    expect(apps).toEqual(LOOP_STAGES);
    for (let i = 1; i < apps.length; i++) expect(apps[i]!.consumes).toBe(apps[i - 1]!.produces);
    expect(new Set(apps.map((a) => stageSubject(a.produces, 'run1'))).size).toBe(6);
  });
});
