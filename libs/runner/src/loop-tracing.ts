import type { MsgHdrs } from '@nats-io/transport-node';
import type { Tracer } from '@opentelemetry/api';
import type { LoopTracer } from '@tightloop/core';

/** What a traced run adds: the loop's tracer, and the trace headers of its stage requests. */
export interface LoopTracing {
  loopTracer: LoopTracer;
  /** NATS headers carrying the active span's context; undefined outside a span. */
  traceHeaders: () => MsgHdrs | undefined;
}

/**
 * Loaded only when a run is traced: an untraced backtest never loads OpenTelemetry, whose
 * modules would otherwise add about a quarter of a second to every process start. With
 * `require`, not `import()`: the CLI's TypeScript loader (tsx, CommonJS) resolves the
 * workspace aliases for `require` only.
 */
export function loadLoopTracing(tracer: Tracer, runId: string): LoopTracing {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const telemetry = require('@tightloop/telemetry') as typeof import('@tightloop/telemetry');
  return {
    loopTracer: new telemetry.OtelLoopTracer(tracer, runId),
    traceHeaders: telemetry.traceContextHeaders,
  };
}
