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

export function readStageServiceConfig(env: NodeJS.ProcessEnv): StageServiceConfig {
  const parsed = stageServiceConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid service configuration: ${problems.join('; ')}`);
  }
  return { ...parsed.data, telemetry: readTelemetryConfig(env) };
}
