import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { runBacktest } from '@tightloop/runner';
import { exportsTraces, readTelemetryConfig, startTelemetry } from '@tightloop/telemetry';
import { bootstrapRunController } from './run-controller.bootstrap';
import { readRunControllerConfig } from './run-controller.config';

/**
 * Starts the run controller from the environment; SIGTERM/SIGINT close it gracefully
 * (running backtests finish first). Same shape as the stage services' `start`, so
 * `tightloop serve run-controller` launches it by name. It listens before the registry
 * is open: /health/live answers at once, /health/ready once the registry is usable.
 */
export async function start(env: NodeJS.ProcessEnv = process.env) {
  const config = readRunControllerConfig(env);
  // The loop runs here, so each run's tick spans start here; the stage services continue
  // them (OTEL_EXPORTER_OTLP_ENDPOINT, as for every service).
  const telemetryConfig = readTelemetryConfig(env);
  const telemetry = exportsTraces(telemetryConfig) ? startTelemetry(telemetryConfig) : undefined;
  const app = await bootstrapRunController(
    config,
    telemetry
      ? {
          runBacktest: (input, hooks, services) =>
            runBacktest(input, hooks, { ...services, tracer: telemetry.tracer }),
          // Spans still batched for export go out before a SIGTERM ends the process.
          onShutdown: () => telemetry.shutdown(),
        }
      : {},
  );
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.httpPort);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  new Logger('RunController').log(
    `listening on port ${address.port}; runs' stages ${config.stages.transport} by default`,
  );
  const close = async () => {
    await app.close();
    await telemetry?.shutdown();
  };
  return { app, httpPort: address.port, close };
}

// Run directly (`tsx apps/run-controller/src/main.ts`); importing it only defines `start`.
if (require.main === module) {
  start().catch((error: unknown) => {
    process.stderr.write(
      `run-controller: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
