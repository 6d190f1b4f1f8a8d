import type { ExecutionUnit, MarketSnapshot } from '@tightloop/contracts';
import { ExecutionModel } from '../execution/execution.model';
import { reconcile } from '../execution/reconciliation';
import { computeExposure } from '../exposure/exposure.monitor';
import type { PnlState } from '../pnl/pnl.monitor';
import type { LoopTracer, UnitTraceNote } from '../ports/loop-tracer.port';
import { applyDeltas, type PositionState } from '../positions/position-state';
import { assessRisk, worsenedHardBreaches } from '../risk/risk.monitor';
import { isLst, lstRate, priceUsd, valueParts } from '../valuation/valuation';
import type { PnlRequest } from './loop-stages';
import { ExecutionFailedError } from './loop.errors';
import { riskEventMessage, unitInstructions, type ChainResult } from './loop.records';
import type { TightLoopDeps } from './tight-loop.engine';

/** The chain's result and the pnl state it leaves, carried from one unit to the next. */
export interface ChainStep {
  result: ChainResult;
  pnl: PnlState;
}

/** The loop's position -> exposure -> risk -> pnl chain, as the loop runs it. */
export type RunChain = (
  state: PositionState,
  market: MarketSnapshot,
  pnl: PnlState,
  pnlInputs: Pick<PnlRequest, 'moveFrom' | 'capitalSc' | 'attribution' | 'fills'>,
) => Promise<ChainStep>;

export type UnitExecutionDeps = Pick<
  TightLoopDeps,
  'strategy' | 'venues' | 'positions' | 'recorder' | 'costs' | 'tolerance' | 'policy'
>;

/**
 * One execution unit, as the loop sends it: its risk impact on the projected positions
 * first (a unit that would worsen a hard breach is refused, never sent), then the venues,
 * then the reconciliation pass: the positions after the fills, the chain again, and the
 * reconciliation of those positions against the projection. Called by the loop once per
 * unit, in order, one at a time.
 */
export class UnitExecutor {
  private readonly projection: ExecutionModel;

  constructor(
    private readonly deps: UnitExecutionDeps,
    private readonly tracer: LoopTracer,
    private readonly runChain: RunChain,
  ) {
    this.projection = new ExecutionModel(deps.costs, false);
  }

  async execute(
    tickIndex: number,
    unitIndex: number,
    unit: ExecutionUnit,
    current: ChainResult,
    market: MarketSnapshot,
    pnlIn: PnlState,
    note: UnitTraceNote,
  ): Promise<ChainStep> {
    const { recorder, policy, strategy } = this.deps;
    const tsMs = market.tsMs;
    const instructions = unitInstructions(unit);
    const groupId = unit.kind === 'atomic' ? unit.groupId : null;
    const base = { tickIndex, tsMs, unitIndex, atomicGroupId: groupId };

    // Risk impact first: the same exposure and risk functions on the projected positions.
    const projected = this.project(unit, current.state, market);
    const projectedRisk = assessRisk(
      computeExposure(projected.state, market, strategy.shareClass),
      strategy.riskLimits,
      market,
    );
    const worse = projected.rejected ? [] : worsenedHardBreaches(current.risk, projectedRisk);
    if (projected.rejected || worse.length > 0) {
      const code = projected.rejected
        ? (projected.rejected.errorCode ?? 'EXEC.REJECTED')
        : worse[0]!.code;
      const message = projected.rejected
        ? `projection rejected ${projected.rejected.instructionId}: ${projected.rejected.errorMessage}`
        : `refused ${instructions.map((i) => i.id).join(', ')}: would worsen ${worse.map(riskEventMessage).join('; ')}`;
      note.outcome('refused');
      recorder.onEvent({ tickIndex, tsMs, code, message });
      for (const instruction of instructions) {
        recorder.onExecution({
          ...base,
          instruction,
          fill: null,
          outcome: 'refused',
          projectedRisk,
          reconciliation: null,
          after: null,
        });
      }
      if (projected.rejected && policy.failOnRejectedFill)
        throw new ExecutionFailedError(code, message);
      return { result: current, pnl: pnlIn };
    }

    const fills = await this.deps.venues.execute(unit, current.state, market);
    const rejected = fills.find((f) => f.status === 'rejected');
    if (rejected) {
      const code = rejected.errorCode ?? 'EXEC.REJECTED';
      const message = `venue rejected ${rejected.instructionId}: ${rejected.errorMessage ?? 'no reason given'}`;
      note.outcome('rejected');
      recorder.onEvent({ tickIndex, tsMs, code, message });
      instructions.forEach((instruction, k) =>
        recorder.onExecution({
          ...base,
          instruction,
          fill: fills[k] ?? null,
          outcome: 'rejected',
          projectedRisk,
          reconciliation: null,
          after: null,
        }),
      );
      if (policy.failOnRejectedFill) throw new ExecutionFailedError(code, message);
      return { result: current, pnl: pnlIn };
    }

    note.outcome('executed');
    return this.tracer.reconciliation(async () => {
      const actual = await this.tracer.stage('position', () =>
        this.deps.positions.afterExecution(current.state, fills),
      );
      const chained = await this.runChain(actual, market, pnlIn, {
        moveFrom: null,
        capitalSc: 0,
        attribution: {},
        fills,
      });
      const notionalUsd = instructions.reduce(
        (sum, i) => sum + i.amount * unitPriceUsd(i.asset, market),
        0,
      );
      const reconciliation = reconcile(
        current.state,
        projected.state,
        actual,
        this.deps.tolerance,
        (key) => {
          const parts = valueParts(key, 1, current.state.perps[key], market, 'USDT');
          const perUnit = parts.kind === 'perp' ? parts.notional : Math.abs(parts.value);
          return perUnit > 0 ? notionalUsd / perUnit : 0;
        },
      );
      instructions.forEach((instruction, k) =>
        recorder.onExecution({
          ...base,
          instruction,
          fill: fills[k] ?? null,
          outcome: 'executed',
          projectedRisk,
          reconciliation: k === instructions.length - 1 ? reconciliation : null,
          after: chained.result,
        }),
      );
      if (!reconciliation.ok) {
        const detail = reconciliation.mismatches
          .map((m) => `${m.key} expected ${m.expected} actual ${m.actual}`)
          .join('; ');
        recorder.onEvent({
          tickIndex,
          tsMs,
          code: 'EXEC.RECONCILIATION_MISMATCH',
          message: detail,
        });
        if (policy.failOnReconciliationMismatch) {
          throw new ExecutionFailedError(
            'EXEC.RECONCILIATION_MISMATCH',
            `after ${instructions[0]!.id}: ${detail}`,
          );
        }
      }
      return chained;
    });
  }

  private project(unit: ExecutionUnit, state: PositionState, market: MarketSnapshot) {
    const fills = this.projection.fillUnit(unit, state, market);
    const rejected = fills.find((f) => f.status === 'rejected');
    return {
      fills,
      rejected,
      state: rejected
        ? state
        : applyDeltas(
            state,
            fills.flatMap((f) => f.deltas),
          ),
    };
  }
}

/** USD price of one unit of an instruction's asset (LSTs at their ETH rate). */
function unitPriceUsd(asset: string, market: MarketSnapshot): number {
  return isLst(asset) ? lstRate(market, asset) * priceUsd(market, 'ETH') : priceUsd(market, asset);
}
