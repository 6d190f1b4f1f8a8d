import type { RunRecord, RunRegistry } from '@tightloop/core';

/** A run a process that is gone left unfinished. */
export interface InterruptedRun {
  runId: string;
  /** What that process was doing with it: a running run resumes, a queued one starts. */
  was: 'queued' | 'running';
  /** The request as submitted: what the run is run again with. */
  request: Record<string, unknown>;
}

const unfinished = (run: RunRecord): run is RunRecord & { status: InterruptedRun['was'] } =>
  run.status === 'queued' || run.status === 'running';

/**
 * Every run the registry still shows as queued or running, oldest first, with the running
 * ones put back to queued: they wait for a slot like any queued run and become running
 * again, from their latest checkpoint, when they get one. Called once the registry is open
 * and before this process accepts runs, so each such run belonged to a process that is
 * gone (a graceful shutdown lets running runs finish), which assumes one run controller per
 * registry schema, as deployed.
 */
export async function requeueInterruptedRuns(
  registry: RunRegistry,
  nowMs: number = Date.now(),
): Promise<InterruptedRun[]> {
  const interrupted = (await registry.list()).filter(unfinished).reverse();
  for (const run of interrupted) {
    if (run.status === 'running')
      await registry.update(run.runId, { status: 'queued', updatedAtMs: nowMs });
  }
  return interrupted.map((run) => ({ runId: run.runId, was: run.status, request: run.request }));
}

/**
 * Carries the interrupted runs from the registry, where they are found before it is ready
 * (nothing else may use it then), to the service that runs them, which gets them the
 * moment the registry is ready: synchronously, so no new submission is queued ahead.
 */
export class InterruptedRuns {
  private found: InterruptedRun[] = [];
  private released = false;
  private take: ((runs: InterruptedRun[]) => void) | null = null;

  async requeue(registry: RunRegistry): Promise<void> {
    // An open that failed after requeueing is tried again: what it saw running still was.
    const seenRunning = new Set(this.found.filter((r) => r.was === 'running').map((r) => r.runId));
    this.found = (await requeueInterruptedRuns(registry)).map((run) =>
      seenRunning.has(run.runId) ? { ...run, was: 'running' } : run,
    );
  }

  /** The registry is ready: hand the runs over. */
  release(): void {
    this.released = true;
    this.handOver();
  }

  onRelease(take: (runs: InterruptedRun[]) => void): void {
    this.take = take;
    this.handOver();
  }

  private handOver(): void {
    if (this.released && this.take && this.found.length > 0) this.take(this.found.splice(0));
  }
}
