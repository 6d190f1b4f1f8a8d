import { z } from 'zod';
import { assertSchemaName } from './schema-name.guard';

/**
 * How every service reads its database settings from the environment, so that a value one
 * service refuses no other accepts. The URL is never echoed: it usually carries a password.
 */
export const postgresUrlSchema = z.string().refine((url) => {
  try {
    return /^postgres(ql)?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}, 'must be a postgres:// or postgresql:// URL');

/** A schema name as `assertSchemaName` accepts it, its message on refusal. */
export const schemaNameSchema = z.string().superRefine((name, ctx) => {
  try {
    assertSchemaName(name);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});
