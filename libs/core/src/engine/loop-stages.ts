import type {
  Attribution,
  ExecutionUnit,
  Exposure,
  Fill,
  Instruction,
  MarketSnapshot,
  PnlReport,
  RiskReport,
  ShareClass,
} from '@tightloop/contracts';
import type { CostModel } from '../execution/cost.model';
import { ExecutionModel } from '../execution/execution.model';
import { computeExposure } from '../exposure/exposure.monitor';
import {
  addAttribution,
  addCapital,
  fillCostAttribution,
  marketMoveAttribution,
  pnlReport,
  type PnlState,
} from '../pnl/pnl.monitor';
import { liquidations, type Liquidation, type LiquidationParams } from '../positions/liquidation';
import {
  settleTick,
  type CapitalFlow,
  type FundingPayment,
  type RewardCredit,
} from '../positions/position.monitor';
import { applyDeltas, type PositionState } from '../positions/position-state';
import type { ChainResult } from './loop.records';
import { assessRisk, type RiskLimits } from '../risk/risk.monitor';
import type { Strategy, StrategyContext } from '../strategy/strategy.port';
import { priceSc } from '../valuation/valuation';

export interface RefreshRequest {
  state: PositionState;
  market: MarketSnapshot;
  deposits: CapitalFlow[];
  shareClass: ShareClass;
  liquidation: LiquidationParams;
}

/** The position monitor's refresh, and what it means for pnl (attributed by the pnl stage). */
export interface RefreshResult {
  state: PositionState;
  funding: FundingPayment[];
  rewards: RewardCredit[];
  liquidations: Liquidation[];
  capitalSc: number;
  attribution: Partial<Attribution>;
}

export interface PnlRequest {
  pnl: PnlState;
  exposure: Exposure;
  market: MarketSnapshot;
  shareClass: ShareClass;
  /** Positions held since the previous tick and its market: their value change is attributed. */
  moveFrom: { state: PositionState; market: MarketSnapshot } | null;
  capitalSc: number;
  attribution: Partial<Attribution>;
  fills: Fill[];
}

export interface DecideRequest {
  tsMs: number;
  tickIndex: number;
  state: PositionState;
  exposure: Exposure;
  risk: RiskReport;
  pnl: PnlReport;
  market: MarketSnapshot;
  pendingWithdrawalSc: number;
}

/** What the loop knows when a tick opens: enough for every stage up to the strategy. */
export interface OpenTickRequest {
  tickIndex: number;
  refresh: RefreshRequest;
  pnl: PnlState;
  moveFrom: PnlRequest['moveFrom'];
  limits: RiskLimits;
  pendingWithdrawalSc: number;
}

/** A tick opened: positions refreshed, the chain run on them, and the strategy's units. */
export interface OpenedTick {
  refreshed: RefreshResult;
  chained: { result: ChainResult; pnl: PnlState };
  units: ExecutionUnit[];
}

/**
 * The loop's stages as the loop calls them, in the mandated order. In process they are
 * direct calls into the pure functions below; distributed, each is a request to its
 * stage's service, which runs the same functions.
 */
export interface LoopStages {
  refreshPositions(req: RefreshRequest): Promise<RefreshResult>;
  computeExposure(req: {
    state: PositionState;
    market: MarketSnapshot;
    shareClass: ShareClass;
  }): Promise<Exposure>;
  assessRisk(req: {
    exposure: Exposure;
    limits: RiskLimits;
    market: MarketSnapshot;
  }): Promise<RiskReport>;
  updatePnl(req: PnlRequest): Promise<{ pnl: PnlState; report: PnlReport }>;
  decide(req: DecideRequest): Promise<ExecutionUnit[]>;
  /**
   * Optional: the tick's opening (position -> exposure -> risk -> pnl -> strategy) in one
   * go, for a transport where that is cheaper than five calls. Same results as the calls.
   */
  openTick?(req: OpenTickRequest): Promise<OpenedTick>;
}

/** Position monitor: capital in, funding, rewards, then what the venues liquidate. */
export function refreshPositions(req: RefreshRequest): RefreshResult {
  const { market, shareClass: sc } = req;
  const settled = settleTick(req.state, market, req.deposits);
  const liquidated = liquidations(settled.state, market, req.liquidation);
  const attribution: Partial<Attribution> = {
    funding: settled.funding.reduce((sum, f) => sum + f.amountUsd, 0) * priceSc(market, 'USDT', sc),
    rewards: settled.rewards.reduce((sum, r) => sum + r.amount * priceSc(market, r.token, sc), 0),
  };
  if (liquidated.liquidations.length > 0) {
    attribution.liquidation =
      computeExposure(liquidated.state, market, sc).equitySc -
      computeExposure(settled.state, market, sc).equitySc;
  }
  return {
    state: liquidated.state,
    funding: settled.funding,
    rewards: settled.rewards,
    liquidations: liquidated.liquidations,
    capitalSc: req.deposits.reduce((sum, d) => sum + d.amount * priceSc(market, d.asset, sc), 0),
    attribution,
  };
}

/** Pnl monitor: market move since the last tick, capital, settlements and fill costs, then the report. */
export function updatePnl(req: PnlRequest): { pnl: PnlState; report: PnlReport } {
  let pnl = req.pnl;
  if (req.moveFrom)
    pnl = addAttribution(
      pnl,
      marketMoveAttribution(req.moveFrom.state, req.moveFrom.market, req.market, req.shareClass),
    );
  if (req.capitalSc !== 0) pnl = addCapital(pnl, req.capitalSc);
  pnl = addAttribution(pnl, req.attribution);
  for (const fill of req.fills)
    pnl = addAttribution(pnl, fillCostAttribution(fill, req.market, req.shareClass));
  const out = pnlReport(pnl, req.exposure);
  return { pnl: out.state, report: out.report };
}

/**
 * Strategy: its decision for this tick. The context's projection is the execution model at
 * quoted prices; instruction ids are `<tick instant>#<n>`, so they repeat exactly on replay.
 */
export function decide(strategy: Strategy, costs: CostModel, req: DecideRequest): ExecutionUnit[] {
  const model = new ExecutionModel(costs, false);
  const stamp = new Date(req.tsMs).toISOString();
  let seq = 0;
  const ctx: StrategyContext = {
    ...req,
    costs,
    project: (state, units) =>
      units.reduce((s, u) => {
        const fills = model.fillUnit(u, s, req.market);
        return fills.some((f) => f.status === 'rejected')
          ? s
          : applyDeltas(
              s,
              fills.flatMap((f) => f.deltas),
            );
      }, state),
    instruction: (fields): Instruction => ({ id: `${stamp}#${++seq}`, ...fields }),
  };
  return strategy.decide(ctx);
}

/** Every stage in this process: the embedded default. */
export class InProcessStages implements LoopStages {
  constructor(
    private readonly strategy: Strategy,
    private readonly costs: CostModel,
  ) {}

  async refreshPositions(req: RefreshRequest) {
    return refreshPositions(req);
  }

  async computeExposure(req: {
    state: PositionState;
    market: MarketSnapshot;
    shareClass: ShareClass;
  }) {
    return computeExposure(req.state, req.market, req.shareClass);
  }

  async assessRisk(req: { exposure: Exposure; limits: RiskLimits; market: MarketSnapshot }) {
    return assessRisk(req.exposure, req.limits, req.market);
  }

  async updatePnl(req: PnlRequest) {
    return updatePnl(req);
  }

  async decide(req: DecideRequest) {
    return decide(this.strategy, this.costs, req);
  }
}
