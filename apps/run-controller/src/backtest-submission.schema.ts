import { z } from 'zod';
import { STAGES_TRANSPORTS } from './run-controller.config';

/**
 * The body of `POST /api/v1/backtests`: its shape only. What the values mean (dates on a
 * full hour, end after start, capital not negative, the strategy and its config) is
 * checked by the runner's own schema and config resolution, so the API and the CLI give
 * the same answer and the same message. Unknown fields are refused so a typo such as
 * `captial` is not silently ignored.
 */
export const backtestSubmissionSchema = z.strictObject({
  strategy: z.string().min(1),
  start: z.string().min(1),
  end: z.string().min(1),
  capital: z.number().optional(),
  /** Strategy parameter overrides, validated against the mode's schema. */
  config: z.record(z.string(), z.unknown()).optional(),
  /**
   * Where the stages run: in the run controller's process, or across the stage services
   * over NATS (the controller's NATS_URL). STAGES_TRANSPORT decides when absent.
   */
  transport: z.enum(STAGES_TRANSPORTS).optional(),
});

export type BacktestSubmission = z.infer<typeof backtestSubmissionSchema>;
