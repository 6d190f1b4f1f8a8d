import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NATS_URL } from '../support/stage-services';

const BIN = path.join(__dirname, '..', '..', 'bin', 'tightloop.js');
const BASE_PORT = 4201;
const API_PORT = BASE_PORT + 6;

async function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );
}

interface RunView {
  runId: string;
  status: string;
}

const api = (route: string, init?: RequestInit) =>
  fetch(`http://127.0.0.1:${API_PORT}/api/v1/backtests${route}`, init).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as { data: RunView },
  }));

// Story: an operator starts every service locally without Docker, sees them all healthy,
// and runs a backtest through the run controller's API across the six stages.
describe('tightloop up', () => {
  let tempRoot: string;
  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-cli-up-'));
  });
  afterAll(async () => {
    await rm(tempRoot, { recursive: true, force: true });
  });

  it('starts the six stages and then the run controller, each ready on its port, and says when one dies', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'error',
      TIGHTLOOP_RESULTS_DIR: path.join(tempRoot, 'results'),
      TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
    };
    // The run controller's own store: the embedded one under the results directory.
    delete env.DATABASE_URL;
    delete env.TIGHTLOOP_DATA_DIR;
    const up = spawn(
      process.execPath,
      [
        BIN,
        'up',
        '--base-port',
        String(BASE_PORT),
        '--api-port',
        String(API_PORT),
        '--nats-url',
        NATS_URL,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env },
    );
    let stderr = '';
    up.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const ports = [0, 1, 2, 3, 4, 5, 6].map((k) => BASE_PORT + k);
      let ready = ports.map(() => false);
      for (let attempt = 0; attempt < 300 && !ready.every(Boolean); attempt++) {
        await new Promise((r) => setTimeout(r, 200));
        ready = await Promise.all(ports.map(healthy));
      }
      expect(ready).toEqual([true, true, true, true, true, true, true]);

      const submitted = await api('', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ strategy: 'btc_basis', start: '2024-06-01', end: '2024-06-03' }),
      });
      expect(submitted.status).toBe(202);
      const runId = submitted.body.data.runId;
      let run = submitted.body.data;
      for (let k = 0; k < 300 && (run.status === 'queued' || run.status === 'running'); k++) {
        await new Promise((r) => setTimeout(r, 100));
        run = (await api(`/${runId}`)).body.data;
      }
      // `up` sets STAGES_TRANSPORT=nats: the run went across the stage services.
      expect(run).toMatchObject({
        status: 'completed',
        error: null,
        request: { transport: 'nats' },
        progress: { ticksDone: 49, ticksTotal: 49 },
      });

      // A stage that dies after the start is named; `up` and the others stay up.
      const risk = execFileSync('pgrep', ['-P', String(up.pid), '-f', 'serve risk-monitor'], {
        encoding: 'utf8',
      }).trim();
      process.kill(Number(risk), 'SIGKILL');
      for (let k = 0; k < 100 && !stderr.includes('risk-monitor exited'); k++)
        await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toContain(
        'tightloop up: risk-monitor exited (SIGKILL); the others keep running; start it again with `tightloop serve risk-monitor`',
      );
      expect(up.exitCode).toBeNull();
      expect(await healthy(API_PORT)).toBe(true);
    } finally {
      up.kill('SIGTERM');
      await new Promise((resolve) => up.on('exit', resolve));
    }
  });

  it('stops every stage and fails, naming it, when one exits before it is ready', async () => {
    // The execution service refuses live mode at start.
    const env = { ...process.env, LOG_LEVEL: 'error', TIGHTLOOP_STARTUP_MODE: 'live' };
    const up = spawn(
      process.execPath,
      [BIN, 'up', '--base-port', String(BASE_PORT), '--api-port', String(API_PORT)],
      { stdio: ['ignore', 'ignore', 'pipe'], env },
    );
    let stderr = '';
    up.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => up.on('exit', resolve));
    expect({ code, stderr }).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'error: execution exited (1) before it was ready; nothing was left running',
      ),
    });
    const ports = [0, 1, 2, 3, 4, 5, 6].map((k) => BASE_PORT + k);
    expect(await Promise.all(ports.map(healthy))).toEqual(ports.map(() => false));
  });
});
