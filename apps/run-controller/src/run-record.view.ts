import type { RunRecord } from '@tightloop/core';

/**
 * What a client sees of a run. The results path on the server stays private: results are
 * reached through the run's routes.
 */
export function runView(run: RunRecord) {
  const fraction =
    run.status === 'completed'
      ? 1
      : run.ticksTotal && run.ticksTotal > 0
        ? Math.min(1, run.ticksDone / run.ticksTotal)
        : 0;
  return {
    runId: run.runId,
    strategy: run.strategy,
    startupMode: run.startupMode,
    status: run.status,
    request: run.request,
    progress: {
      ticksDone: run.ticksDone,
      ticksTotal: run.ticksTotal,
      fraction,
      /** Where a restart would resume the run from. */
      ticksCheckpointed: run.ticksCheckpointed,
    },
    /** The tick a restart resumed the run from, or null if it ran in one go. */
    resumedFromTick: run.resumedFromTick,
    error: run.error,
    createdAt: new Date(run.createdAtMs).toISOString(),
    updatedAt: new Date(run.updatedAtMs).toISOString(),
  };
}

export type RunView = ReturnType<typeof runView>;
