import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
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

interface RunView {
  runId: string;
  status: string;
  error: string | null;
}

interface Envelope {
  data?: RunView & RunView[];
  error?: { code: string; message: string };
}

async function json(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Envelope };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Controller {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
  post(body: unknown): ReturnType<typeof json>;
  run(runId: string): Promise<RunView>;
  /** Polls until the run's status is not one of `while`. */
  until(runId: string, ...whileIn: string[]): Promise<RunView>;
}

// Story: the service runs as the CLI runs it, under tsx, which emits no decorator metadata
// and loads Nest's ES modules a second time; injection, error mapping and file streaming
// must all still work, and SIGTERM lets a running backtest finish before the process exits.
// With no DATABASE_URL its runs live in the embedded store under the results directory:
// they survive a restart, and a run a crash cut short is failed with the reason.
describe('run controller as its own process (tsx)', () => {
  let tempRoot: string;
  let resultsDir: string;
  const children: ChildProcess[] = [];
  let output = '';

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-api-process-'));
    resultsDir = path.join(tempRoot, 'results');
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(tempRoot, { recursive: true, force: true });
  });

  async function startController(): Promise<Controller> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.base.json'),
      HTTP_PORT: String(port),
      TIGHTLOOP_RESULTS_DIR: resultsDir,
      TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
      LOG_LEVEL: 'warn',
      NO_COLOR: '1',
    };
    for (const unset of ['TIGHTLOOP_DATA_DIR', 'DATABASE_URL', 'STAGES_TRANSPORT'])
      delete env[unset];
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', MAIN], { cwd: ROOT, env });
    children.push(child);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

    let ready = false;
    for (let attempt = 0; attempt < 600 && !ready; attempt++) {
      await sleep(100);
      ready = await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
    }
    expect({ ready, output }).toMatchObject({ ready: true });
    const run = async (runId: string) =>
      (await json(`${base}/api/v1/backtests/${runId}`)).body.data!;
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
      until: async (runId, ...whileIn) => {
        let view = await run(runId);
        for (let k = 0; k < 600 && whileIn.includes(view.status); k++) {
          await sleep(100);
          view = await run(runId);
        }
        return view;
      },
    };
  }

  let shortRunId: string;
  let longRunId: string;

  it('serves runs and results, and shuts down gracefully on SIGTERM', async () => {
    const controller = await startController();
    const { base, post } = controller;
    const submitted = await post({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08' });
    expect(submitted.status).toBe(202);
    shortRunId = submitted.body.data!.runId;
    expect((await controller.until(shortRunId, 'queued', 'running')).status).toBe('completed');

    const csv = await fetch(`${base}/api/v1/backtests/${shortRunId}/files/equity.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toMatch(/^timestamp,equity_sc,/);
    const zip = Buffer.from(
      await (await fetch(`${base}/api/v1/backtests/${shortRunId}/download`)).arrayBuffer(),
    );
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');

    // Errors raised by the platform itself still get the envelope and their status.
    const malformed = await json(`${base}/api/v1/backtests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"strategy":',
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect((await post({ strategy: 'nope', start: '2024-06-01', end: '2024-06-08' })).status).toBe(
      400,
    );

    // A year of data: still running when SIGTERM arrives; shutdown waits for it.
    const long = await post({ strategy: 'btc_basis', start: '2024-06-01', end: '2025-06-01' });
    longRunId = long.body.data!.runId;
    controller.child.kill('SIGTERM');
    await controller.exited;
    await expect(
      access(path.join(resultsDir, longRunId, 'summary.json')).then(() => true),
    ).resolves.toBe(true);
  });

  it('keeps its runs across a restart, and fails the run a crash cut short', async () => {
    const second = await startController();
    const listed = (await json(`${second.base}/api/v1/backtests`)).body.data!;
    expect(listed.map((r) => [r.runId, r.status])).toEqual([
      [longRunId, 'completed'],
      [shortRunId, 'completed'],
    ]);
    const summary = await fetch(`${second.base}/api/v1/backtests/${longRunId}/summary`);
    expect(summary.status).toBe(200);

    // Across the stage services over NATS, none of which this test starts: the run waits
    // on its retries, certainly still running when the process is killed.
    const stuck = await second.post({
      strategy: 'btc_basis',
      start: '2024-06-01',
      end: '2025-06-01',
      transport: 'nats',
    });
    const stuckRunId = stuck.body.data!.runId;
    expect((await second.until(stuckRunId, 'queued')).status).toBe('running');
    second.child.kill('SIGKILL');
    await second.exited;

    const third = await startController();
    expect(await third.run(stuckRunId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^interrupted by a restart of the run controller while it was running; /,
      ),
    });
    expect((await third.run(shortRunId)).status).toBe('completed');
    third.child.kill('SIGTERM');
    await third.exited;
  });
});
