import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, runCliAsync } from '../support/run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tl-history-'));
const state = path.join(tmp, 'state');
const env = { TIGHTLOOP_STATE_DIR: state };
const WEEK = ['--start', '2024-06-01', '--end', '2024-06-08'];

interface Listed {
  runId: string;
  strategy: string;
  status: string;
  outDir: string | null;
  error: string | null;
  ticksDone: number;
  finalPositions: { amounts: Record<string, number> } | null;
}

const listed = (): Listed[] => {
  const r = runCli(['runs', '--json'], env);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
};

// Story: the embedded default keeps its runs across runs, in an embedded Postgres (PGlite)
// under the state directory: each backtest's record and its positions after the last
// tick. Backtests run side by side take turns at the store instead of failing.
describe('tightloop backtest keeps its runs', () => {
  it('records runs side by side, newest first, each with its final positions', async () => {
    const out = (name: string) => path.join(tmp, name);
    const [a, b] = await Promise.all([
      runCliAsync(['backtest', '-s', 'btc_basis', ...WEEK, '-o', out('a'), '-q'], env),
      runCliAsync(['backtest', '-s', 'pure_lending_usdt', ...WEEK, '-o', out('b'), '-q'], env),
    ]);
    expect([a.status, a.stderr]).toEqual([0, '']);
    expect([b.status, b.stderr]).toEqual([0, '']);

    const runs = listed();
    expect(runs.map((r) => r.strategy).sort()).toEqual(['btc_basis', 'pure_lending_usdt']);
    for (const run of runs) {
      expect(run).toMatchObject({ status: 'completed', ticksDone: 169, error: null });
      // The positions after the last tick are the last row of its positions.csv.
      const [header, ...rows] = readFileSync(path.join(run.outDir!, 'positions.csv'), 'utf8')
        .trim()
        .split('\n');
      const keys = header!.split(',').slice(1);
      const last = rows[rows.length - 1]!.split(',').slice(1).map(Number);
      // (Its perp columns, entry price and accrued funding, are the perps' own state.)
      const csv = Object.fromEntries(
        keys.map((k, i) => [k, last[i]]).filter(([k]) => !String(k).includes('__')),
      );
      expect(run.finalPositions!.amounts).toEqual(csv);
    }
    const text = runCli(['runs'], env).stdout.trim().split('\n');
    expect(text).toHaveLength(2);
    expect(text[0]).toMatch(
      /^cli-\S+\t\S+Z\t\w+\t2024-06-01\.\.2024-06-08\tcompleted\t169\/169 ticks\t/,
    );
  });

  it('records a run that failed once started, and none with --no-state', () => {
    const failed = runCli(
      ['backtest', '-s', 'pure_lending_usdt', ...WEEK, '--capital', '0', '-o', path.join(tmp, 'c')],
      env,
    );
    expect(failed.status).toBe(1);
    const skipped = runCli(
      ['backtest', '-s', 'btc_basis', ...WEEK, '--no-state', '-o', path.join(tmp, 'd'), '-q'],
      env,
    );
    expect(skipped.status).toBe(0);
    const runs = listed();
    expect(runs).toHaveLength(3);
    expect(runs[0]).toMatchObject({
      strategy: 'pure_lending_usdt',
      status: 'failed',
      outDir: null,
      finalPositions: null,
      error: expect.stringContaining('BACKTEST.NO_INITIAL_CAPITAL'),
    });
  });

  it('says so when nothing was recorded yet', () => {
    const empty = path.join(tmp, 'empty');
    const r = runCli(['runs'], { TIGHTLOOP_STATE_DIR: empty });
    expect(r).toMatchObject({ status: 0, stdout: '' });
    expect(r.stderr).toContain(`no runs recorded in ${empty}`);
    expect(existsSync(empty)).toBe(false);
  });
});
