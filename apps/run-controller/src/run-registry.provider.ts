import { Logger } from '@nestjs/common';
import type { RunRegistry } from '@tightloop/core';
import { failInterruptedRuns } from './interrupted-runs.recovery';
import type { RunControllerConfig } from './run-controller.config';
import { RunRegistryConnection } from './run-registry.connection';
import {
  describeRegistryLocation,
  openRunRegistry,
  type RunRegistryOpener,
} from './run-registry.opener';

export interface RunRegistrySource {
  /** A registry to use as is (tests); it is not closed with the app. */
  registry?: RunRegistry;
}

/**
 * The service's registry connection: the configured store (Postgres or the embedded
 * PGlite) unless a test hands one in, and on every open, before any run is accepted, the
 * runs a dead process left queued or running are marked failed.
 */
export function createRunRegistryConnection(
  config: RunControllerConfig,
  source: RunRegistrySource,
): RunRegistryConnection {
  const logger = new Logger('RunRegistry');
  const given = source.registry;
  const open: RunRegistryOpener = given
    ? async () => ({ registry: given, close: async () => undefined })
    : () => openRunRegistry(config.registry);
  return new RunRegistryConnection({
    open,
    where: given ? 'given by the caller' : describeRegistryLocation(config.registry),
    prepare: async (registry) => {
      for (const run of await failInterruptedRuns(registry)) {
        logger.warn(`run ${run.runId}: ${run.error}`);
      }
    },
    onRetry: (message) => logger.warn(message),
    onReady: (message) => logger.log(message),
  });
}
