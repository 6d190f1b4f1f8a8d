import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import type { MsgHdrs } from '@nats-io/transport-node';
import { trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { stageOperationOf, tickChainOperationOf, type StageOperation } from '@tightloop/contracts';
import { extractTraceContext, LoopAttribute, LoopStage, withSpan } from '@tightloop/telemetry';
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

/**
 * Continues the loop's trace in a stage service: a request whose NATS headers carry a
 * trace context is handled inside a span named after its operation, the child of the
 * loop's span that sent it (for a chained tick, the tick's span: the relay passes the
 * tick's context on unchanged), so the handler's log lines carry that trace too. A request
 * without one (an untraced run) is handled as it is, with no span: a root span per
 * request would scatter one-span traces through Jaeger and cost the untraced run.
 */
export class StageTracingInterceptor implements NestInterceptor {
  constructor(private readonly tracer: Tracer) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rpc = context.switchToRpc();
    const nats = rpc.getContext<NatsContext>();
    // A request, or a stage's step of a chained tick (whose headers carry the tick's span).
    const subject = nats.getSubject();
    const operation = stageOperationOf(subject) ?? tickChainOperationOf(subject);
    const parent = extractTraceContext(nats.getHeaders() as MsgHdrs | undefined);
    if (operation === undefined || trace.getSpanContext(parent)?.isRemote !== true) {
      return next.handle();
    }
    // Stage handlers answer with one value; `next.handle()` is called inside the span, so
    // Nest runs the handler in the span's context.
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
 * Run, tick and seq as the request states them. Read before the handler validates the
 * request, so only values of the right type are kept; they describe the span, nothing more.
 */
function requestAttributes(operation: StageOperation, payload: unknown): Attributes {
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
