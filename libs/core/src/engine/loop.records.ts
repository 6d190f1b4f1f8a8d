import type { ExecutionUnit, Fill, Instruction } from '@tightloop/contracts';
import type { Reconciliation } from '../execution/reconciliation';
import type { Exposure } from '../exposure/exposure.monitor';
import type { PnlReport } from '../pnl/pnl.monitor';
import type { FundingPayment, RewardCredit } from '../positions/position.monitor';
import type { PositionState } from '../positions/position-state';
import type { RiskEvent, RiskReport } from '../risk/risk.monitor';

/** The chain's outputs for one state: position -> exposure -> risk -> pnl. */
export interface ChainResult {
  state: PositionState;
  exposure: Exposure;
  risk: RiskReport;
  pnl: PnlReport;
}

export interface TickRecord extends ChainResult {
  tickIndex: number;
  tsMs: number;
  funding: FundingPayment[];
  rewards: RewardCredit[];
  unitsPlanned: number;
  pendingWithdrawalSc: number;
}

export type UnitOutcome = 'executed' | 'refused' | 'rejected';

/** One executed (or refused) instruction, with its reconciliation pass. */
export interface ExecutionRecord {
  tickIndex: number;
  tsMs: number;
  unitIndex: number;
  atomicGroupId: string | null;
  instruction: Instruction;
  fill: Fill | null;
  outcome: UnitOutcome;
  /** Risk of the projected positions, computed before the instruction was sent. */
  projectedRisk: RiskReport;
  /** Filled once per unit: an atomic group is reconciled as a whole. */
  reconciliation: Reconciliation | null;
  after: ChainResult | null;
}

export interface LoopEvent {
  tickIndex: number;
  tsMs: number;
  code: string;
  message: string;
}

/** Where the loop reports; the composition root decides what to keep and where. */
export interface LoopRecorder {
  onTick(record: TickRecord): void;
  onExecution(record: ExecutionRecord): void;
  onEvent(event: LoopEvent): void;
}

export function unitInstructions(unit: ExecutionUnit): Instruction[] {
  return unit.kind === 'single' ? [unit.instruction] : unit.instructions;
}

export function riskEventMessage(event: RiskEvent): string {
  return `${event.subject} ${event.value.toFixed(4)} vs limit ${event.limit}`;
}
