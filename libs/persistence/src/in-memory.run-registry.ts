import type { RunRecord, RunRegistry } from '@tightloop/core';
import { cleanRunPatch, type RunPatch } from './run-record.patch';
import { RunAlreadyRegisteredError, RunNotRegisteredError } from './run-registry.errors';

/** A record as a database would hand it back: a JSON copy, detached from the caller's. */
const copy = (run: RunRecord): RunRecord => JSON.parse(JSON.stringify(run)) as RunRecord;

/**
 * The run registry of a single process (embedded runner, tests): runs are lost on exit.
 * Passes the same contract suite as TypeOrmRunRegistry.
 */
export class InMemoryRunRegistry implements RunRegistry {
  private readonly runs = new Map<string, RunRecord>();

  async create(run: RunRecord): Promise<void> {
    if (this.runs.has(run.runId)) throw new RunAlreadyRegisteredError(run.runId);
    this.runs.set(run.runId, copy(run));
  }

  async update(runId: string, patch: RunPatch): Promise<RunRecord> {
    const current = this.runs.get(runId);
    if (!current) throw new RunNotRegisteredError(runId);
    const next = copy({ ...current, ...cleanRunPatch(patch) });
    this.runs.set(runId, next);
    return copy(next);
  }

  async get(runId: string): Promise<RunRecord | null> {
    const run = this.runs.get(runId);
    return run ? copy(run) : null;
  }

  async list(): Promise<RunRecord[]> {
    // A Map iterates in insertion order, which breaks ties of runs created in the same
    // millisecond the way the database's arrival column does.
    return [...this.runs.values()]
      .map((run, arrival) => ({ run, arrival }))
      .sort((a, b) => b.run.createdAtMs - a.run.createdAtMs || b.arrival - a.arrival)
      .map(({ run }) => copy(run));
  }
}
