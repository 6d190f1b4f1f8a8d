import { z } from 'zod';

const HOUR_MS = 3_600_000;

/** `2024-06-01` or an ISO instant with a zone (`2024-06-01T12:00:00Z`), on a full UTC hour. */
export const instantSchema = z.string().transform((text, ctx) => {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ms = /(Z|[+-]\d{2}:\d{2})$/.test(iso) ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a date (YYYY-MM-DD) or an ISO instant with a zone`,
    });
    return z.NEVER;
  }
  if (ms % HOUR_MS !== 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not on a full hour (ticks are hourly, UTC)`,
    });
    return z.NEVER;
  }
  return ms;
});

export const backtestRequestSchema = z
  .object({
    strategy: z.string().min(1),
    start: instantSchema,
    end: instantSchema,
    outDir: z.string().min(1),
    dataDir: z.string().min(1).optional(),
    cacheDir: z.string().min(1),
    capital: z.number().finite().min(0, 'capital must not be negative').optional(),
    configOverrides: z.record(z.string(), z.unknown()).default({}),
    /** Where the stages run: this process (default) or the services over NATS. */
    transport: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('in-process') }),
        z.object({
          kind: z.literal('nats'),
          natsUrl: z.string().min(1),
          /** How long a stage call may go unanswered before it counts as lost and is retried. */
          requestTimeoutMs: z.number().int().positive().default(30_000),
          /** Retries of a stage call nobody answered (a service restarting, NATS reconnecting). */
          retry: z
            .object({ attempts: z.number().int().min(1), firstDelayMs: z.number().min(0) })
            .default({ attempts: 8, firstDelayMs: 100 }),
        }),
      ])
      .default({ kind: 'in-process' }),
    /** Names the run on the bus; generated when absent. */
    runId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .refine((r) => r.end > r.start, { message: 'end must be after start', path: ['end'] });

export type BacktestRequestInput = z.input<typeof backtestRequestSchema>;
export type BacktestRequest = z.output<typeof backtestRequestSchema>;
