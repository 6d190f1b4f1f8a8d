import { readTelemetryConfig, type TelemetryConfig } from '@tightloop/telemetry';
import { z } from 'zod';

/** One typed config per stage service, read once at boot from the environment. */
export const stageServiceConfigSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** Health endpoints; 0 picks a free port (tests). */
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TIGHTLOOP_STARTUP_MODE: z.enum(['backtest', 'live']).default('backtest'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});
export type StageServiceConfig = z.infer<typeof stageServiceConfigSchema> & {
  /** Traces and JSON logs (OTEL_* and LOG_LEVEL); the service traces when it exports. */
  telemetry: TelemetryConfig;
};

/**
 * The service's config from the environment; a service with settings of its own passes
 * their schema as `own`, and gets one config of both, checked together.
 */
export function readStageServiceConfig(env: NodeJS.ProcessEnv): StageServiceConfig;
export function readStageServiceConfig<T extends z.ZodRawShape>(
  env: NodeJS.ProcessEnv,
  own: z.ZodObject<T>,
): StageServiceConfig & z.infer<z.ZodObject<T>>;
export function readStageServiceConfig(
  env: NodeJS.ProcessEnv,
  own?: z.ZodObject<z.ZodRawShape>,
): StageServiceConfig {
  const schema = own ? stageServiceConfigSchema.extend(own.shape) : stageServiceConfigSchema;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid service configuration: ${problems.join('; ')}`);
  }
  return {
    ...(parsed.data as z.infer<typeof stageServiceConfigSchema>),
    telemetry: readTelemetryConfig(env),
  };
}
