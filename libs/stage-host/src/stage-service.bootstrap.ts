import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { HealthHttpController, READINESS } from './health.http-controller';
import type { StageServiceConfig } from './stage-service.config';

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
  stageModule: Type<unknown> | DynamicModule,
  config: StageServiceConfig,
): Promise<RunningStageService> {
  let started = false;
  @Module({
    imports: [stageModule],
    controllers: [HealthHttpController],
    providers: [{ provide: READINESS, useValue: { ready: () => started } }],
  })
  class HostModule {}

  const app = await NestFactory.create(HostModule, { logger: levels(config.LOG_LEVEL) });
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.NATS,
    // Keep reconnecting through a NATS restart; the loop retries what went unanswered.
    options: {
      servers: [config.NATS_URL],
      queue: service,
      name: service,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    },
  });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, '127.0.0.1');
  started = true;
  const address = app.getHttpServer().address() as { port: number };
  return { app, httpPort: address.port, close: () => app.close() };
}

function levels(level: StageServiceConfig['LOG_LEVEL']) {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1) as (
    'error' | 'warn' | 'log' | 'debug' | 'verbose'
  )[];
}
