import os from 'node:os';
import path from 'node:path';
import { postgresUrlSchema, schemaNameSchema } from '@tightloop/persistence';
import { DEFAULT_CHECKPOINT_EVERY_TICKS } from '@tightloop/runner';
import { z } from 'zod';

// Deployment tooling often sets a variable to '' to mean "not set"; treat it so, rather
// than as a bad number or an empty path.
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

// Most severe first; `fatal` alone is all but silent (tests).
const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type RunControllerLogLevel = (typeof LOG_LEVELS)[number];

export const STAGES_TRANSPORTS = ['in-process', 'nats'] as const;
export type StagesTransport = (typeof STAGES_TRANSPORTS)[number];

/** The PGlite store's directory inside the results directory (a name no run id can take). */
export const EMBEDDED_REGISTRY_DIR = '.registry';

export const runControllerEnvSchema = z.object({
  /** 0 picks a free port (tests). */
  HTTP_PORT: unsetIfEmpty(z.coerce.number().int().min(0).max(65535).default(8080)),
  TIGHTLOOP_RESULTS_DIR: unsetIfEmpty(z.string().default(path.join('runs', 'api'))),
  /** Real market data; without it runs use the generated synthetic dataset. */
  TIGHTLOOP_DATA_DIR: unsetIfEmpty(z.string().optional()),
  TIGHTLOOP_CACHE_DIR: unsetIfEmpty(z.string().optional()),
  MAX_CONCURRENT_RUNS: unsetIfEmpty(z.coerce.number().int().min(1).max(64).default(2)),
  /** A run's checkpoint (what a restart resumes it from) is stored after every this many ticks. */
  CHECKPOINT_EVERY_TICKS: unsetIfEmpty(
    z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_CHECKPOINT_EVERY_TICKS),
  ),
  LOG_LEVEL: unsetIfEmpty(z.enum(LOG_LEVELS).default('log')),
  /** The run registry on Postgres; without it, an embedded PGlite under the results dir. */
  DATABASE_URL: unsetIfEmpty(postgresUrlSchema.optional()),
  DB_SCHEMA: unsetIfEmpty(schemaNameSchema.default('run_controller')),
  /** Where a run's stages run when its request does not say: this process or the services. */
  STAGES_TRANSPORT: unsetIfEmpty(z.enum(STAGES_TRANSPORTS).default('in-process')),
  NATS_URL: unsetIfEmpty(z.string().default('nats://127.0.0.1:4222')),
  /** How long a stage call over NATS may go unanswered before it is asked again. */
  STAGES_REQUEST_TIMEOUT_MS: unsetIfEmpty(
    z.coerce.number().int().min(100).max(600_000).default(30_000),
  ),
});

export type RunRegistryConfig =
  | { kind: 'postgres'; url: string; schema: string }
  | { kind: 'pglite'; dataDir: string; schema: string };

export interface StagesConfig {
  /** The default of runs whose request names no transport. */
  transport: StagesTransport;
  natsUrl: string;
  requestTimeoutMs: number;
}

export interface RunControllerConfig {
  httpPort: number;
  /** Absolute; each run writes to `<resultsDir>/<runId>`. */
  resultsDir: string;
  dataDir: string | undefined;
  cacheDir: string;
  maxConcurrentRuns: number;
  checkpointEveryTicks: number;
  logLevel: RunControllerLogLevel;
  registry: RunRegistryConfig;
  stages: StagesConfig;
}

/**
 * Read once at boot (never at import), so a bad variable stops the service before it
 * listens, with the variable's name in the message.
 */
export function readRunControllerConfig(env: NodeJS.ProcessEnv = process.env): RunControllerConfig {
  const parsed = runControllerEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid run-controller configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  // Resolved now: a later chdir must not move where results go.
  const resultsDir = path.resolve(e.TIGHTLOOP_RESULTS_DIR);
  return {
    httpPort: e.HTTP_PORT,
    resultsDir,
    dataDir: e.TIGHTLOOP_DATA_DIR === undefined ? undefined : path.resolve(e.TIGHTLOOP_DATA_DIR),
    // The same default as the CLI, so both share one generated synthetic dataset.
    cacheDir: path.resolve(
      e.TIGHTLOOP_CACHE_DIR ??
        path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tightloop'),
    ),
    maxConcurrentRuns: e.MAX_CONCURRENT_RUNS,
    checkpointEveryTicks: e.CHECKPOINT_EVERY_TICKS,
    logLevel: e.LOG_LEVEL,
    // Beside the results it describes, so both survive a restart on the same machine.
    registry:
      e.DATABASE_URL === undefined
        ? {
            kind: 'pglite',
            dataDir: path.join(resultsDir, EMBEDDED_REGISTRY_DIR),
            schema: e.DB_SCHEMA,
          }
        : { kind: 'postgres', url: e.DATABASE_URL, schema: e.DB_SCHEMA },
    stages: {
      transport: e.STAGES_TRANSPORT,
      natsUrl: e.NATS_URL,
      requestTimeoutMs: e.STAGES_REQUEST_TIMEOUT_MS,
    },
  };
}

/** Nest takes the levels to print, not a threshold. */
export function logLevelsFrom(level: RunControllerLogLevel): RunControllerLogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}
