import type { RunRecord, RunRegistry } from '@tightloop/core';

/** Why a run that was queued or running when the process stopped will never finish. */
export function interruptedRunError(status: RunRecord['status']): string {
  return (
    `interrupted by a restart of the run controller while it was ${status}; ` +
    'its results were never written: submit it again'
  );
}

/**
 * Marks failed every run the registry still shows as queued or running. Called once the
 * registry is open and before this process accepts runs, so every such run belonged to a
 * process that is gone: a graceful shutdown lets running runs finish and fails the queued
 * ones itself, so only a crash (SIGKILL, out of memory, a grace period that ran out)
 * leaves them. Resuming is not offered: a run's results are built in the memory of the
 * process that ran it. This assumes one run controller per registry schema, as deployed.
 */
export async function failInterruptedRuns(
  registry: RunRegistry,
  nowMs: number = Date.now(),
): Promise<RunRecord[]> {
  const interrupted = (await registry.list()).filter(
    (run) => run.status === 'queued' || run.status === 'running',
  );
  const failed: RunRecord[] = [];
  for (const run of interrupted) {
    failed.push(
      await registry.update(run.runId, {
        status: 'failed',
        error: interruptedRunError(run.status),
        updatedAtMs: nowMs,
      }),
    );
  }
  return failed;
}
