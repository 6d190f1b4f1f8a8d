import type { PositionKey } from '@tightloop/contracts';
import type { PositionState } from '../positions/position-state';

export interface ReconciliationTolerance {
  relativeTolerance: number;
  absoluteTolerance: number;
}

export interface Mismatch {
  key: PositionKey;
  expected: number;
  actual: number;
  allowed: number;
}

export interface Reconciliation {
  ok: boolean;
  keysChecked: number;
  mismatches: Mismatch[];
}

/**
 * Expected positions (projection at quoted prices) against the positions after the venue
 * acted. A key may differ by the relative tolerance of its expected change or of the
 * unit's size in that key's units (`sizeInUnits`: fills move a key by slippage on the
 * whole notional, even when its net change is small), plus an absolute floor.
 */
export function reconcile(
  before: PositionState,
  expected: PositionState,
  actual: PositionState,
  tolerance: ReconciliationTolerance,
  sizeInUnits: (key: PositionKey) => number = () => 0,
): Reconciliation {
  const keys = new Set([
    ...Object.keys(expected.amounts),
    ...Object.keys(actual.amounts),
  ]) as Set<PositionKey>;
  const mismatches: Mismatch[] = [];
  for (const key of [...keys].sort()) {
    const exp = expected.amounts[key] ?? 0;
    const act = actual.amounts[key] ?? 0;
    const change = Math.abs(exp - (before.amounts[key] ?? 0));
    if (change === 0 && act === exp) continue;
    const allowed =
      tolerance.absoluteTolerance +
      tolerance.relativeTolerance * Math.max(change, sizeInUnits(key));
    if (Math.abs(exp - act) > allowed)
      mismatches.push({ key, expected: exp, actual: act, allowed });
  }
  return { ok: mismatches.length === 0, keysChecked: keys.size, mismatches };
}
