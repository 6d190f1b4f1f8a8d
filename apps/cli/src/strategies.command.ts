import { Command } from 'commander';
import { STRATEGY_MODES } from '@tightloop/contracts';
import { resolveStrategyConfig } from '@tightloop/core';

export function strategiesCommand(): Command {
  return new Command('strategies')
    .description('list strategy modes and their default parameters')
    .option('--json', 'print the full default config of each mode as JSON')
    .action((opts: { json?: boolean }) => {
      const configs = STRATEGY_MODES.map((mode) => resolveStrategyConfig(mode));
      if (opts.json) process.stdout.write(`${JSON.stringify(configs, null, 2)}\n`);
      else
        for (const c of configs)
          process.stdout.write(`${c.mode}\t${c.shareClass}\tinitial capital ${c.initialCapital}\n`);
    });
}
