import path from 'node:path';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Logger } from '@nestjs/common';
import { Command, InvalidArgumentError } from 'commander';
import { runBacktest } from '@tightloop/runner';
import { defaultStateDir, RunHistoryEntry } from './run-history';
import type { Telemetry } from '@tightloop/telemetry';
import { ProgressReporter } from './progress.reporter';

function parseCapital(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`"${text}" is not a number`);
  if (value < 0) throw new InvalidArgumentError('capital must not be negative');
  return value;
}

function readConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InvalidArgumentError(`cannot read config file ${file}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError(
      `config file ${file} is not a JSON object: ${(error as Error).message}`,
    );
  }
}

/**
 * Tracing when the environment names an OTLP endpoint. OpenTelemetry is loaded only then,
 * so an untraced backtest starts as fast as without it; by `require`, which tsx resolves
 * workspace aliases for (`import()` it does not). Its log lines go to stderr: stdout
 * carries the summary.
 */
function telemetryFromEnv(env: NodeJS.ProcessEnv): Telemetry | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return undefined;
  const { exportsTraces, readTelemetryConfig, startTelemetry } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tightloop/telemetry') as typeof import('@tightloop/telemetry');
  const config = readTelemetryConfig(env);
  return exportsTraces(config)
    ? startTelemetry(config, { logDestination: process.stderr })
    : undefined;
}

/** Where the generated synthetic dataset is cached between runs. */
export function defaultCacheDir(): string {
  return (
    process.env.TIGHTLOOP_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'tightloop')
  );
}

export function backtestCommand(): Command {
  return new Command('backtest')
    .description('run a backtest in this process (embedded default) and write its results')
    .requiredOption('-s, --strategy <mode>', 'strategy mode, e.g. btc_basis or pure_lending_usdt')
    .option('--start <date>', 'first tick, YYYY-MM-DD or ISO instant (UTC)', '2024-06-01')
    .option('--end <date>', 'last tick, inclusive', '2025-06-01')
    .option('-o, --out <dir>', 'results directory (default runs/<strategy>_<start>_<end>)')
    .option(
      '-d, --data <dir>',
      'market data directory (default $TIGHTLOOP_DATA_DIR, else a generated synthetic dataset)',
    )
    .option(
      '-c, --capital <amount>',
      "initial capital in the share class, overrides the strategy's",
      parseCapital,
    )
    .option('--config <file>', 'JSON file of strategy parameter overrides', readConfig)
    .option(
      '-t, --transport <kind>',
      'in-process (default) or nats: the stage services, see `tightloop up`',
      'in-process',
    )
    .option(
      '--nats-url <url>',
      'NATS server for --transport nats',
      process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    )
    .option(
      '--state <dir>',
      'where runs and their final state are kept across runs ($TIGHTLOOP_STATE_DIR, else ~/.local/state/tightloop)',
      defaultStateDir(),
    )
    .option('--no-state', 'keep no record of this run')
    .option('-q, --quiet', 'print only the summary line')
    .action(async (opts) => {
      const outDir = opts.out ?? path.join('runs', `${opts.strategy}_${opts.start}_${opts.end}`);
      const dataDir: string | undefined = opts.data ?? process.env.TIGHTLOOP_DATA_DIR;
      const progress = new ProgressReporter(opts.strategy);
      const log = (line: string) => {
        if (!opts.quiet) process.stderr.write(`${line}\n`);
      };
      const telemetry = telemetryFromEnv(process.env);
      const request = {
        strategy: opts.strategy,
        start: opts.start,
        end: opts.end,
        ...(dataDir ? { dataDir } : {}),
        ...(opts.capital !== undefined ? { capital: opts.capital } : {}),
        configOverrides: opts.config ?? {},
        transport:
          opts.transport === 'nats'
            ? { kind: 'nats' as const, natsUrl: opts.natsUrl }
            : { kind: opts.transport },
      };
      const history = opts.state === false ? null : new RunHistoryEntry(request, log);
      // The NATS client logs its connection's life through Nest's logger; a CLI user wants
      // the summary, and warnings and errors.
      if (opts.transport === 'nats') Logger.overrideLogger(['error', 'warn']);
      try {
        const outcome = await runBacktest(
          { ...request, outDir, cacheDir: defaultCacheDir(), runId: history?.runId },
          {
            onStart: (ticks) => {
              log(`running ${opts.strategy}: ${ticks} hourly ticks`);
              history?.started(ticks);
              progress.start(ticks);
            },
            onProgress: (done) => progress.update(done),
            onDataRule: (rule) => log(`data rule: ${rule}`),
          },
          telemetry ? { tracer: telemetry.tracer } : {},
        ).catch(async (error: unknown) => {
          progress.stop();
          await history?.failed(opts.state, error);
          throw error;
        });
        progress.stop();
        const s = outcome.summary as Record<string, number | string | { kind: string }>;
        const f = (x: unknown) => `${((x as number) * 100).toFixed(3)}%`;
        process.stdout.write(
          `${s.strategy} ${s.start} -> ${s.end} on ${(s.dataset as { kind: string }).kind} data: ` +
            `equity ${(s.finalEquity as number).toFixed(2)} ${s.shareClass}, return ${f(s.totalReturn)}, ` +
            `APY ${f(s.apy)}, max drawdown ${f(s.maxDrawdown)}, ${s.instructions} instructions, ` +
            `${s.ticks} ticks in ${(s.wallSeconds as number).toFixed(2)} s\nresults: ${outcome.outDir}\n`,
        );
        // After the summary: the results are out, the record is bookkeeping.
        await history?.completed(opts.state, outcome);
      } finally {
        progress.stop();
        await telemetry?.shutdown();
      }
    });
}
