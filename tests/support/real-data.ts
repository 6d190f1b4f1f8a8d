import { existsSync } from 'node:fs';

/** The shared market history, when this machine has it (CI sets TIGHTLOOP_DATA_DIR). */
export const REAL_DATA_DIR = process.env.TIGHTLOOP_DATA_DIR || undefined;
export const HAS_REAL_DATA = Boolean(REAL_DATA_DIR && existsSync(REAL_DATA_DIR));

/** `describe` when the real data is present; otherwise skipped with one line saying why. */
export function describeWithRealData(name: string, body: () => void): void {
  if (HAS_REAL_DATA) {
    describe(name, body);
  } else {
    console.warn(`skipping "${name}": set TIGHTLOOP_DATA_DIR to the shared market data to run it`);
    describe.skip(name, body);
  }
}
