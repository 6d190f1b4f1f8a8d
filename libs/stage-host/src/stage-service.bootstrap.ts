import 'reflect-metadata';
import { redactUrl } from '@tightloop/contracts';
import { NATS_RECONNECT_FOREVER } from '@tightloop/transport';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { exportsTraces, startTelemetry, type Telemetry } from '@tightloop/telemetry';
import { HealthHttpController, READINESS } from './health.http-controller';
import type { StageServiceConfig } from './stage-service.config';
import { StageTracingInterceptor } from './stage-tracing.interceptor';
import { TickChainRelayModule } from './tick-chain.relay';
import { TraceAwareNestLogger } from './trace-aware.nest-logger';

/** What the composition root may give a service instead of building it from its config. */
export interface StageHostOptions {
  /**
   * Tracing and logging to use (tests pass in-memory telemetry); it stays the caller's to
   * shut down. Absent, the service starts its own when `config.telemetry` exports traces.
   */
  telemetry?: Telemetry;
  /**
   * NATS queue group; the service's name unless given. Replicas in one group share the
   * requests; a service in a group of its own receives every request as well.
   */
  queue?: string;
}

/** A stage module that needs the service's telemetry, which the host starts or is given. */
export interface StageModuleFactory {
  withTelemetry(telemetry: Telemetry | undefined): DynamicModule;
}

const TELEMETRY_FLUSH = Symbol('TELEMETRY_FLUSH');

export interface RunningStageService {
  app: INestApplication;
  httpPort: number;
  close(): Promise<void>;
}

/**
 * Starts one stage: its NATS request handlers in a queue group named after the service
 * (replicas share the requests) and HTTP health endpoints. The loop is sequential per run,
 * so a run has one request in flight at a time and stays in order across replicas.
 */
export async function startStageService(
  service: string,
  /** The stage's module, or one built with the service's telemetry (for its own spans). */
  stageModule: Type<unknown> | DynamicModule | StageModuleFactory,
  config: StageServiceConfig,
  options: StageHostOptions = {},
): Promise<RunningStageService> {
  const owned =
    options.telemetry === undefined && exportsTraces(config.telemetry)
      ? startTelemetry(config.telemetry)
      : undefined;
  const telemetry = options.telemetry ?? owned;
  const stage = 'withTelemetry' in stageModule ? stageModule.withTelemetry(telemetry) : stageModule;
  let started = false;
  @Module({
    imports: [TickChainRelayModule.forRoot(config.NATS_URL), stage],
    controllers: [HealthHttpController],
    providers: [
      { provide: READINESS, useValue: { ready: () => started } },
      // On SIGTERM Nest's shutdown hooks end the process as soon as the app has shut down,
      // so the service's own telemetry flushes its last spans from the app's shutdown.
      { provide: TELEMETRY_FLUSH, useValue: { onApplicationShutdown: () => owned?.shutdown() } },
    ],
  })
  class HostModule {}

  try {
    const app = await NestFactory.create(HostModule, {
      logger: telemetry ? new TraceAwareNestLogger(telemetry.logger) : levels(config.LOG_LEVEL),
    });
    // Registered on the app before the microservice is connected, which builds the NATS
    // handlers (and so reads the app's interceptors, inherited) at once.
    if (telemetry) app.useGlobalInterceptors(new StageTracingInterceptor(telemetry.tracer));
    app.connectMicroservice<MicroserviceOptions>(
      {
        transport: Transport.NATS,
        // Keep reconnecting through a NATS restart; the loop retries what went unanswered.
        options: {
          servers: [config.NATS_URL],
          queue: options.queue ?? service,
          name: service,
          ...NATS_RECONNECT_FOREVER,
        },
      },
      { inheritAppConfig: true },
    );
    app.enableShutdownHooks();
    await app.startAllMicroservices();
    await app.listen(config.HTTP_PORT, '127.0.0.1');
    started = true;
    const address = app.getHttpServer().address() as { port: number };
    return { app, httpPort: address.port, close: () => app.close() };
  } catch (error) {
    await owned?.shutdown();
    // What it needs at start is NATS and its health port; say which it was given.
    throw new Error(
      `${service} could not start (NATS_URL ${redactUrl(config.NATS_URL)}, HTTP_PORT ` +
        `${config.HTTP_PORT}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function levels(level: StageServiceConfig['LOG_LEVEL']) {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1) as (
    'error' | 'warn' | 'log' | 'debug' | 'verbose'
  )[];
}
