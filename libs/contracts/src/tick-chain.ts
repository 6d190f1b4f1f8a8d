import { z } from 'zod';
import {
  STAGE_OPERATIONS,
  type StageOperation,
  type StageRequest,
  type StageResponse,
} from './stage-requests';
import { runIdSchema } from './subjects';

/**
 * A tick's chain as one-way messages: position -> exposure -> risk -> pnl -> strategy, each
 * service publishing straight to the next and the strategy to the run's reply subject. One
 * message travels the whole chain, carrying the tick's inputs and each stage's output; every
 * stage builds its ordinary request from it (below) and validates that request with the
 * operation's schema, so a chained stage checks exactly what a requested one does.
 */
export const TICK_CHAIN = [
  'positions.refresh',
  'exposure.compute',
  'risk.assess',
  'pnl.update',
  'strategy.decide',
] as const satisfies readonly StageOperation[];
export type TickChainOperation = (typeof TICK_CHAIN)[number];

const refresh = STAGE_OPERATIONS['positions.refresh'].request.shape;
const pnlUpdate = STAGE_OPERATIONS['pnl.update'].request.shape;
const decideShape = STAGE_OPERATIONS['strategy.decide'].request.shape;
const riskShape = STAGE_OPERATIONS['risk.assess'].request.shape;

/** What the loop knows when a tick opens; the chain derives everything else. */
export const tickChainInputSchema = z.object({
  state: refresh.state,
  market: refresh.market,
  deposits: refresh.deposits,
  shareClass: refresh.shareClass,
  liquidation: refresh.liquidation,
  limits: riskShape.limits,
  pnl: pnlUpdate.pnl,
  moveFrom: pnlUpdate.moveFrom,
  config: decideShape.config,
  pendingWithdrawalSc: decideShape.pendingWithdrawalSc,
});
export type TickChainInput = z.infer<typeof tickChainInputSchema>;

/** Each stage's response for one tick, filled in as the message travels. */
export type TickChainOutputs = { [O in TickChainOperation]?: StageResponse<O> };

/**
 * One chained message opens a run of consecutive ticks: the first from `input`, and one
 * more for each market in `ahead`, opened speculatively as if nothing were executed and no
 * capital moved in between (each starts from the previous one's positions and pnl). The
 * strategy stops the run at the first tick that has units to execute; a speculative tick
 * a stage cannot open ends the run there. The loop uses a speculative tick only if the
 * tick it then opens has exactly these inputs; otherwise it opens that tick anew.
 */
export interface TickChainMessage {
  runId: string;
  tickIndex: number;
  /** Which sending of this tick it is: a reply to an earlier one is ignored. */
  attempt: number;
  replyTo: string;
  input: TickChainInput;
  /** Markets of the ticks after the first (tickIndex + 1, + 2, ...), in order. */
  ahead: TickChainInput['market'][];
  /**
   * A traced run's trace context (W3C traceparent) of each tick in `ahead`, in the same
   * order: each tick is a trace of its own, and the headers carry only the first tick's.
   */
  traces?: string[];
  /** out[k]: each stage's output for tick tickIndex + k. */
  out: TickChainOutputs[];
  /** Set by the stage that failed on the first tick; the message then goes to `replyTo`. */
  error?: { operation: TickChainOperation; code: string; message: string };
}

/** How many ticks `op` opens: all of them for the first stage, else those still in the run. */
export function tickChainLength(op: TickChainOperation, msg: TickChainMessage): number {
  return op === TICK_CHAIN[0] ? 1 + msg.ahead.length : msg.out.length;
}

function need<O extends TickChainOperation>(
  msg: TickChainMessage,
  k: number,
  op: O,
): StageResponse<O> {
  const value = msg.out[k]?.[op];
  if (value === undefined) throw new Error(`tick chain: ${op} has not run yet`);
  return value as StageResponse<O>;
}

/**
 * The request a stage would have been sent for tick `tickIndex + k`, built from the
 * message. Seq is the chain position.
 */
export function tickChainRequest<O extends TickChainOperation>(
  op: O,
  msg: TickChainMessage,
  k = 0,
): StageRequest<O> {
  const { input } = msg;
  const at = { runId: msg.runId, tickIndex: msg.tickIndex + k, seq: TICK_CHAIN.indexOf(op) };
  const marketAt = (j: number) => (j === 0 ? input.market : msg.ahead[j - 1]!);
  const market = marketAt(k);
  // A switch, not a table of builders: this runs for every tick of every stage.
  let request: StageRequest<TickChainOperation>;
  switch (op as TickChainOperation) {
    case 'positions.refresh':
      request = {
        ...at,
        state: k === 0 ? input.state : need(msg, k - 1, 'positions.refresh').state,
        market,
        deposits: k === 0 ? input.deposits : [],
        shareClass: input.shareClass,
        liquidation: input.liquidation,
      };
      break;
    case 'exposure.compute':
      request = {
        ...at,
        state: need(msg, k, 'positions.refresh').state,
        market,
        shareClass: input.shareClass,
      };
      break;
    case 'risk.assess':
      request = { ...at, exposure: need(msg, k, 'exposure.compute'), limits: input.limits, market };
      break;
    case 'pnl.update': {
      const refreshed = need(msg, k, 'positions.refresh');
      request = {
        ...at,
        pnl: k === 0 ? input.pnl : need(msg, k - 1, 'pnl.update').pnl,
        exposure: need(msg, k, 'exposure.compute'),
        market,
        shareClass: input.shareClass,
        moveFrom:
          k === 0
            ? input.moveFrom
            : { state: need(msg, k - 1, 'positions.refresh').state, market: marketAt(k - 1) },
        capitalSc: refreshed.capitalSc,
        attribution: refreshed.attribution,
        fills: [],
      };
      break;
    }
    case 'strategy.decide':
      request = {
        ...at,
        config: input.config,
        tsMs: market.tsMs,
        state: need(msg, k, 'positions.refresh').state,
        exposure: need(msg, k, 'exposure.compute'),
        risk: need(msg, k, 'risk.assess'),
        pnl: need(msg, k, 'pnl.update').report,
        market,
        pendingWithdrawalSc: input.pendingWithdrawalSc,
      };
      break;
  }
  return request as StageRequest<O>;
}

/** The operation after `op` in the chain, or null when the reply is next. */
export function nextInTickChain(op: TickChainOperation): TickChainOperation | null {
  return TICK_CHAIN[TICK_CHAIN.indexOf(op) + 1] ?? null;
}

/**
 * `tightloop-chain.<runId>.<operation>`: one subject per stage of a run's chain, outside
 * `tightloop.>` (the JetStream stream) and `tightloop-rpc.>` (request/reply).
 */
export function tickChainSubject(runId: string, op: TickChainOperation): string {
  return `tightloop-chain.${runIdSchema.parse(runId)}.${op}`;
}

/** What the service of `op` subscribes to, for every run. */
export function tickChainPattern(op: TickChainOperation): string {
  return `tightloop-chain.*.${op}`;
}

/** The operation a chain subject names (see `tickChainSubject`); undefined for any other. */
export function tickChainOperationOf(subject: string): TickChainOperation | undefined {
  const prefix = 'tightloop-chain.';
  if (!subject.startsWith(prefix)) return undefined;
  const op = subject.slice(subject.indexOf('.', prefix.length) + 1);
  return (TICK_CHAIN as readonly string[]).includes(op) ? (op as TickChainOperation) : undefined;
}

/** Where a run's chained ticks come back to the loop. */
export function tickChainReplySubject(runId: string): string {
  return `tightloop-chain-reply.${runIdSchema.parse(runId)}`;
}
