// One in-process backtest in a fresh process, so peak memory is this run's alone.
// Prints one JSON line; used by backtest.bench.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBacktest } from '@tightloop/runner';

async function main() {
  const [strategy, start, end] = process.argv.slice(2) as [string, string, string];
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'tightloop-bench-'));
  const dataDir = process.env.TIGHTLOOP_DATA_DIR || undefined;
  const t0 = process.hrtime.bigint();
  const outcome = await runBacktest({
    strategy,
    start,
    end,
    outDir: path.join(outDir, 'run'),
    cacheDir: process.env.TIGHTLOOP_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'tightloop'),
    ...(dataDir ? { dataDir } : {}),
  });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(outDir, { recursive: true, force: true });
  const s = outcome.summary as { ticks: number; dataset: { kind: string } };
  process.stdout.write(
    `${JSON.stringify({
      strategy,
      dataset: s.dataset.kind,
      ticks: s.ticks,
      wallSeconds,
      ticksPerSecond: s.ticks / wallSeconds,
      timings: outcome.timings,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

void main();
