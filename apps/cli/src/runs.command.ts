import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { RunRecord } from '@tightloop/core';
import { decodeExactJson } from '@tightloop/runner';
import { defaultStateDir } from './run-history';

/** `tightloop runs`: the backtests this machine's embedded default has recorded. */
export function runsCommand(): Command {
  return new Command('runs')
    .description('list the runs `tightloop backtest` recorded, newest first')
    .option('--state <dir>', 'where runs are kept (as for backtest)', defaultStateDir())
    .option('--json', 'print each run record, and a completed run its final positions, as JSON')
    .action(async (opts: { state: string; json?: boolean }) => {
      if (!existsSync(path.join(opts.state, 'db'))) {
        process.stderr.write(`no runs recorded in ${opts.state}\n`);
        return;
      }
      // Loaded here, not with the CLI: TypeORM and PGlite add to every command's start.
      const { withRunHistory } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('./run-history.store') as typeof import('./run-history.store');
      await withRunHistory(opts.state, async ({ registry, finals }) => {
        const runs = await registry.list();
        if (!opts.json) {
          for (const run of runs) process.stdout.write(`${line(run)}\n`);
          return;
        }
        const withState = [];
        for (const run of runs) {
          const final = await finals.latest(run.runId);
          const loop = final
            ? decodeExactJson<{ state: unknown; nextTickIndex: number }>(final.state.text)
            : null;
          withState.push({ ...run, finalPositions: loop?.state ?? null });
        }
        process.stdout.write(`${JSON.stringify(withState, null, 2)}\n`);
      });
    });
}

function line(run: RunRecord): string {
  const { start, end } = run.request as { start?: string; end?: string };
  const where = run.status === 'completed' ? run.outDir : run.error;
  return [
    run.runId,
    new Date(run.createdAtMs).toISOString(),
    run.strategy,
    `${start}..${end}`,
    run.status,
    `${run.ticksDone}/${run.ticksTotal ?? '?'} ticks`,
    where ?? '',
  ].join('\t');
}
