import {
  positionKey,
  type ExecutionUnit,
  type MarketDataSource,
  type MarketSnapshot,
} from '@tightloop/contracts';
import type { CostModel } from '../execution/cost.model';
import type { ReconciliationTolerance } from '../execution/reconciliation';
import { initialPnlState, type PnlState } from '../pnl/pnl.monitor';
import type { LiquidationParams } from '../positions/liquidation';
import {
  amountOf,
  applyDeltas,
  emptyPositions,
  type PositionState,
} from '../positions/position-state';
import type { ScheduledFlow } from '../strategy/strategy.registry';
import type { Strategy } from '../strategy/strategy.port';
import { NOOP_LOOP_TRACER, type LoopTracer } from '../ports/loop-tracer.port';
import { QualityGateError } from './loop.errors';
import {
  InProcessStages,
  type LoopStages,
  type OpenedTick,
  type OpenTickRequest,
  type PnlRequest,
} from './loop-stages';
import type { LoopPolicy, PositionSource, VenueGateway } from './loop.ports';
import { riskEventMessage, type LoopRecorder } from './loop.records';
import { UnitExecutor, type ChainStep } from './unit.executor';

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
  /** Marks ticks, stages and units for tracing; nothing is traced unless given. */
  tracer?: LoopTracer;
  onProgress?: (ticksDone: number, ticksTotal: number) => void;
}

/**
 * The tight loop. Each tick, strictly in order: position (settle) -> exposure -> risk ->
 * pnl -> strategy -> execution; after every executed unit the chain runs again and the
 * result is reconciled against the projection before the next unit is sent. Time is the
 * only trigger; one tick at a time, never re-entered.
 *
 * Traced as: a tick; under it the stages in that order, the execution stage holding one
 * section per unit, and each executed unit its reconciliation pass (the chain again and
 * the reconciliation). The withdrawal paid after the units belongs to execution.
 */
export class TightLoop {
  private readonly stages: LoopStages;
  private readonly tracer: LoopTracer;
  private readonly units: UnitExecutor;

  constructor(private readonly deps: TightLoopDeps) {
    this.stages = deps.stages ?? new InProcessStages(deps.strategy, deps.costs);
    this.tracer = deps.tracer ?? NOOP_LOOP_TRACER;
    this.units = new UnitExecutor(deps, this.tracer, (state, market, pnl, inputs) =>
      this.chain(state, market, pnl, inputs),
    );
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
  ): Promise<ChainStep> {
    const { strategy } = this.deps;
    const { stages, tracer } = this;
    const shareClass = strategy.shareClass;
    const exposure = await tracer.stage('exposure', () =>
      stages.computeExposure({ state, market, shareClass }),
    );
    const risk = await tracer.stage('risk', () =>
      stages.assessRisk({ exposure, limits: strategy.riskLimits, market }),
    );
    const updated = await tracer.stage('pnl', () =>
      stages.updatePnl({ pnl, exposure, market, shareClass, ...pnlInputs }),
    );
    return { result: { state, exposure, risk, pnl: updated.report }, pnl: updated.pnl };
  }

  /**
   * position -> exposure -> risk -> pnl -> strategy for the tick. A transport that runs the
   * whole opening as one chain of its own (NATS: one-way publishes from stage to stage)
   * offers `openTick`; otherwise each stage is called in turn.
   */
  private async openTick(req: OpenTickRequest): Promise<OpenedTick> {
    if (this.stages.openTick) return this.stages.openTick(req);
    const { market } = req.refresh;
    const refreshed = await this.tracer.stage('position', () =>
      this.stages.refreshPositions(req.refresh),
    );
    const chained = await this.chain(refreshed.state, market, req.pnl, {
      moveFrom: req.moveFrom,
      capitalSc: refreshed.capitalSc,
      attribution: refreshed.attribution,
      fills: [],
    });
    const units = await this.tracer.stage('strategy', () =>
      this.stages.decide({
        tsMs: market.tsMs,
        tickIndex: req.tickIndex,
        ...chained.result,
        market,
        pendingWithdrawalSc: req.pendingWithdrawalSc,
      }),
    );
    return { refreshed, chained, units };
  }

