import os from 'node:os';
import path from 'node:path';
import { logLevelsFrom, readRunControllerConfig } from './run-controller.config';

describe('run controller config', () => {
  it('has working defaults for an empty environment', () => {
    const config = readRunControllerConfig({ HOME: os.homedir() });
    expect(config).toEqual({
      httpPort: 8080,
      resultsDir: path.resolve('runs/api'),
      dataDir: undefined,
      cacheDir: path.join(os.homedir(), '.cache', 'tightloop'),
      maxConcurrentRuns: 2,
      checkpointEveryTicks: 500,
      logLevel: 'log',
      registry: {
        kind: 'pglite',
        dataDir: path.resolve('runs/api/.registry'),
        schema: 'run_controller',
      },
      stages: {
        transport: 'in-process',
        natsUrl: 'nats://127.0.0.1:4222',
        requestTimeoutMs: 30_000,
      },
    });
  });

  it('reads every variable and resolves paths', () => {
    const config = readRunControllerConfig({
      HTTP_PORT: '0',
      TIGHTLOOP_RESULTS_DIR: '/srv/results',
      TIGHTLOOP_DATA_DIR: 'data',
      TIGHTLOOP_CACHE_DIR: '/var/cache/tl',
      MAX_CONCURRENT_RUNS: '4',
      CHECKPOINT_EVERY_TICKS: '24',
      LOG_LEVEL: 'warn',
      DATABASE_URL: 'postgres://tl:secret@db:5432/tightloop',
      DB_SCHEMA: 'results_api',
      STAGES_TRANSPORT: 'nats',
      NATS_URL: 'nats://nats:4222',
      STAGES_REQUEST_TIMEOUT_MS: '5000',
    });
    expect(config).toEqual({
      httpPort: 0,
      resultsDir: '/srv/results',
      dataDir: path.resolve('data'),
      cacheDir: '/var/cache/tl',
      maxConcurrentRuns: 4,
      checkpointEveryTicks: 24,
      logLevel: 'warn',
      registry: {
        kind: 'postgres',
        url: 'postgres://tl:secret@db:5432/tightloop',
        schema: 'results_api',
      },
      stages: { transport: 'nats', natsUrl: 'nats://nats:4222', requestTimeoutMs: 5000 },
    });
  });

  it('treats an empty variable as unset', () => {
    const config = readRunControllerConfig({
      TIGHTLOOP_DATA_DIR: '',
      MAX_CONCURRENT_RUNS: '',
      DATABASE_URL: '',
      STAGES_TRANSPORT: '',
    });
    expect(config.dataDir).toBeUndefined();
    expect(config.maxConcurrentRuns).toBe(2);
    expect(config.registry.kind).toBe('pglite');
    expect(config.stages.transport).toBe('in-process');
  });

  it.each([
    ['MAX_CONCURRENT_RUNS', '0'],
    ['MAX_CONCURRENT_RUNS', 'two'],
    ['HTTP_PORT', '70000'],
    ['HTTP_PORT', 'http'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://db/tightloop'],
    ['DATABASE_URL', 'not a url'],
    ['DB_SCHEMA', 'Run-Controller'],
    ['STAGES_TRANSPORT', 'http'],
    ['STAGES_REQUEST_TIMEOUT_MS', '0'],
    ['CHECKPOINT_EVERY_TICKS', '0'],
  ])('refuses %s=%s with the variable named', (name, value) => {
    expect(() => readRunControllerConfig({ [name]: value })).toThrow(
      new RegExp(`invalid run-controller configuration: ${name}: `),
    );
  });

  it('never repeats a bad DATABASE_URL, which may hold a password', () => {
    expect(() => readRunControllerConfig({ DATABASE_URL: 'mysql://u:hunter2@db/x' })).toThrow(
      /^(?!.*hunter2).*DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL$/,
    );
  });

  it('turns a threshold into the levels Nest prints', () => {
    expect(logLevelsFrom('warn')).toEqual(['fatal', 'error', 'warn']);
  });
});
