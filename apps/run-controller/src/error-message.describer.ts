import { ZodError } from 'zod';

/**
 * One readable line per failure, the same shape the CLI prints: each schema problem as
 * `field: message`, otherwise the error's own message (the runner's errors name the file,
 * line, strategy or gate). Stacks stay in the log, never in a response.
 */
export function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues
      .map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      )
      .join('; ');
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
