import type { ExecutionUnit, Fill, MarketSnapshot } from '@tightloop/contracts';
import type { PositionSource, VenueGateway } from '../engine/loop.ports';
import { applyDeltas, type PositionState } from '../positions/position-state';
import type { CostModel } from './cost.model';
import { ExecutionModel } from './execution.model';

/** Backtest venues: fills at the tick's prices with the configured slippage, no delay. */
export class SimulatedVenueGateway implements VenueGateway {
  private readonly model: ExecutionModel;

  constructor(costs: CostModel) {
    this.model = new ExecutionModel(costs, true);
  }

  execute(unit: ExecutionUnit, state: PositionState, market: MarketSnapshot): Promise<Fill[]> {
    return Promise.resolve(this.model.fillUnit(unit, state, market));
  }
}

/** Backtest positions: what the simulated fills say happened. */
export class AppliedFillsPositionSource implements PositionSource {
  afterExecution(state: PositionState, fills: readonly Fill[]): Promise<PositionState> {
    return Promise.resolve(
      applyDeltas(
        state,
        fills.flatMap((f) => f.deltas),
      ),
    );
  }
}
