import 'reflect-metadata';
import { mkdir, stat } from 'node:fs/promises';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { logLevelsFrom, type RunControllerConfig } from './run-controller.config';
import { RunControllerModule, type RunControllerOverrides } from './run-controller.module';
import { RUN_REGISTRY } from './run-controller.tokens';
import type { RunRegistryConnection } from './run-registry.connection';

/**
 * Creates the run controller's Nest app, not yet listening, so tests (supertest) and
 * `tightloop serve run-controller` start it the same way. The registry opens in the
 * background from here on (see runRegistryReady); `app.close()` lets running backtests
 * finish first, then closes the registry.
 */
export async function bootstrapRunController(
  config: RunControllerConfig,
  overrides: RunControllerOverrides = {},
): Promise<INestApplication> {
  await checkDirectories(config);
  const app = await NestFactory.create(RunControllerModule.forRoot(config, overrides), {
    logger: logLevelsFrom(config.logLevel),
  });
  // No need to tell clients what serves them.
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable(
    'x-powered-by',
  );
  await app.init();
  return app;
}

/** Resolves once the app's registry is open, migrated and prepared (tests wait on it). */
export function runRegistryReady(app: INestApplication): Promise<void> {
  return app.get<symbol, RunRegistryConnection>(RUN_REGISTRY).whenReady();
}

/**
 * A directory that cannot be used stops the start, named by its variable, rather than
 * failing every run later.
 */
async function checkDirectories(config: RunControllerConfig): Promise<void> {
  try {
    await mkdir(config.resultsDir, { recursive: true });
  } catch (error) {
    throw new Error(
      `TIGHTLOOP_RESULTS_DIR: cannot create ${config.resultsDir}: ${(error as Error).message}`,
    );
  }
  if (config.dataDir === undefined) return;
  const info = await stat(config.dataDir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new Error(`TIGHTLOOP_DATA_DIR: ${config.dataDir} does not exist or is not a directory`);
}
