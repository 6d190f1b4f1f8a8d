import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { RunRecord, RunStatus } from '@tightloop/core';

/**
 * Times are stored as bigint epoch milliseconds, the unit RunRecord uses, so they
 * round-trip exactly with no Date or time-zone conversion. node-postgres hands int8 back
 * as a string and PGlite as a number; this turns both into a number.
 */
const epochMs: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | number | bigint | null) => (value === null ? null : Number(value)),
};

/** One row per run, mirroring RunRecord. Created by RunTableMigration. */
@Entity({ name: 'run' })
export class RunEntity {
  @PrimaryColumn({ type: 'varchar', name: 'run_id' })
  runId!: string;

  @Column({ type: 'varchar', name: 'strategy' })
  strategy!: string;

  @Column({ type: 'varchar', name: 'startup_mode' })
  startupMode!: RunRecord['startupMode'];

  @Column({ type: 'varchar', name: 'status' })
  status!: RunStatus;

  @Column({ type: 'jsonb', name: 'request' })
  request!: Record<string, unknown>;

  @Column({ type: 'integer', name: 'ticks_done' })
  ticksDone!: number;

  @Column({ type: 'integer', name: 'ticks_total', nullable: true })
  ticksTotal!: number | null;

  /** Added by RunResumeColumnsMigration. */
  @Column({ type: 'integer', name: 'ticks_checkpointed' })
  ticksCheckpointed!: number;

  @Column({ type: 'integer', name: 'resumed_from_tick', nullable: true })
  resumedFromTick!: number | null;

  @Column({ type: 'text', name: 'out_dir', nullable: true })
  outDir!: string | null;

  @Column({ type: 'text', name: 'error', nullable: true })
  error!: string | null;

  @Column({ type: 'bigint', name: 'created_at_ms', transformer: epochMs })
  createdAtMs!: number;

  @Column({ type: 'bigint', name: 'updated_at_ms', transformer: epochMs })
  updatedAtMs!: number;

  /**
   * Registration order, filled by the database; it breaks ties between runs created in
   * the same millisecond so that `list` is newest first deterministically. Not in RunRecord.
   */
  @Column({
    type: 'bigint',
    name: 'arrival',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
    select: false,
  })
  arrival?: string;
}
