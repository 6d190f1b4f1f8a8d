import type { RunRecord, RunRegistry } from '@tightloop/core';

/**
 * The run registry for a single process until the Postgres one exists: runs are lost on
 * restart. Records are copied in and out, so callers cannot change stored state by
 * mutating what they were given (a database would not let them either).
 */
export class InMemoryRunRegistry implements RunRegistry {
  private readonly runs = new Map<string, RunRecord>();

  async create(run: RunRecord): Promise<void> {
    if (this.runs.has(run.runId)) throw new Error(`run ${run.runId} is already registered`);
    this.runs.set(run.runId, structuredClone(run));
  }

  async update(
    runId: string,
    patch: Partial<Omit<RunRecord, 'runId' | 'createdAtMs'>>,
  ): Promise<RunRecord> {
    const current = this.runs.get(runId);
    if (!current) throw new Error(`run ${runId} is not registered`);
    const next = { ...current, ...structuredClone(patch), runId, createdAtMs: current.createdAtMs };
    this.runs.set(runId, next);
    return structuredClone(next);
  }

  async get(runId: string): Promise<RunRecord | null> {
    const run = this.runs.get(runId);
    return run ? structuredClone(run) : null;
  }

  async list(): Promise<RunRecord[]> {
    // Insertion order breaks ties of runs created in the same millisecond.
    return [...this.runs.values()]
      .map((run, order) => ({ run, order }))
      .sort((a, b) => b.run.createdAtMs - a.run.createdAtMs || b.order - a.order)
      .map(({ run }) => structuredClone(run));
  }
}
