import { z } from 'zod';
import { runIdSchema, STAGE_PAYLOADS, type Stage, type StagePayload } from './subjects';

export const ENVELOPE_SCHEMA_VERSION = 1;

/**
 * Every message: its stage, schema version, run, tick instant and sequence within the
 * tick (the idempotency key is runId + tickMs + seq), and a correlation id linking a
 * tick's messages. Trace context travels in transport headers, not here.
 */
export function envelopeSchema<S extends Stage>(stage: S) {
  return z.object({
    type: z.literal(stage),
    schemaVersion: z.literal(ENVELOPE_SCHEMA_VERSION),
    runId: runIdSchema,
    tickMs: z.number().int(),
    seq: z.number().int().nonnegative(),
    correlationId: z.string().min(1),
    payload: STAGE_PAYLOADS[stage],
  });
}

export interface Envelope<S extends Stage> {
  type: S;
  schemaVersion: typeof ENVELOPE_SCHEMA_VERSION;
  runId: string;
  tickMs: number;
  seq: number;
  correlationId: string;
  payload: StagePayload<S>;
}

export function envelope<S extends Stage>(
  stage: S,
  fields: Omit<Envelope<S>, 'type' | 'schemaVersion'>,
): Envelope<S> {
  return { type: stage, schemaVersion: ENVELOPE_SCHEMA_VERSION, ...fields };
}
