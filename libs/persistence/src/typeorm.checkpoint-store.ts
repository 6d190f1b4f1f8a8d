import type { CheckpointStore, StageCheckpoint } from '@tightloop/core';
import type { DataSource, EntityManager } from 'typeorm';
import { CheckpointEntity } from './checkpoint.entity';
import { encodeCheckpointState } from './checkpoint.codec';

/**
 * Rows per INSERT statement. Postgres allows 65,535 bind parameters per statement and a
 * row takes 4, so a batch larger than this is split, inside one transaction.
 */
export const MAX_CHECKPOINT_ROWS_PER_INSERT = 10_000;

interface CheckpointRow {
  run_id: string;
  tick_index: number;
  seq: number;
  state: unknown;
}

/**
 * A CheckpointStore in the `checkpoint` table of the DataSource's schema. The SQL is
 * written out (not QueryBuilder) to make the two things that matter explicit: one
 * multi-row INSERT per batch, and ON CONFLICT on the primary key, so a redelivered
 * checkpoint keeps the first state saved.
 */
export class TypeOrmCheckpointStore<S> implements CheckpointStore<S> {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    if (!dataSource.hasMetadata(CheckpointEntity)) {
      throw new Error(
        "this DataSource has no checkpoint table: open it with tables including 'checkpoints'",
      );
    }
    const { schema, tableName } = dataSource.getMetadata(CheckpointEntity);
    const escape = (name: string) => dataSource.driver.escape(name);
    this.table = schema ? `${escape(schema)}.${escape(tableName)}` : escape(tableName);
  }

  async saveBatch(batch: readonly StageCheckpoint<S>[]): Promise<void> {
    if (batch.length === 0) return;
    const rows = batch.map((cp) => ({ cp, state: encodeCheckpointState(cp) }));
    if (rows.length <= MAX_CHECKPOINT_ROWS_PER_INSERT) {
      await this.insert(this.dataSource.manager, rows);
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      for (let at = 0; at < rows.length; at += MAX_CHECKPOINT_ROWS_PER_INSERT) {
        await this.insert(manager, rows.slice(at, at + MAX_CHECKPOINT_ROWS_PER_INSERT));
      }
    });
  }

  async latest(runId: string): Promise<StageCheckpoint<S> | null> {
    // Served backwards from the primary-key index: no sort, one row read.
    const rows: CheckpointRow[] = await this.dataSource.query(
      `SELECT run_id, tick_index, seq, state FROM ${this.table}
       WHERE run_id = $1 ORDER BY tick_index DESC, seq DESC LIMIT 1`,
      [runId],
    );
    return rows[0] ? this.toCheckpoint(rows[0]) : null;
  }

  async since(runId: string, tickIndex: number, seq: number): Promise<StageCheckpoint<S>[]> {
    // A row comparison, so the primary-key index bounds the scan.
    const rows: CheckpointRow[] = await this.dataSource.query(
      `SELECT run_id, tick_index, seq, state FROM ${this.table}
       WHERE run_id = $1 AND (tick_index, seq) >= ($2, $3)
       ORDER BY tick_index, seq`,
      [runId, tickIndex, seq],
    );
    return rows.map((row) => this.toCheckpoint(row));
  }

  async forget(runId: string): Promise<number> {
    // pg answers a DELETE with [rows, count].
    const [, count] = (await this.dataSource.query(`DELETE FROM ${this.table} WHERE run_id = $1`, [
      runId,
    ])) as [unknown, number];
    return count;
  }

  private async insert(
    manager: EntityManager,
    rows: readonly { cp: StageCheckpoint<S>; state: string }[],
  ): Promise<void> {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const { cp, state } of rows) {
      const n = params.push(cp.runId, cp.tickIndex, cp.seq, state);
      tuples.push(`($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`);
    }
    // saved_at takes its default, now(): the time of the write, not of the tick.
    await manager.query(
      `INSERT INTO ${this.table} (run_id, tick_index, seq, state)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (run_id, tick_index, seq) DO NOTHING`,
      params,
    );
  }

  private toCheckpoint(row: CheckpointRow): StageCheckpoint<S> {
    // pg parses jsonb with JSON.parse; the state is whatever was saved, typed by the caller.
    return { runId: row.run_id, tickIndex: row.tick_index, seq: row.seq, state: row.state as S };
  }
}
