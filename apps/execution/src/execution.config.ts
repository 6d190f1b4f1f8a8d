import { z } from 'zod';

/**
 * The execution service's own settings, beside the stage service's: where its ledger of
 * executed units lives. Without DATABASE_URL the ledger is in memory (tests, `tightloop up`)
 * and a restarted service no longer knows what it executed before.
 */
export const executionConfigSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case Postgres schema name')
    .default('execution'),
});
export type ExecutionConfig = z.infer<typeof executionConfigSchema>;

export function readExecutionConfig(env: NodeJS.ProcessEnv): ExecutionConfig {
  const parsed = executionConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid execution configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
