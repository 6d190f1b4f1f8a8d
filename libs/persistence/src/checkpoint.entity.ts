import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One stored stage checkpoint. No schema is named here: the DataSource's `schema` option
 * places the table in the schema of the service that owns it (see createDataSource).
 * Column types are spelled out because tsx/esbuild emit no decorator metadata.
 * The table itself is created by CheckpointTableMigration, never by `synchronize`.
 */
@Entity({ name: 'checkpoint' })
export class CheckpointEntity {
  @PrimaryColumn({ type: 'varchar', name: 'run_id' })
  runId!: string;

  @PrimaryColumn({ type: 'integer', name: 'tick_index' })
  tickIndex!: number;

  @PrimaryColumn({ type: 'integer', name: 'seq' })
  seq!: number;

  /** jsonb keeps numbers exactly (it stores them as numeric), but not object key order. */
  @Column({ type: 'jsonb', name: 'state' })
  state!: unknown;

  @Column({ type: 'timestamptz', name: 'saved_at', default: () => 'now()' })
  savedAt!: Date;
}
