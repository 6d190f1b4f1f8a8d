import { Command, CommanderError } from 'commander';
import { describeError } from './error.presenter';
import { backtestCommand } from './backtest.command';
import { serveCommand, upCommand } from './services.command';
import { runsCommand } from './runs.command';
import { strategiesCommand } from './strategies.command';

async function main(argv: string[]): Promise<number> {
  const program = new Command('tightloop')
    .description(
      'Tightloop: multi-venue crypto yield strategies, one tight loop for backtest and live',
    )
    .exitOverride()
    .addCommand(backtestCommand())
    .addCommand(strategiesCommand())
    .addCommand(runsCommand())
    .addCommand(serveCommand())
    .addCommand(upCommand());
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`error: ${describeError(error)}\n`);
    return 1;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
