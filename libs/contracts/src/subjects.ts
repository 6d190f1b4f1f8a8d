import { z } from 'zod';
import { marketSnapshotSchema } from './market';
import {
  executionReportSchema,
  exposureSchema,
  pnlReportSchema,
  positionSnapshotSchema,
  riskReportSchema,
  strategyDecisionSchema,
} from './stage-messages';

/** A run id is one subject token: letters, digits, `_` and `-` only. */
export const runIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'run id: 1-64 of A-Z a-z 0-9 _ -');

/** Each stage's output, and the payload schema on its subject. One map types publish and subscribe. */
export const STAGE_PAYLOADS = {
  tick: marketSnapshotSchema,
  positions: positionSnapshotSchema,
  exposure: exposureSchema,
  risk: riskReportSchema,
  pnl: pnlReportSchema,
  decision: strategyDecisionSchema,
  execution: executionReportSchema,
} as const;
export type Stage = keyof typeof STAGE_PAYLOADS;
export type StagePayload<S extends Stage> = z.infer<(typeof STAGE_PAYLOADS)[S]>;

/** Broad to narrow: `tightloop.run.<runId>.<stage>`, so one run's messages share a prefix. */
export function stageSubject(stage: Stage, runId: string): string {
  return `tightloop.run.${runIdSchema.parse(runId)}.${stage}`;
}

/** Every stage of every run, for a subscriber that serves all runs. */
export function allRunsSubject(stage: Stage): string {
  return `tightloop.run.*.${stage}`;
}
