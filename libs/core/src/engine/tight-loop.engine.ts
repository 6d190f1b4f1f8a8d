import {
  positionKey,
  type ExecutionUnit,
  type MarketDataSource,
  type MarketSnapshot,
} from '@tightloop/contracts';
import type { CostModel } from '../execution/cost.model';
import { ExecutionModel } from '../execution/execution.model';
import { reconcile, type ReconciliationTolerance } from '../execution/reconciliation';
import { computeExposure } from '../exposure/exposure.monitor';
import { initialPnlState, type PnlState } from '../pnl/pnl.monitor';
import type { LiquidationParams } from '../positions/liquidation';
import {
  amountOf,
  applyDeltas,
  emptyPositions,
  type PositionState,
} from '../positions/position-state';
import { assessRisk, worsenedHardBreaches } from '../risk/risk.monitor';
import type { ScheduledFlow } from '../strategy/strategy.registry';
import type { Strategy } from '../strategy/strategy.port';
import { isLst, lstRate, priceUsd, valueParts } from '../valuation/valuation';
import { ExecutionFailedError, QualityGateError } from './loop.errors';
import { InProcessStages, type LoopStages, type PnlRequest } from './loop-stages';
import type { LoopPolicy, PositionSource, VenueGateway } from './loop.ports';
import {
  riskEventMessage,
  unitInstructions,
  type ChainResult,
  type LoopRecorder,
} from './loop.records';

/** Everything the loop carries from one tick to the next; enough to resume a run. */
export interface LoopCheckpoint {
  nextTickIndex: number;
  state: PositionState;
  pnl: PnlState;
  prevMarket: MarketSnapshot | null;
  capitalDeployed: boolean;
  /** Scheduled capital flows already processed. */
  flowsApplied: number;
  /** Withdrawals requested and not yet paid out of the wallet, in the share class. */
  pendingWithdrawalSc: number;
}

export interface TightLoopDeps {
  strategy: Strategy;
  market: MarketDataSource;
  venues: VenueGateway;
  positions: PositionSource;
  recorder: LoopRecorder;
  costs: CostModel;
  tolerance: ReconciliationTolerance;
  policy: LoopPolicy;
  /** Deposits (+) and withdrawals (-) in the share class, in time order. */
  capitalFlows?: readonly ScheduledFlow[];
  /** Where the stages run; in this process unless given (e.g. services over NATS). */
  stages?: LoopStages;
  onProgress?: (ticksDone: number, ticksTotal: number) => void;
}

/**
 * The tight loop. Each tick, strictly in order: position (settle) -> exposure -> risk ->
 * pnl -> strategy -> execution; after every executed unit the chain runs again and the
 * result is reconciled against the projection before the next unit is sent. Time is the
 * only trigger; one tick at a time, never re-entered.
 */
export class TightLoop {
  private readonly projection: ExecutionModel;
  private readonly stages: LoopStages;

  constructor(private readonly deps: TightLoopDeps) {
    this.projection = new ExecutionModel(deps.costs, false);
    this.stages = deps.stages ?? new InProcessStages(deps.strategy, deps.costs);
  }

  initialCheckpoint(): LoopCheckpoint {
    return {
      nextTickIndex: 0,
      state: emptyPositions(this.deps.strategy.subscriptions),
      pnl: initialPnlState(),
      prevMarket: null,
      capitalDeployed: false,
      flowsApplied: 0,
      pendingWithdrawalSc: 0,
    };
  }

  async run(
    from: LoopCheckpoint = this.initialCheckpoint(),
    untilTick?: number,
  ): Promise<LoopCheckpoint> {
    const total = this.deps.market.timestampsMs.length;
    const end = Math.min(untilTick ?? total, total);
    let checkpoint = from;
    for (let i = from.nextTickIndex; i < end; i++) {
      checkpoint = await this.tick(i, checkpoint);
      this.deps.onProgress?.(i + 1, total);
    }
    return checkpoint;
  }

  /** position -> exposure -> risk -> pnl, always in this order. */
  private async chain(
    state: PositionState,
    market: MarketSnapshot,
    pnl: PnlState,
    pnlInputs: Pick<PnlRequest, 'moveFrom' | 'capitalSc' | 'attribution' | 'fills'>,
  ): Promise<{ result: ChainResult; pnl: PnlState }> {
    const { strategy } = this.deps;
    const shareClass = strategy.shareClass;
    const exposure = await this.stages.computeExposure({ state, market, shareClass });
    const risk = await this.stages.assessRisk({ exposure, limits: strategy.riskLimits, market });
    const updated = await this.stages.updatePnl({
      pnl,
      exposure,
      market,
      shareClass,
      ...pnlInputs,
    });
    return { result: { state, exposure, risk, pnl: updated.report }, pnl: updated.pnl };
  }

