import { postgresUrlSchema, schemaNameSchema } from '@tightloop/persistence';
import { z } from 'zod';

/**
 * The execution service's settings beyond every stage service's: where its ledger of
 * executed units lives. Without DATABASE_URL the ledger is in memory (tests, `tightloop up`
 * without a database) and a restarted service no longer knows what it executed before.
 */
export const executionConfigSchema = z.object({
  DATABASE_URL: postgresUrlSchema.optional(),
  DB_SCHEMA: schemaNameSchema.default('execution'),
});
