import type { MarketSnapshot } from '@tightloop/contracts';
import type { ExecutionRecord, LoopEvent, LoopRecorder, TickRecord } from '../engine/loop.records';
import { TightLoop } from '../engine/tight-loop.engine';
import type { CostModel } from '../execution/cost.model';
import { AppliedFillsPositionSource, SimulatedVenueGateway } from '../execution/simulated-venues';
import type { ScheduledFlow } from '../strategy/strategy.registry';
import type { Strategy } from '../strategy/strategy.port';
import { arraySource } from './market.fixture';

export class MemoryRecorder implements LoopRecorder {
  readonly ticks: TickRecord[] = [];
  readonly executions: ExecutionRecord[] = [];
  readonly events: LoopEvent[] = [];
  onTick(r: TickRecord) {
    this.ticks.push(r);
  }
  onExecution(r: ExecutionRecord) {
    this.executions.push(r);
  }
  onEvent(e: LoopEvent) {
    this.events.push(e);
  }
}

/** A backtest-configured loop over hand-made snapshots. */
export function backtestLoop(
  strategy: Strategy,
  snapshots: MarketSnapshot[],
  costs: CostModel,
  capitalFlows: readonly ScheduledFlow[] = [],
) {
  const recorder = new MemoryRecorder();
  const loop = new TightLoop({
    strategy,
    market: arraySource(snapshots),
    venues: new SimulatedVenueGateway(costs),
    positions: new AppliedFillsPositionSource(),
    recorder,
    costs,
    tolerance: { relativeTolerance: 0.01, absoluteTolerance: 1e-9 },
    policy: {
      failOnRejectedFill: true,
      failOnReconciliationMismatch: true,
      enforceQualityGate: true,
    },
    capitalFlows,
  });
  return { loop, recorder };
}
