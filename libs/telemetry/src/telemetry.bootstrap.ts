import type { Tracer } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { DestinationStream } from 'pino';
import { leaseOtelGlobals } from './otel-globals.lease';
import { createLogger, type Logger } from './trace-aware.logger';
import type { TelemetryConfig } from './telemetry.config';

/** Instrumentation scope of every span the loop creates. */
export const TRACER_NAME = 'tightloop';

export interface StartTelemetryOptions {
  /** Receives every span synchronously (e.g. InMemorySpanExporter in tests). */
  exporter?: SpanExporter;
  /** Log destination instead of stdout. */
  logDestination?: DestinationStream;
}

export interface Telemetry {
  readonly tracer: Tracer;
  readonly logger: Logger;
  /** Exports pending spans and releases the process-wide context; safe to call twice. */
  shutdown(): Promise<void>;
}

/**
 * Starts one service's tracing and logging. Each call owns its tracer provider and span
 * processors, so several services can run in one process (tests, the in-process CLI);
 * only the context manager and propagator are shared (see otel-globals.lease.ts).
 */
export function startTelemetry(
  config: TelemetryConfig,
  options: StartTelemetryOptions = {},
): Telemetry {
  const releaseGlobals = leaseOtelGlobals();
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    ),
    // Sampling is decided once per tick (the root span); every stage downstream follows
    // the traceparent's flag, so a trace is either whole or absent. Passing the sampler
    // also stops the SDK from picking one up from OTEL_TRACES_SAMPLER behind our config.
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.samplerRatio) }),
    spanProcessors: spanProcessorsFor(config, options.exporter),
  });
  // Not `provider.register()`: that would make this provider global, and a second
  // instance in the same process could not do the same.
  const tracer = provider.getTracer(TRACER_NAME);
  const logger = createLogger({
    serviceName: config.serviceName,
    level: config.logLevel,
    ...(options.logDestination && { destination: options.logDestination }),
  });
  logger.info(
    {
      otlp_endpoint: config.otlpEndpoint ?? null,
      sampler_ratio: config.samplerRatio,
      explicit_exporter: options.exporter !== undefined,
    },
    config.otlpEndpoint || options.exporter
      ? 'telemetry started'
      : 'telemetry started without an exporter: spans are created and dropped',
  );

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    try {
      await provider.shutdown();
      logger.info('telemetry stopped');
      // An asynchronous destination could still hold the last lines; stdout's is synchronous.
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    } finally {
      releaseGlobals();
    }
  };
  return { tracer, logger, shutdown: () => (stopping ??= stop()) };
}

function spanProcessorsFor(
  config: TelemetryConfig,
  exporter: SpanExporter | undefined,
): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  if (config.otlpEndpoint !== undefined) {
    // Batching keeps export I/O off the tick path; spans still pending at shutdown are
    // flushed by `provider.shutdown()`.
    processors.push(
      new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(config.otlpEndpoint) })),
    );
  }
  if (exporter !== undefined) processors.push(new SimpleSpanProcessor(exporter));
  return processors;
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is a base URL; OTLP/HTTP traces go to `<base>/v1/traces`. */
function tracesUrl(endpoint: string): string {
  return new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
}
