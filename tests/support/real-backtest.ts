import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBacktest } from '@tightloop/runner';
import { readCsv } from './csv';
import { REAL_DATA_DIR } from './real-data';

export const WINDOW = { start: '2024-06-01', end: '2025-06-01' } as const;

export interface RealRun {
  out: string;
  summary: Record<string, unknown> & {
    attribution: Record<string, number>;
    initialCapital: number;
  };
  csv(name: string): Record<string, string>[];
}

/** One year of `strategy` on the shared history, results in a temp dir. */
export async function realBacktest(strategy: string): Promise<RealRun> {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), `tl-${strategy}-`)), 'run');
  const { summary } = await runBacktest({
    strategy,
    ...WINDOW,
    outDir: out,
    dataDir: REAL_DATA_DIR!,
    cacheDir: os.tmpdir(),
  });
  return {
    out,
    summary: summary as RealRun['summary'],
    csv: (name) => readCsv(path.join(out, `${name}.csv`)),
  };
}

/** Checks every mode shares: acts on the first tick, and its attribution explains its pnl. */
export function expectSoundRun(run: RealRun): void {
  const instructions = run.csv('instructions');
  expect(instructions[0]!.timestamp).toBe(`${WINDOW.start}T00:00:00.000Z`);
  expect(instructions.every((i) => i.outcome === 'executed')).toBe(true);
  expect(run.csv('reconciliations').every((r) => r.result === 'ok')).toBe(true);
  expect(Math.abs(run.summary.unexplainedPnl as number)).toBeLessThan(
    0.001 * run.summary.initialCapital,
  );
}