  private async tick(tickIndex: number, cp: LoopCheckpoint): Promise<LoopCheckpoint> {
    const { strategy, recorder, policy } = this.deps;
    const market = this.deps.market.snapshot(tickIndex);
    const tsMs = market.tsMs;
    const sc = strategy.shareClass;
    const stamp = new Date(tsMs).toISOString();
    const event = (code: string, message: string) =>
      recorder.onEvent({ tickIndex, tsMs, code, message });

    // The first loop of a run is the tick on which its capital arrives.
    const firstLoop = !cp.capitalDeployed;
    const initial = firstLoop ? strategy.initialCapital() : null;
    if (initial && policy.enforceQualityGate && !(initial.amount > 0)) {
      throw new QualityGateError(
        'BACKTEST.NO_INITIAL_CAPITAL',
        `strategy ${strategy.mode} starts with no capital in any token (initial capital ${initial.amount} ${initial.asset})`,
      );
    }
    const flows = this.deps.capitalFlows ?? [];
    let flowsApplied = cp.flowsApplied;
    let pendingWithdrawalSc = cp.pendingWithdrawalSc;
    const deposits = initial ? [initial] : [];
    while (flowsApplied < flows.length && flows[flowsApplied]!.atMs <= tsMs) {
      const flow = flows[flowsApplied++]!;
      if (flow.amount > 0) deposits.push({ asset: sc, amount: flow.amount });
      else pendingWithdrawalSc += -flow.amount;
      event(
        flow.amount > 0 ? 'CAPITAL.DEPOSIT' : 'CAPITAL.WITHDRAWAL_REQUESTED',
        `${Math.abs(flow.amount)} ${sc}`,
      );
    }

    const refreshed = await this.stages.refreshPositions({
      state: cp.state,
      market,
      deposits,
      shareClass: sc,
      liquidation: this.liquidationParams(),
    });
    for (const l of refreshed.liquidations) event(`LIQUIDATION.${l.venue.toUpperCase()}`, l.detail);
    let chained = await this.chain(refreshed.state, market, cp.pnl, {
      moveFrom: cp.prevMarket ? { state: cp.state, market: cp.prevMarket } : null,
      capitalSc: refreshed.capitalSc,
      attribution: refreshed.attribution,
      fills: [],
    });
    let pnl = chained.pnl;
    for (const e of chained.result.risk.events) event(e.code, riskEventMessage(e));

    const units = await this.stages.decide({
      tsMs,
      tickIndex,
      ...chained.result,
      market,
      pendingWithdrawalSc,
    });
    if (firstLoop && policy.enforceQualityGate && units.length === 0) {
      throw new QualityGateError(
        'BACKTEST.NO_FIRST_LOOP_ACTION',
        `strategy ${strategy.mode} took no transfer, trade or contract action on its first loop (${stamp})`,
      );
    }
    for (const [unitIndex, unit] of units.entries()) {
      const step = await this.executeUnit(
        tickIndex,
        tsMs,
        unitIndex,
        unit,
        chained.result,
        market,
        pnl,
      );
      chained = { result: step.result, pnl: step.pnl };
      pnl = step.pnl;
    }

    // Pay out what the wallet now holds of any requested withdrawal.
    if (pendingWithdrawalSc > 0) {
      const walletKey = positionKey('wallet', 'BaseToken', sc);
      const paid = Math.min(pendingWithdrawalSc, amountOf(chained.result.state, walletKey));
      if (paid > 0) {
        pendingWithdrawalSc -= paid;
        chained = await this.chain(
          applyDeltas(chained.result.state, [{ key: walletKey, amount: -paid }]),
          market,
          pnl,
          { moveFrom: null, capitalSc: -paid, attribution: {}, fills: [] },
        );
        pnl = chained.pnl;
        event('CAPITAL.WITHDRAWAL_PAID', `${paid} ${sc}; ${pendingWithdrawalSc} still pending`);
      }
    }

    recorder.onTick({
      tickIndex,
      tsMs,
      ...chained.result,
      funding: refreshed.funding,
      rewards: refreshed.rewards,
      unitsPlanned: units.length,
      pendingWithdrawalSc,
    });
    return {
      nextTickIndex: tickIndex + 1,
      state: chained.result.state,
      pnl,
      prevMarket: market,
      capitalDeployed: true,
      flowsApplied,
      pendingWithdrawalSc,
    };
  }

  private liquidationParams(): LiquidationParams {
    const limits = this.deps.strategy.riskLimits;
    const lt = limits.aaveLiquidationThreshold ?? 0.95;
    return {
      maintenanceMarginRatio: limits.maintenanceMarginRatio,
      liquidationFeeRate: limits.liquidationFeeRate ?? 0.005,
      aaveLiquidationThreshold: lt,
      aaveLiquidationBonus: lt >= 0.95 ? 0.01 : 0.05,
    };
  }

  private projectUnit(unit: ExecutionUnit, state: PositionState, market: MarketSnapshot) {
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

  private async executeUnit(
    tickIndex: number,
    tsMs: number,
    unitIndex: number,
    unit: ExecutionUnit,
    current: ChainResult,
    market: MarketSnapshot,
    pnlIn: PnlState,
  ): Promise<{ result: ChainResult; pnl: PnlState }> {
    const { recorder, policy, strategy } = this.deps;
    const instructions = unitInstructions(unit);
    const groupId = unit.kind === 'atomic' ? unit.groupId : null;
    const base = { tickIndex, tsMs, unitIndex, atomicGroupId: groupId };

    // Risk impact first: the same exposure and risk functions on the projected positions.
    const projected = this.projectUnit(unit, current.state, market);
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

    const actual = await this.deps.positions.afterExecution(current.state, fills);
    const chained = await this.chain(actual, market, pnlIn, {
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
      recorder.onEvent({ tickIndex, tsMs, code: 'EXEC.RECONCILIATION_MISMATCH', message: detail });
      if (policy.failOnReconciliationMismatch) {
        throw new ExecutionFailedError(
          'EXEC.RECONCILIATION_MISMATCH',
          `after ${instructions[0]!.id}: ${detail}`,
        );
      }
    }
    return chained;
  }
}

/** USD price of one unit of an instruction's asset (LSTs at their ETH rate). */
function unitPriceUsd(asset: string, market: MarketSnapshot): number {
  return isLst(asset) ? lstRate(market, asset) * priceUsd(market, 'ETH') : priceUsd(market, asset);
}
