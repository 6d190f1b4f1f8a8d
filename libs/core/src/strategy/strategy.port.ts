import type {
  ExecutionUnit,
  Instruction,
  MarketNeed,
  MarketSnapshot,
  PositionKey,
  ShareClass,
  StrategyMode,
} from '@tightloop/contracts';
import type { CostModel } from '../execution/cost.model';
import type { Exposure } from '../exposure/exposure.monitor';
import type { PnlReport } from '../pnl/pnl.monitor';
import type { CapitalFlow } from '../positions/position.monitor';
import type { PositionState } from '../positions/position-state';
import type { RiskLimits, RiskReport } from '../risk/risk.monitor';

export interface StrategyContext {
  tsMs: number;
  tickIndex: number;
  state: PositionState;
  exposure: Exposure;
  risk: RiskReport;
  pnl: PnlReport;
  market: MarketSnapshot;
  costs: CostModel;
  /** Share-class amount requested for withdrawal and not yet paid out of the wallet. */
  pendingWithdrawalSc: number;
  /** Positions after `units` at quoted prices: lets a plan size later steps on earlier ones. */
  project(state: PositionState, units: readonly ExecutionUnit[]): PositionState;
  /** A new instruction with a deterministic id. */
  instruction(fields: Omit<Instruction, 'id'>): Instruction;
}

/**
 * A strategy mode: its capital, the positions it may hold, the market series it reads,
 * and each tick's decision. `decide` is pure: the same context gives the same plan.
 */
export interface Strategy {
  readonly mode: StrategyMode;
  readonly shareClass: ShareClass;
  readonly subscriptions: readonly PositionKey[];
  readonly marketNeeds: readonly MarketNeed[];
  readonly riskLimits: RiskLimits;
  initialCapital(): CapitalFlow;
  decide(ctx: StrategyContext): ExecutionUnit[];
}

export function single(instruction: Instruction): ExecutionUnit {
  return { kind: 'single', instruction };
}
