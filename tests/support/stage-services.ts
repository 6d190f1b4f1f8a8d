import type { RunningStageService, StageHostOptions } from '@tightloop/stage-host';
import { start as execution } from '../../apps/execution/src/main';
import { start as exposure } from '../../apps/exposure-monitor/src/main';
import { start as pnl } from '../../apps/pnl-monitor/src/main';
import { start as position } from '../../apps/position-monitor/src/main';
import { start as risk } from '../../apps/risk-monitor/src/main';
import { start as strategy } from '../../apps/strategy/src/main';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export const STAGE_SERVICES = { position, exposure, risk, pnl, strategy, execution } as const;

/**
 * The six stage services, each its own Nest app on real NATS, `replicas` of each; `env`
 * adds to their environment (DATABASE_URL and DB_SCHEMA for the execution ledger, say).
 */
export async function startStageServices(
  replicas = 1,
  host: StageHostOptions = {},
  natsUrl = NATS_URL,
  extraEnv: Record<string, string> = {},
): Promise<RunningStageService[]> {
  const env = { NATS_URL: natsUrl, HTTP_PORT: '0', LOG_LEVEL: 'warn' as const, ...extraEnv };
  const started: RunningStageService[] = [];
  for (let r = 0; r < replicas; r++) {
    for (const start of Object.values(STAGE_SERVICES)) started.push(await start(env, host));
  }
  return started;
}
