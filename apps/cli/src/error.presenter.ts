import { ZodError } from 'zod';

/**
 * One readable message per failure: what went wrong and where. The stack trace of an
 * unexpected error is shown only with TIGHTLOOP_DEBUG=1, for whoever debugs it.
 */
export function describeError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (error instanceof ZodError) {
    return error.issues
      .map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      )
      .join('; ');
  }
  if (error instanceof Error)
    return env.TIGHTLOOP_DEBUG ? (error.stack ?? error.message) : error.message;
  return String(error);
}
