import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'apps', 'run-controller', 'src', 'main.ts');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface RunView {
  runId: string;
  status: string;
  error: string | null;
  progress: { ticksDone: number; ticksTotal: number | null; ticksCheckpointed: number };
  resumedFromTick: number | null;
}

interface Envelope {
  data?: RunView & RunView[];
  error?: { code: string; message: string };
}

async function json(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Envelope };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Controller {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
  post(body: unknown): ReturnType<typeof json>;
  run(runId: string): Promise<RunView>;
  list(): Promise<RunView[]>;
  /** Polls until `done` holds of the run, within about a minute. */
  until(runId: string, done: (run: RunView) => boolean, pollMs?: number): Promise<RunView>;
}

/**
 * The run controller as the CLI starts it, under tsx, on the given environment (on top of
 * this one, with no data dir, database or transport unless given); resolves once ready.
 * Its stdout and stderr go to `onOutput`.
 */
export async function startRunControllerProcess(
  vars: Record<string, string>,
  onOutput: (text: string) => void,
): Promise<Controller> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const unset of ['TIGHTLOOP_DATA_DIR', 'DATABASE_URL', 'STAGES_TRANSPORT']) delete env[unset];
  Object.assign(env, {
    TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.base.json'),
    HTTP_PORT: String(port),
    LOG_LEVEL: 'warn',
    NO_COLOR: '1',
    ...vars,
  });
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', MAIN], { cwd: ROOT, env });
  child.stdout?.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  let ready = false;
  for (let attempt = 0; attempt < 600 && !ready && child.exitCode === null; attempt++) {
    await sleep(100);
    ready = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error('the run controller did not become ready');
  }
  const run = async (runId: string) => (await json(`${base}/api/v1/backtests/${runId}`)).body.data!;
  return {
    child,
    base,
    exited,
    post: (body) =>
      json(`${base}/api/v1/backtests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    run,
    list: async () => (await json(`${base}/api/v1/backtests`)).body.data!,
    until: async (runId, done, pollMs = 100) => {
      let view = await run(runId);
      for (let k = 0; k < 60_000 / pollMs && !done(view); k++) {
        await sleep(pollMs);
        view = await run(runId);
      }
      return view;
    },
  };
}
