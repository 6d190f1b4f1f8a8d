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

/** Each stage's response, filled in as the message travels. */
export type TickChainOutputs = { [O in TickChainOperation]?: StageResponse<O> };

export interface TickChainMessage {
  runId: string;
  tickIndex: number;
  /** Which sending of this tick it is: a reply to an earlier one is ignored. */
  attempt: number;
  replyTo: string;
  input: TickChainInput;
  out: TickChainOutputs;
  /** Set by the stage that failed; the message then goes straight to `replyTo`. */
  error?: { operation: TickChainOperation; code: string; message: string };
}

function need<O extends TickChainOperation>(msg: TickChainMessage, op: O): StageResponse<O> {
  const value = msg.out[op];
  if (value === undefined) throw new Error(`tick chain: ${op} has not run yet`);
  return value as StageResponse<O>;
}

/** The request a stage would have been sent, built from the message. Seq is the chain position. */
export function tickChainRequest<O extends TickChainOperation>(
  op: O,
  msg: TickChainMessage,
): StageRequest<O> {
  const { input } = msg;
  const at = { runId: msg.runId, tickIndex: msg.tickIndex, seq: TICK_CHAIN.indexOf(op) };
  const requests: { [K in TickChainOperation]: () => StageRequest<K> } = {
    'positions.refresh': () => ({
      ...at,
      state: input.state,
      market: input.market,
      deposits: input.deposits,
      shareClass: input.shareClass,
      liquidation: input.liquidation,
    }),
    'exposure.compute': () => ({
      ...at,
      state: need(msg, 'positions.refresh').state,
      market: input.market,
      shareClass: input.shareClass,
    }),
    'risk.assess': () => ({
      ...at,
      exposure: need(msg, 'exposure.compute'),
      limits: input.limits,
      market: input.market,
    }),
    'pnl.update': () => {
      const refreshed = need(msg, 'positions.refresh');
      return {
        ...at,
        pnl: input.pnl,
        exposure: need(msg, 'exposure.compute'),
        market: input.market,
        shareClass: input.shareClass,
        moveFrom: input.moveFrom,
        capitalSc: refreshed.capitalSc,
        attribution: refreshed.attribution,
        fills: [],
      };
    },
    'strategy.decide': () => ({
      ...at,
      config: input.config,
      tsMs: input.market.tsMs,
      state: need(msg, 'positions.refresh').state,
      exposure: need(msg, 'exposure.compute'),
      risk: need(msg, 'risk.assess'),
      pnl: need(msg, 'pnl.update').report,
      market: input.market,
      pendingWithdrawalSc: input.pendingWithdrawalSc,
    }),
  };
  return requests[op]() as StageRequest<O>;
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
