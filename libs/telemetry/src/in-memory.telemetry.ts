import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { Writable } from 'node:stream';
import { startTelemetry, type Telemetry } from './telemetry.bootstrap';
import type { LogLevel } from './telemetry.config';

export interface InMemoryTelemetry extends Telemetry {
  /** Finished spans, available as soon as each span ends; `shutdown` empties it. */
  readonly spans: InMemorySpanExporter;
  /** Every log line written so far, parsed. */
  logLines(): Record<string, unknown>[];
}

/**
 * Telemetry for tests: spans into memory, JSON log lines into memory, no exporter over the
 * network. Same code path as production otherwise, so what a test asserts is what runs.
 */
export function startInMemoryTelemetry(
  serviceName: string,
  logLevel: LogLevel = 'info',
): InMemoryTelemetry {
  const spans = new InMemorySpanExporter();
  const chunks: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const telemetry = startTelemetry(
    { serviceName, samplerRatio: 1, logLevel },
    { exporter: spans, logDestination },
  );
  return {
    ...telemetry,
    spans,
    logLines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
