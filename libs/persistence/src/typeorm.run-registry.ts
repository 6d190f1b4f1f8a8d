import type { RunRecord, RunRegistry } from '@tightloop/core';
import type { DataSource, QueryDeepPartialEntity, Repository } from 'typeorm';
import { RunEntity } from './run.entity';
import { cleanRunPatch, type RunPatch } from './run-record.patch';
import { RunAlreadyRegisteredError, RunNotRegisteredError } from './run-registry.errors';

/** Postgres' SQLSTATE for a unique (here: primary key) violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * RunRecord's fields and nothing else, so neither the arrival column (on the way out) nor
 * a caller's extra properties (on the way in) pass through.
 */
function toRecord(run: RunRecord): RunRecord {
  return {
    runId: run.runId,
    strategy: run.strategy,
    startupMode: run.startupMode,
    status: run.status,
    request: run.request,
    ticksDone: run.ticksDone,
    ticksTotal: run.ticksTotal,
    ticksCheckpointed: run.ticksCheckpointed,
    resumedFromTick: run.resumedFromTick,
    outDir: run.outDir,
    error: run.error,
    createdAtMs: run.createdAtMs,
    updatedAtMs: run.updatedAtMs,
  };
}

/** TypeORM's deep-partial type cannot take a jsonb column typed Record<string, unknown>. */
const asInsertable = (values: Partial<RunRecord>) => values as QueryDeepPartialEntity<RunEntity>;

/** A RunRegistry in the `run` table of the DataSource's schema. */
export class TypeOrmRunRegistry implements RunRegistry {
  private readonly runs: Repository<RunEntity>;

  constructor(private readonly dataSource: DataSource) {
    if (!dataSource.hasMetadata(RunEntity)) {
      throw new Error("this DataSource has no run table: open it with tables including 'runs'");
    }
    this.runs = dataSource.getRepository(RunEntity);
  }

  async create(run: RunRecord): Promise<void> {
    try {
      await this.runs.insert(asInsertable(toRecord(run)));
    } catch (error) {
      const code = (error as { driverError?: { code?: unknown } }).driverError?.code;
      if (code === UNIQUE_VIOLATION) throw new RunAlreadyRegisteredError(run.runId);
      throw error;
    }
  }

  async update(runId: string, patch: RunPatch): Promise<RunRecord> {
    const changes = cleanRunPatch(patch);
    // Read under a row lock and write in one transaction, so concurrent updates of a run
    // apply one after the other and each returns the record it produced.
    return this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(RunEntity, {
        where: { runId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw new RunNotRegisteredError(runId);
      if (Object.keys(changes).length === 0) return toRecord(current);
      await manager.update(RunEntity, { runId }, asInsertable(changes));
      // Read back rather than merge in memory: the caller gets what get() will return.
      return toRecord(await manager.findOneByOrFail(RunEntity, { runId }));
    });
  }

  async get(runId: string): Promise<RunRecord | null> {
    const run = await this.runs.findOneBy({ runId });
    return run ? toRecord(run) : null;
  }

  async list(): Promise<RunRecord[]> {
    const runs = await this.runs.find({ order: { createdAtMs: 'DESC', arrival: 'DESC' } });
    return runs.map(toRecord);
  }
}
