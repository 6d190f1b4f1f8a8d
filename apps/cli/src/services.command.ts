import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { waitUntilReady } from './health.waiter';

/** Each stage is its own app; the CLI only launches their entry points by name. */
const STAGES = [
  'position-monitor',
  'exposure-monitor',
  'risk-monitor',
  'pnl-monitor',
  'strategy',
  'execution',
];
/** The results API; it drives runs and, with STAGES_TRANSPORT=nats, calls the stages. */
const RUN_CONTROLLER = 'run-controller';
const SERVICES = [...STAGES, RUN_CONTROLLER];
const APPS_DIR = path.join(__dirname, '..', '..');
const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'tightloop.js');
/** How long `up` waits for the stages before it gives up (tsx compiles each at start). */
const STAGES_READY_TIMEOUT_MS = 90_000;

/** What every app's `start(env)` resolves to (the stage host's and the run controller's). */
interface RunningService {
  httpPort: number;
  close(): Promise<void>;
}

function serviceName(name: string): string {
  if (!SERVICES.includes(name)) {
    throw new InvalidArgumentError(`unknown service "${name}"; services: ${SERVICES.join(', ')}`);
  }
  return name;
}

function port(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError(`"${value}" is not a port (0..65535)`);
  return value;
}

function startService(service: string, env: NodeJS.ProcessEnv): Promise<RunningService> {
  // Loaded by name at run time: apps do not import each other (module boundaries), and
  // require keeps the TypeScript loader of the CLI in charge.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entry = require(path.join(APPS_DIR, service, 'src', 'main')) as {
    start: (env: NodeJS.ProcessEnv) => Promise<RunningService>;
  };
  return entry.start(env);
}

/** `tightloop serve <service>`: one service in this process, configured by env. */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'run one service (NATS_URL, HTTP_PORT, TIGHTLOOP_STARTUP_MODE from the environment; ' +
        'the run-controller also DATABASE_URL, DB_SCHEMA, STAGES_TRANSPORT, TIGHTLOOP_RESULTS_DIR)',
    )
    .argument('<service>', SERVICES.join(' | '), serviceName)
    .action(async (service: string) => {
      const running = await startService(service, process.env);
      const health = `health on http://127.0.0.1:${running.httpPort}/health/ready`;
      process.stderr.write(
        service === RUN_CONTROLLER
          ? `${service} serving http://127.0.0.1:${running.httpPort}/api/v1/backtests, ${health}\n`
          : `${service} serving on NATS, ${health}\n`,
      );
    });
}

interface UpOptions {
  natsUrl: string;
  basePort: string;
  apiPort: string;
}

/**
 * `tightloop up`: every stage service as its own process on this machine, without Docker,
 * health ports from `--base-port` up; once they are ready, the run controller on
 * `--api-port`, running its backtests across them over NATS. Stops them all on Ctrl-C.
 */
export function upCommand(): Command {
  return new Command('up')
    .description(
      'start the six stage services and then the run controller locally, as separate processes (no Docker)',
    )
    .option('--nats-url <url>', 'NATS server', process.env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .option('--base-port <port>', 'first health port of the stages', port, '3101')
    .option('--api-port <port>', 'the run controller: results API and health', port, '8080')
    .action(async (opts: UpOptions) => {
      const children: Spawned[] = [];
      let stopping = false;
      const stop = () => {
        stopping = true;
        children.forEach(({ child }) => child.kill('SIGTERM'));
      };
      const allExited = () => Promise.all(children.map((c) => c.exited));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);

      const stagePorts = STAGES.map((_, k) => Number(opts.basePort) + k);
      STAGES.forEach((service, k) =>
        children.push(serve(service, { NATS_URL: opts.natsUrl, HTTP_PORT: String(stagePorts[k]) })),
      );
      // The run controller's first run would otherwise wait on stages still compiling.
      const dead = () =>
        children.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
      const notReady = await waitUntilReady(
        stagePorts,
        STAGES_READY_TIMEOUT_MS,
        () => stopping || dead() !== undefined,
      );
      if (!stopping && (dead() || notReady.length > 0)) {
        const gone = dead();
        stop();
        await allExited();
        const problem = gone
          ? `${gone.service} exited (${gone.child.exitCode ?? gone.child.signalCode}) before it was ready`
          : `not ready after ${STAGES_READY_TIMEOUT_MS / 1000} s: ` +
            notReady.map((p) => `${STAGES[stagePorts.indexOf(p)]} (port ${p})`).join(', ');
        throw new Error(`${problem}; nothing was left running`);
      }
      if (!stopping) {
        children.push(
          serve(RUN_CONTROLLER, {
            NATS_URL: opts.natsUrl,
            HTTP_PORT: opts.apiPort,
            STAGES_TRANSPORT: 'nats',
          }),
        );
      }
      // A service that dies once all are up is said, not hidden; the others stay up.
      for (const { service, child } of children) {
        void exitOf(child).then((how) => {
          if (!stopping)
            process.stderr.write(
              `tightloop up: ${service} exited (${how}); the others keep running; ` +
                `start it again with \`tightloop serve ${service}\`\n`,
            );
        });
      }
      await allExited();
    });
}

interface Spawned {
  service: string;
  child: ChildProcess;
  /** Listened for from the spawn on: a child that exits early must not be missed. */
  exited: Promise<void>;
}

/** How a child ended: its exit code, or the signal that ended it. */
function exitOf(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(String(child.exitCode ?? child.signalCode));
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(String(code ?? signal))),
  );
}

function serve(service: string, env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [BIN, 'serve', service], {
    stdio: 'inherit',
    // Each process its own service name in traces (OTEL_EXPORTER_OTLP_ENDPOINT set), and
    // with DATABASE_URL its own schema, named after it as in docker-compose.yml.
    env: {
      ...process.env,
      OTEL_SERVICE_NAME: service,
      DB_SCHEMA: service.replace(/-/g, '_'),
      ...env,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { service, child, exited };
}
