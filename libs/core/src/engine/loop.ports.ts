import type { ExecutionUnit, Fill, MarketSnapshot } from '@tightloop/contracts';
import type { PositionState } from '../positions/position-state';

/** Sends a unit to the venues: simulated in a backtest, ccxt/ethers clients live. */
export interface VenueGateway {
  execute(unit: ExecutionUnit, state: PositionState, market: MarketSnapshot): Promise<Fill[]>;
}

/**
 * Positions after a unit executed: a backtest applies the fills' deltas, live refreshes
 * balances from the venues. Reconciliation compares this with the projection.
 */
export interface PositionSource {
  afterExecution(state: PositionState, fills: readonly Fill[]): Promise<PositionState>;
}

/** What the composition root decides about failures (fail fast in backtest). */
export interface LoopPolicy {
  failOnRejectedFill: boolean;
  failOnReconciliationMismatch: boolean;
  /** First loop must have capital and act (backtest quality gate). */
  enforceQualityGate: boolean;
}
