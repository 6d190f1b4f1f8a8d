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

interface Envelope {
  data?: { runId: string; status: string };
  error?: { code: string; message: string };
}

async function json(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Envelope };
}

// Story: the service runs as the CLI runs it, under tsx, which emits no decorator metadata
// and loads Nest's ES modules a second time; injection, error mapping and file streaming
// must all still work, and SIGTERM lets a running backtest finish before the process exits.
describe('run controller as its own process (tsx)', () => {
  let tempRoot: string;
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-api-process-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(tempRoot, { recursive: true, force: true });
  });

  it('serves runs and results, and shuts down gracefully on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const resultsDir = path.join(tempRoot, 'results');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.base.json'),
      HTTP_PORT: String(port),
      TIGHTLOOP_RESULTS_DIR: resultsDir,
      TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
      LOG_LEVEL: 'warn',
      NO_COLOR: '1',
    };
    delete env.TIGHTLOOP_DATA_DIR;
    child = spawn(process.execPath, ['--require', 'tsx/cjs', MAIN], { cwd: ROOT, env });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

    let ready = false;
    for (let attempt = 0; attempt < 300 && !ready; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
    }
    expect({ ready, output }).toMatchObject({ ready: true });

    const post = (body: unknown) =>
      json(`${base}/api/v1/backtests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const submitted = await post({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-08' });
    expect(submitted.status).toBe(202);
    const runId = submitted.body.data!.runId;
    let status = 'queued';
    for (let k = 0; k < 600 && (status === 'queued' || status === 'running'); k++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await json(`${base}/api/v1/backtests/${runId}`)).body.data!.status;
    }
    expect(status).toBe('completed');

    const csv = await fetch(`${base}/api/v1/backtests/${runId}/files/equity.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toMatch(/^timestamp,equity_sc,/);
    const zip = Buffer.from(
      await (await fetch(`${base}/api/v1/backtests/${runId}/download`)).arrayBuffer(),
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
    const longRunId = long.body.data!.runId;
    child.kill('SIGTERM');
    await exited;
    await expect(
      access(path.join(resultsDir, longRunId, 'summary.json')).then(() => true),
    ).resolves.toBe(true);
  });
});
