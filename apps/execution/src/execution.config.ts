import { z } from 'zod';

/**
 * The execution service's settings beyond every stage service's: where its ledger of
 * executed units lives. Without DATABASE_URL the ledger is in memory (tests, `tightloop up`
 * without a database) and a restarted service no longer knows what it executed before.
 */
export const executionConfigSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case Postgres schema name')
    .default('execution'),
});
