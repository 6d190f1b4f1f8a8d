import path from 'node:path';
import type { LoopCheckpoint, RunRecord } from '@tightloop/core';
import {
  createDataSource,
  TypeOrmCheckpointStore,
  TypeOrmRunRegistry,
} from '@tightloop/persistence';
import { encodeExactJson } from '@tightloop/runner';

/** The schema of the embedded store: the run controller's entities, the CLI's runs. */
const SCHEMA = 'embedded';
/** How long a run waits for another `tightloop` process to let go of the store. */
const LOCK_WAIT_MS = 30_000;

/** A run's state after its last tick, as stored: exact JSON of the loop checkpoint. */
export interface FinalState {
  format: 'tightloop.final-state/1';
  text: string;
}

/**
 * The embedded default's runs, in a PGlite database under the state directory (the same
 * entities, migrations and stores as the run controller's registry): each run's record
 * and the loop's state after its last tick (positions, pnl, flows), where a later run can
 * go on from. Opened only for a moment, when a run has ended, so that parallel backtests
 * take turns rather than fail on PGlite's one-process lock.
 */
export async function withRunHistory<T>(
  stateDir: string,
  use: (history: {
    registry: TypeOrmRunRegistry;
    finals: TypeOrmCheckpointStore<FinalState>;
  }) => Promise<T>,
): Promise<T> {
  const dataSource = await openWaitingForLock(path.join(stateDir, 'db'));
  try {
    return await use({
      registry: new TypeOrmRunRegistry(dataSource),
      finals: new TypeOrmCheckpointStore<FinalState>(dataSource),
    });
  } finally {
    await dataSource.destroy();
  }
}

/** Records an ended run and, if it completed, its final state. */
export function recordRun(
  stateDir: string,
  run: RunRecord,
  final: LoopCheckpoint | null,
): Promise<void> {
  return withRunHistory(stateDir, async ({ registry, finals }) => {
    await registry.create(run);
    if (final) {
      await finals.saveBatch([
        {
          runId: run.runId,
          tickIndex: final.nextTickIndex - 1,
          seq: 0,
          state: { format: 'tightloop.final-state/1', text: encodeExactJson(final, 'state') },
        },
      ]);
    }
  });
}

async function openWaitingForLock(dataDir: string) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return await createDataSource({ kind: 'pglite', dataDir, schema: SCHEMA });
    } catch (error) {
      const inUse = /is in use by process/.test(String((error as Error).message));
      if (!inUse || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
