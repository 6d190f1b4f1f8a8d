// `npm run bench`: one-year hourly backtests of each strategy, in process, each in its own
// child process (for a clean peak-memory reading), three repetitions; the median is kept.
// Writes bench/results/backtest.json; BENCHMARKS.md summarises it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STRATEGY_MODES } from '@tightloop/contracts';

const START = '2024-06-01';
const END = '2025-06-01';
const REPEATS = 3;
const root = path.join(__dirname, '..');

interface Sample {
  strategy: string;
  dataset: string;
  ticks: number;
  wallSeconds: number;
  ticksPerSecond: number;
  timings: { loadSeconds: number; loopSeconds: number; writeSeconds: number };
  peakRssMb: number;
}

function runOnce(strategy: string): { sample: Sample; processSeconds: number } {
  const t0 = process.hrtime.bigint();
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'one-backtest.ts'), strategy, START, END],
    {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.base.json') },
      encoding: 'utf8',
    },
  );
  const processSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { sample: JSON.parse(out.trim().split('\n').pop()!) as Sample, processSeconds };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const results = STRATEGY_MODES.map((strategy) => {
  const runs = Array.from({ length: REPEATS }, () => runOnce(strategy));
  const samples = runs.map((r) => r.sample);
  const row = {
    strategy,
    dataset: samples[0]!.dataset,
    ticks: samples[0]!.ticks,
    wallSecondsMedian: median(samples.map((s) => s.wallSeconds)),
    loadSecondsMedian: median(samples.map((s) => s.timings.loadSeconds)),
    loopSecondsMedian: median(samples.map((s) => s.timings.loopSeconds)),
    ticksPerSecondMedian: median(samples.map((s) => s.ticksPerSecond)),
    processSecondsMedian: median(runs.map((r) => r.processSeconds)),
    peakRssMbMax: Math.max(...samples.map((s) => s.peakRssMb)),
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
  return row;
});

const report = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: os.totalmem() / 2 ** 30,
    node: process.version,
  },
  window: { start: START, end: END },
  repeats: REPEATS,
  results,
};
mkdirSync(path.join(__dirname, 'results'), { recursive: true });
writeFileSync(
  path.join(__dirname, 'results', 'backtest.json'),
  `${JSON.stringify(report, null, 2)}\n`,
);