  private tick(tickIndex: number, cp: LoopCheckpoint): Promise<LoopCheckpoint> {
    const market = this.deps.market.snapshot(tickIndex);
    return this.tracer.tick(tickIndex, market.tsMs, () => this.runTick(tickIndex, market, cp));
  }

  private async runTick(
    tickIndex: number,
    market: MarketSnapshot,
    cp: LoopCheckpoint,
  ): Promise<LoopCheckpoint> {
    const { strategy, recorder, policy } = this.deps;
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

    const { refreshed, chained, units } = await this.openTick({
      tickIndex,
      refresh: {
        state: cp.state,
        market,
        deposits,
        shareClass: sc,
        liquidation: this.liquidationParams(),
      },
      pnl: cp.pnl,
      moveFrom: cp.prevMarket ? { state: cp.state, market: cp.prevMarket } : null,
      limits: strategy.riskLimits,
      pendingWithdrawalSc,
    });
    for (const l of refreshed.liquidations) event(`LIQUIDATION.${l.venue.toUpperCase()}`, l.detail);
    for (const e of chained.result.risk.events) event(e.code, riskEventMessage(e));

    if (firstLoop && policy.enforceQualityGate && units.length === 0) {
      throw new QualityGateError(
        'BACKTEST.NO_FIRST_LOOP_ACTION',
        `strategy ${strategy.mode} took no transfer, trade or contract action on its first loop (${stamp})`,
      );
    }
    const executed = await this.tracer.stage('execution', () =>
      this.executeAll(tickIndex, market, units, chained, pendingWithdrawalSc, event),
    );

    recorder.onTick({
      tickIndex,
      tsMs,
      ...executed.chained.result,
      funding: refreshed.funding,
      rewards: refreshed.rewards,
      unitsPlanned: units.length,
      pendingWithdrawalSc: executed.pendingWithdrawalSc,
    });
    return {
      nextTickIndex: tickIndex + 1,
      state: executed.chained.result.state,
      pnl: executed.chained.pnl,
      prevMarket: market,
      capitalDeployed: true,
      flowsApplied,
      pendingWithdrawalSc: executed.pendingWithdrawalSc,
    };
  }

  /** The tick's units in order, then what the wallet now holds of a requested withdrawal. */
  private async executeAll(
    tickIndex: number,
    market: MarketSnapshot,
    units: readonly ExecutionUnit[],
    decided: ChainStep,
    pendingWithdrawalSc: number,
    event: (code: string, message: string) => void,
  ): Promise<{ chained: ChainStep; pendingWithdrawalSc: number }> {
    let chained = decided;
    for (const [unitIndex, unit] of units.entries()) {
      const before = chained;
      chained = await this.tracer.unit(unit, unitIndex, (note) =>
        this.units.execute(tickIndex, unitIndex, unit, before.result, market, before.pnl, note),
      );
    }

    let pending = pendingWithdrawalSc;
    if (pending > 0) {
      const sc = this.deps.strategy.shareClass;
      const walletKey = positionKey('wallet', 'BaseToken', sc);
      const paid = Math.min(pending, amountOf(chained.result.state, walletKey));
      if (paid > 0) {
        pending -= paid;
        chained = await this.chain(
          applyDeltas(chained.result.state, [{ key: walletKey, amount: -paid }]),
          market,
          chained.pnl,
          { moveFrom: null, capitalSc: -paid, attribution: {}, fills: [] },
        );
        event('CAPITAL.WITHDRAWAL_PAID', `${paid} ${sc}; ${pending} still pending`);
      }
    }
    return { chained, pendingWithdrawalSc: pending };
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
}
