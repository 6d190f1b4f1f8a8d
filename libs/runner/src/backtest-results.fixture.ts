import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBacktest, type BacktestServices } from './backtest.runner';
import type { BacktestRequestInput } from './backtest.request';

/** One shared synthetic dataset per test file: generating it is the slow part. */
export const testCacheDir = () => mkdtempSync(path.join(os.tmpdir(), 'tl-cp-cache-'));

/** Runs a backtest into a fresh directory; returns the directory and where its loop began. */
export async function backtestInto(
  input: Omit<BacktestRequestInput, 'outDir'>,
  services: BacktestServices = {},
): Promise<{ dir: string; fromTick: number }> {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-cp-run-')), 'run');
  let fromTick = -1;
  await runBacktest(
    { ...input, outDir: dir },
    { onStart: (_, from) => (fromTick = from) },
    services,
  );
  return { dir, fromTick };
}

/**
 * What "identical results" means for two runs of one backtest: every file byte for byte,
 * summary.json but for its wall time (as the determinism and NATS parity tests compare).
 */
export function resultFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    files[name] =
      name === 'summary.json' ? JSON.stringify({ ...JSON.parse(text), wallSeconds: 0 }) : text;
  }
  return files;
}
