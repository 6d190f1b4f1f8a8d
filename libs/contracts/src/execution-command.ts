import { z } from 'zod';
import type { Fill } from './instruction';
import { runIdSchema } from './subjects';

/**
 * An execution unit to carry out, as a durable command: published to JetStream (the
 * `TIGHTLOOP` stream holds `tightloop.>`), kept until an execution service has handled and
 * acknowledged it, so a unit sent while the service restarts waits for it instead of
 * being lost. The answer goes to `replyTo` over core NATS; a lost answer is asked again
 * with the same (run, tick, seq), which the service answers from its ledger.
 */
export function executionCommandSubject(runId: string): string {
  return `tightloop.run.${runIdSchema.parse(runId)}.execute`;
}

/** What the execution service consumes: commands of every run. */
export const EXECUTION_COMMANDS = 'tightloop.run.*.execute';

/** Where a run's execution answers come back to the loop. */
export function executionReplySubject(runId: string): string {
  return `tightloop-exec-reply.${runIdSchema.parse(runId)}`;
}

/**
 * The command's envelope; its `request` is an `execution.execute` request, validated by
 * that operation's schema like any stage request.
 */
export const executionCommandSchema = z.object({
  replyTo: z.string().min(1),
  request: z.unknown(),
});
export type ExecutionCommand = z.infer<typeof executionCommandSchema>;

export interface ExecutionAnswer {
  runId: string;
  tickIndex: number;
  seq: number;
  /** The unit's fills; absent with `error`. */
  fills?: Fill[];
  /** True when the unit had been executed before and its recorded fills are returned. */
  fromLedger?: boolean;
  error?: { code: string; message: string };
}
