import type { MigrationInterface, QueryRunner } from 'typeorm';
import { assertSchemaName } from './schema-name.guard';

/** The tables a service can keep in its schema; each comes with its own migration. */
export type PersistenceTable = 'checkpoints' | 'runs';

// TypeORM reads a migration's order from the last 13 digits of its name (a ms timestamp).
// These are fixed: changing them would make existing databases run the migration again.
const CHECKPOINTS_AT = 1767225600000; // 2026-01-01
const RUNS_AT = 1767225600001;
const RUN_RESUME_AT = 1767225600002;

type MigrationClass = new () => MigrationInterface;

/**
 * Creates the schema and the checkpoint table. A factory, not a plain class, because the
 * schema is a parameter and TypeORM instantiates migrations with `new Class()`.
 */
export function checkpointTableMigration(schema: string): MigrationClass {
  const s = assertSchemaName(schema);
  return class CheckpointTableMigration implements MigrationInterface {
    readonly name = `CreateCheckpointTable${CHECKPOINTS_AT}`;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "${s}"`);
      await queryRunner.query(
        `CREATE TABLE "${s}"."checkpoint" (
          "run_id" varchar NOT NULL,
          "tick_index" integer NOT NULL,
          "seq" integer NOT NULL,
          "state" jsonb NOT NULL,
          "saved_at" timestamptz NOT NULL DEFAULT now(),
          CONSTRAINT "checkpoint_pkey" PRIMARY KEY ("run_id", "tick_index", "seq")
        )`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE "${s}"."checkpoint"`);
    }
  };
}

/** Creates the schema and the run table, with the index `list` (newest first) reads. */
export function runTableMigration(schema: string): MigrationClass {
  const s = assertSchemaName(schema);
  return class RunTableMigration implements MigrationInterface {
    readonly name = `CreateRunTable${RUNS_AT}`;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "${s}"`);
      await queryRunner.query(
        `CREATE TABLE "${s}"."run" (
          "run_id" varchar NOT NULL,
          "strategy" varchar NOT NULL,
          "startup_mode" varchar NOT NULL,
          "status" varchar NOT NULL,
          "request" jsonb NOT NULL,
          "ticks_done" integer NOT NULL,
          "ticks_total" integer,
          "out_dir" text,
          "error" text,
          "created_at_ms" bigint NOT NULL,
          "updated_at_ms" bigint NOT NULL,
          "arrival" bigint GENERATED ALWAYS AS IDENTITY,
          CONSTRAINT "run_pkey" PRIMARY KEY ("run_id")
        )`,
      );
      await queryRunner.query(
        `CREATE INDEX "run_newest_first" ON "${s}"."run" ("created_at_ms" DESC, "arrival" DESC)`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE "${s}"."run"`);
    }
  };
}

/**
 * Adds what resuming a run needs to know of it: how far its checkpoints reach, and where
 * a restart resumed it. Runs recorded before have no checkpoint: 0 and null.
 */
export function runResumeColumnsMigration(schema: string): MigrationClass {
  const s = assertSchemaName(schema);
  return class RunResumeColumnsMigration implements MigrationInterface {
    readonly name = `AddRunResumeColumns${RUN_RESUME_AT}`;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(
        `ALTER TABLE "${s}"."run"
          ADD COLUMN "ticks_checkpointed" integer NOT NULL DEFAULT 0,
          ADD COLUMN "resumed_from_tick" integer`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(
        `ALTER TABLE "${s}"."run" DROP COLUMN "ticks_checkpointed", DROP COLUMN "resumed_from_tick"`,
      );
    }
  };
}

/** The migrations for a schema holding `tables`, in the order they must run. */
export function persistenceMigrations(
  schema: string,
  tables: readonly PersistenceTable[],
): MigrationClass[] {
  const migrations: MigrationClass[] = [];
  if (tables.includes('checkpoints')) migrations.push(checkpointTableMigration(schema));
  if (tables.includes('runs'))
    migrations.push(runTableMigration(schema), runResumeColumnsMigration(schema));
  return migrations;
}
