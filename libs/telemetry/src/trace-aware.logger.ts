import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './telemetry.config';

export type { Logger } from 'pino';

export interface LoggerOptions {
  serviceName: string;
  level: LogLevel;
  /** Where JSON lines go; stdout when absent. Tests pass an in-memory stream. */
  destination?: DestinationStream;
}

/**
 * One JSON object per line. Every line carries `service`, and `trace_id`/`span_id` of the
 * span active when it is written, so a log line found in the event log leads to its trace
 * in Jaeger and back. Children (`logger.child({ run_id })`) keep the same mixin.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    base: { service: options.serviceName, pid: process.pid },
    // ISO time and level names rather than epoch ms and numbers: the lines are read by
    // people and by log stores alike, and both understand these without a mapping.
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: activeSpanFields,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

function activeSpanFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
