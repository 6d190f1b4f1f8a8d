import { spawn } from 'node:child_process';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { RunningStageService } from '@tightloop/stage-host';
import { start as execution } from '../../execution/src/main';
import { start as exposureMonitor } from '../../exposure-monitor/src/main';
import { start as pnlMonitor } from '../../pnl-monitor/src/main';
import { start as positionMonitor } from '../../position-monitor/src/main';
import { start as riskMonitor } from '../../risk-monitor/src/main';
import { start as strategy } from '../../strategy/src/main';

const SERVICES: Record<string, (env: NodeJS.ProcessEnv) => Promise<RunningStageService>> = {
  'position-monitor': positionMonitor,
  'exposure-monitor': exposureMonitor,
  'risk-monitor': riskMonitor,
  'pnl-monitor': pnlMonitor,
  strategy,
  execution,
};

function serviceName(name: string): string {
  if (!(name in SERVICES)) {
    throw new InvalidArgumentError(
      `unknown service "${name}"; services: ${Object.keys(SERVICES).join(', ')}`,
    );
  }
  return name;
}

/** `tightloop serve <service>`: one stage service in this process, configured by env. */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'run one stage service (NATS_URL, HTTP_PORT, TIGHTLOOP_STARTUP_MODE from the environment)',
    )
    .argument('<service>', Object.keys(SERVICES).join(' | '), serviceName)
    .action(async (service: string) => {
      const running = await SERVICES[service]!(process.env);
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
      const children = Object.keys(SERVICES).map((service, k) =>
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
