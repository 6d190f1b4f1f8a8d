import type { MsgHdrs } from '@nats-io/transport-node';
import type { Tracer } from '@opentelemetry/api';
import type { LoopTracer } from '@tightloop/core';

/**
 * The spans of ticks a transport opens ahead of the loop (see SpeculatedTicks), so the
 * stage services put a speculated tick's stages in that tick's own trace.
 */
export interface TicksAheadTracing {
  /** Starts tick `tickIndex`'s span before the loop reaches it; its W3C traceparent. */
  open(tickIndex: number, tsMs: number): string;
  /**
   * Ends that span as discarded: the loop opens the tick anew, in a span of its own. For
   * the tick the loop is running, only before the tick's first traced call.
   */
  discard(tickIndex: number): void;
}

/** What a traced run adds: the loop's tracer, and the trace headers of its stage requests. */
export interface LoopTracing {
  loopTracer: LoopTracer;
  /** NATS headers carrying the current span's context; undefined outside a tick. */
  traceHeaders: () => MsgHdrs | undefined;
  ticksAhead: TicksAheadTracing;
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
  const loopTracer = new telemetry.OtelLoopTracer(tracer, runId);
  return {
    loopTracer,
    // Not the active context: straight under a tick no span is active yet (the tracer
    // starts a tick's span at its first use), and a message sent from there is the tick's.
    traceHeaders: () => telemetry.traceContextHeaders(loopTracer.activeContext()),
    ticksAhead: {
      open: (tickIndex, tsMs) => loopTracer.openAhead(tickIndex, tsMs),
      discard: (tickIndex) => loopTracer.discardAhead(tickIndex),
    },
  };
}
