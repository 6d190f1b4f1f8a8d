import { spawn } from 'node:child_process';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { RunningStageService } from '@tightloop/stage-host';
/** Each stage is its own app; the CLI only launches their entry points by name. */
const SERVICES = [
  'position-monitor',
  'exposure-monitor',
  'risk-monitor',
  'pnl-monitor',
  'strategy',
  'execution',
];
const APPS_DIR = path.join(__dirname, '..', '..');

function serviceName(name: string): string {
  if (!SERVICES.includes(name)) {
    throw new InvalidArgumentError(`unknown service "${name}"; services: ${SERVICES.join(', ')}`);
  }
  return name;
}

function startService(service: string, env: NodeJS.ProcessEnv): Promise<RunningStageService> {
  // Loaded by name at run time: apps do not import each other (module boundaries), and
  // require keeps the TypeScript loader of the CLI in charge.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entry = require(path.join(APPS_DIR, service, 'src', 'main')) as {
    start: (env: NodeJS.ProcessEnv) => Promise<RunningStageService>;
  };
  return entry.start(env);
}

/** `tightloop serve <service>`: one stage service in this process, configured by env. */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'run one stage service (NATS_URL, HTTP_PORT, TIGHTLOOP_STARTUP_MODE from the environment)',
    )
    .argument('<service>', SERVICES.join(' | '), serviceName)
    .action(async (service: string) => {
      const running = await startService(service, process.env);
      process.stderr.write(
        `${service} serving on NATS, health on http://127.0.0.1:${running.httpPort}/health/ready\n`,
      );
    });
}

/**
 * `tightloop up`: every stage service as its own process on this machine, without Docker,
 * health ports from `--base-port` up; stops them all on Ctrl-C.
 */
export function upCommand(): Command {
  return new Command('up')
    .description('start all stage services locally as separate processes (no Docker)')
    .option('--nats-url <url>', 'NATS server', process.env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .option('--base-port <port>', 'first health port', '3101')
    .action(async (opts: { natsUrl: string; basePort: string }) => {
      const bin = path.join(__dirname, '..', '..', '..', 'bin', 'tightloop.js');
      const children = SERVICES.map((service, k) =>
        spawn(process.execPath, [bin, 'serve', service], {
          stdio: 'inherit',
          env: {
            ...process.env,
            NATS_URL: opts.natsUrl,
            HTTP_PORT: String(Number(opts.basePort) + k),
          },
        }),
      );
      const stop = () => children.forEach((c) => c.kill('SIGTERM'));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await Promise.all(children.map((c) => new Promise((resolve) => c.on('exit', resolve))));
    });
}
