import type { StageCheckpoint } from '@tightloop/core';

/** tick_index and seq are Postgres `integer` columns. */
const INT4_MAX = 2_147_483_647;

function assertKeyPart(name: string, value: number, cp: StageCheckpoint<unknown>): void {
  if (!Number.isInteger(value) || value < 0 || value > INT4_MAX) {
    throw new Error(
      `checkpoint of run ${cp.runId}: ${name} must be an integer in [0, ${INT4_MAX}], got ${value}`,
    );
  }
}

/**
 * A checkpoint's state as the JSON text every store keeps. The in-memory store uses the
 * same encoding as the database ones so that all of them agree on what survives a save:
 * numbers exactly (shortest round-trip text; jsonb stores it as numeric), but not -0,
 * NaN, Infinity, undefined properties or class instances, which JSON cannot express.
 * Keys are checked here so every store refuses the same bad input.
 */
export function encodeCheckpointState(cp: StageCheckpoint<unknown>): string {
  if (typeof cp.runId !== 'string' || cp.runId.length === 0) {
    throw new Error('checkpoint has no runId');
  }
  assertKeyPart('tickIndex', cp.tickIndex, cp);
  assertKeyPart('seq', cp.seq, cp);
  const text = JSON.stringify(cp.state);
  if (text === undefined) {
    throw new Error(
      `checkpoint (${cp.runId}, ${cp.tickIndex}, ${cp.seq}) has a state JSON cannot encode`,
    );
  }
  return text;
}

/** Orders checkpoints of one run by (tickIndex, seq), as every store returns them. */
export function compareCheckpoints(
  a: Pick<StageCheckpoint<unknown>, 'tickIndex' | 'seq'>,
  b: Pick<StageCheckpoint<unknown>, 'tickIndex' | 'seq'>,
): number {
  return a.tickIndex - b.tickIndex || a.seq - b.seq;
}
