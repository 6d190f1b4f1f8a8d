import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import type { MsgHdrs } from '@nats-io/transport-node';
import {
  context as otelContext,
  createContextKey,
  ROOT_CONTEXT,
  trace,
  type Attributes,
  type Context,
  type Tracer,
} from '@opentelemetry/api';
import {
  stageOperationOf,
  tickChainOperationOf,
  type StageOperation,
  type TickChainMessage,
} from '@tightloop/contracts';
import {
  extractTraceContext,
  extractTraceContextRecord,
  LoopAttribute,
  LoopStage,
  withSpan,
} from '@tightloop/telemetry';
import { defer, lastValueFrom, type Observable } from 'rxjs';

/** The loop stage each operation serves: the span attribute a trace is searched by. */
const OPERATION_STAGE: Readonly<Record<StageOperation, LoopStage>> = {
  'positions.refresh': LoopStage.POSITION,
  'positions.apply': LoopStage.POSITION,
  'exposure.compute': LoopStage.EXPOSURE,
  'risk.assess': LoopStage.RISK,
  'pnl.update': LoopStage.PNL,
  'strategy.decide': LoopStage.STRATEGY,
  'execution.execute': LoopStage.EXECUTION,
};

/** A traced chained message's: the service's tracer, and its first tick's context. */
interface ChainTracing {
  readonly tracer: Tracer;
  readonly first: Context;
}

const CHAIN_TRACING = createContextKey('tightloop.chain-tracing');

/**
 * Continues the loop's trace in a stage service: a request whose NATS headers carry a
 * trace context is handled inside a span named after its operation, the child of the
 * loop's span that sent it, so the handler's log lines carry that trace too. A chained
 * message opens several ticks, each in a trace of its own, so it gets no span of its own:
 * its handler runs with the tracer in its context, and the relay runs each tick in a span
 * of that tick's trace (`inChainedTickSpan`). A message without a trace context (an untraced run)
 * is handled as it is, with no span: a root span per request would scatter one-span
 * traces through Jaeger and cost the untraced run.
 */
export class StageTracingInterceptor implements NestInterceptor {
  constructor(private readonly tracer: Tracer) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rpc = context.switchToRpc();
    const nats = rpc.getContext<NatsContext>();
    const subject = nats.getSubject();
    const operation = stageOperationOf(subject);
    if (operation === undefined && tickChainOperationOf(subject) === undefined) {
      return next.handle();
    }
    const parent = extractTraceContext(nats.getHeaders() as MsgHdrs | undefined);
    if (trace.getSpanContext(parent)?.isRemote !== true) return next.handle();
    // `next.handle()` is called inside the context, so Nest runs the handler in it.
    if (operation === undefined) {
      // On the root context: a tick's traceparent that names no span then gives no parent.
      const tracing: ChainTracing = { tracer: this.tracer, first: parent };
      const handling = ROOT_CONTEXT.setValue(CHAIN_TRACING, tracing);
      return defer(() => otelContext.with(handling, () => lastValueFrom(next.handle())));
    }
    // Stage handlers answer with one value.
    return defer(() =>
      withSpan(
        this.tracer,
        operation,
        requestAttributes(operation, rpc.getData()),
        () => lastValueFrom(next.handle()),
        parent,
      ),
    );
  }
}

/**
 * Runs `op` on tick `tickIndex + k` of a chained message: in a span of that tick's trace,
 * named and described as a requested stage's, when the message is traced (the first
 * tick's context is the headers', the others' are in `traces`); otherwise as it is.
 */
export function inChainedTickSpan<T>(
  msg: TickChainMessage,
  k: number,
  op: StageOperation,
  request: unknown,
  run: () => Promise<T>,
): Promise<T> {
  const tracing = otelContext.active().getValue(CHAIN_TRACING) as ChainTracing | undefined;
  if (tracing === undefined) return run();
  const parent =
    k === 0 ? tracing.first : extractTraceContextRecord({ traceparent: msg.traces?.[k - 1] ?? '' });
  if (trace.getSpanContext(parent)?.isRemote !== true) return run();
  return withSpan(tracing.tracer, op, requestAttributes(op, request), run, parent);
}

/**
 * Run, tick and seq as the request states them. Read before the handler validates the
 * request, so only values of the right type are kept; they describe the span, nothing more.
 */
export function requestAttributes(operation: StageOperation, payload: unknown): Attributes {
  const request = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  const { runId, tickIndex, seq } = request;
  return {
    [LoopAttribute.STAGE]: OPERATION_STAGE[operation],
    [LoopAttribute.OPERATION]: operation,
    ...(typeof runId === 'string' && { [LoopAttribute.RUN_ID]: runId }),
    ...(typeof tickIndex === 'number' && { [LoopAttribute.TICK_INDEX]: tickIndex }),
    ...(typeof seq === 'number' && { [LoopAttribute.SEQ]: seq }),
  };
}
