/**
 * A minimal service run as a child process by telemetry.otlp.spec.ts: boots telemetry from
 * the environment, records one span and shuts down. It runs outside jest because the OTLP
 * HTTP exporter loads `http` with a dynamic `import()`, which jest's CommonJS sandbox
 * refuses without --experimental-vm-modules.
 */
import { readTelemetryConfig } from '../telemetry.config';
import { startTelemetry } from '../telemetry.bootstrap';
import { withSpan } from '../with-span.helper';

async function main(): Promise<void> {
  const telemetry = startTelemetry(readTelemetryConfig(process.env));
  withSpan(telemetry.tracer, 'tick', { 'tightloop.tick_index': 0 }, () =>
    telemetry.logger.info('tick traced'),
  );
  await telemetry.shutdown();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
