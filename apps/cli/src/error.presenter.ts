import { ZodError } from 'zod';

/** One readable message per failure: what went wrong and where, never a bare stack for known errors. */
export function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues
      .map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      )
      .join('; ');
  }
  if (error instanceof Error) {
    const known = [
      'UnknownStrategyError',
      'DataError',
      'QualityGateError',
      'ExecutionFailedError',
      'LoopInvariantError',
    ];
    return known.includes(error.name) ? error.message : (error.stack ?? error.message);
  }
  return String(error);
}
