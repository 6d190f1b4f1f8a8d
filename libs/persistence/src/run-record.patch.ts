import type { RunRecord } from '@tightloop/core';

export type RunPatch = Partial<Omit<RunRecord, 'runId' | 'createdAtMs'>>;

/**
 * The fields a patch really changes. `undefined` means "leave as is" (a database cannot
 * store it), and runId/createdAtMs never change even if an untyped caller sends them.
 */
export function cleanRunPatch(patch: RunPatch): RunPatch {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined && key !== 'runId' && key !== 'createdAtMs') clean[key] = value;
  }
  return clean as RunPatch;
}
