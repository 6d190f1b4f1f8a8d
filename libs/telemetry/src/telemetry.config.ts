import { z } from 'zod';

/** pino's level names, which are what the logger is configured with. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The stage services read LOG_LEVEL too, in NestJS's vocabulary; accepting Nest's two
 * extra names lets one LOG_LEVEL drive both loggers instead of failing one of them.
 */
const NEST_LEVEL_ALIASES = { log: 'info', verbose: 'trace' } as const satisfies Record<
  string,
  LogLevel
>;

/** What the service is named when nothing says otherwise (OpenTelemetry's own default). */
export const UNKNOWN_SERVICE_NAME = 'unknown_service';

export interface TelemetryConfig {
  readonly serviceName: string;
  /**
   * OTLP/HTTP base URL (e.g. http://jaeger:4318); absent means spans are not exported, and
   * a composition root then installs no tracing at all (see `exportsTraces`).
   */
  readonly otlpEndpoint?: string;
  /** Share of new traces (ticks) kept, 0..1; child spans follow their parent's decision. */
  readonly samplerRatio: number;
  readonly logLevel: LogLevel;
}

/** Deployment tools often write `NAME=` for "unset"; treat a blank value as absent. */
const blankAsAbsent = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const telemetryConfigSchema = z
  .object({
    OTEL_SERVICE_NAME: z.preprocess(blankAsAbsent, z.string().trim().optional()),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
      blankAsAbsent,
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    ),
    OTEL_TRACES_SAMPLER_RATIO: z.preprocess(
      blankAsAbsent,
      z.coerce.number().min(0).max(1).default(1),
    ),
    LOG_LEVEL: z.preprocess(
      blankAsAbsent,
      z.enum([...LOG_LEVELS, 'log', 'verbose']).default('info'),
    ),
    // OpenTelemetry's switch for the whole SDK: only `true` (any case) disables it.
    OTEL_SDK_DISABLED: z.preprocess(
      blankAsAbsent,
      z
        .string()
        .optional()
        .transform((v) => v?.trim().toLowerCase() === 'true'),
    ),
  })
  .superRefine((env, ctx) => {
    // An exported span without a service name lands in Jaeger as "unknown_service",
    // indistinguishable from every other misconfigured process: refuse to start instead.
    if (
      !env.OTEL_SDK_DISABLED &&
      env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined &&
      env.OTEL_SERVICE_NAME === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['OTEL_SERVICE_NAME'],
        message: 'required when OTEL_EXPORTER_OTLP_ENDPOINT is set',
      });
    }
  })
  .transform((env): TelemetryConfig =>
    Object.freeze({
      serviceName: env.OTEL_SERVICE_NAME ?? UNKNOWN_SERVICE_NAME,
      // Disabled, the endpoint is dropped: one field then decides whether anything is traced.
      ...(!env.OTEL_SDK_DISABLED &&
        env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined && {
          otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
        }),
      samplerRatio: env.OTEL_TRACES_SAMPLER_RATIO,
      logLevel: toPinoLevel(env.LOG_LEVEL),
    }),
  );

function toPinoLevel(level: LogLevel | keyof typeof NEST_LEVEL_ALIASES): LogLevel {
  return level === 'log' || level === 'verbose' ? NEST_LEVEL_ALIASES[level] : level;
}

/** A configuration mistake: final, never retryable. Each problem names its variable. */
export class TelemetryConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid telemetry configuration: ${problems.join('; ')}`);
    this.name = 'TelemetryConfigError';
  }
}

/**
 * Whether a service should trace: only when its spans go somewhere. Otherwise its
 * composition root leaves tracing out entirely (the loop's no-op tracer, no span per stage
 * request), so an unconfigured backtest pays nothing for it.
 */
export function exportsTraces(config: TelemetryConfig): boolean {
  return config.otlpEndpoint !== undefined;
}

/** Read once at boot by the composition root; nothing here runs at import time. */
export function readTelemetryConfig(env: NodeJS.ProcessEnv): TelemetryConfig {
  const parsed = telemetryConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new TelemetryConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  return parsed.data;
}
