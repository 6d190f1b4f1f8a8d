import { Logger } from '@nestjs/common';
import type { RunRegistry } from '@tightloop/core';
import { InMemoryCheckpointStore } from '@tightloop/persistence';
import type { RunCheckpointStore } from '@tightloop/runner';
import type { InterruptedRuns } from './interrupted-runs.recovery';
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
  /** The checkpoints beside a given registry; in memory unless given. */
  checkpoints?: RunCheckpointStore;
}

/**
 * The service's registry connection: the configured store (Postgres or the embedded
 * PGlite) unless a test hands one in. On every open, before any run is accepted, the runs
 * a dead process left queued or running are found and queued again; they are handed to
 * the run queue once the registry is ready.
 */
export function createRunRegistryConnection(
  config: RunControllerConfig,
  source: RunRegistrySource,
  interrupted: InterruptedRuns,
): RunRegistryConnection {
  const logger = new Logger('RunRegistry');
  const given = source.registry;
  const open: RunRegistryOpener = given
    ? async () => ({
        registry: given,
        checkpoints: source.checkpoints ?? new InMemoryCheckpointStore(),
        close: async () => undefined,
      })
    : () => openRunRegistry(config.registry);
  return new RunRegistryConnection({
    open,
    where: given ? 'given by the caller' : describeRegistryLocation(config.registry),
    prepare: (registry) => interrupted.requeue(registry),
    onRetry: (message) => logger.warn(message),
    onReady: (message) => {
      logger.log(message);
      interrupted.release();
    },
  });
}
