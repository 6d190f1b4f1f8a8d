import { STRATEGY_MODES, strategyConfigSchema, type StrategyConfig } from '@tightloop/contracts';
import { EthLeveragedStrategy } from './eth-leveraged.strategy';
import { EthStakingOnlyStrategy } from './eth-staking-only.strategy';
import { HedgedCarryStrategy } from './hedged-carry.strategy';
import { CexSpotLeg } from './legs/cex-spot.leg';
import { LeveragedStakedLeg, StakedLeg } from './legs/staked.leg';
import { PureLendingUsdtStrategy } from './pure-lending-usdt.strategy';
import type { Strategy } from './strategy.port';

export class UnknownStrategyError extends Error {
  constructor(readonly mode: string) {
    super(`unknown strategy "${mode}"; known strategies: ${STRATEGY_MODES.join(', ')}`);
    this.name = 'UnknownStrategyError';
  }
}

export function createStrategy(config: StrategyConfig): Strategy {
  switch (config.mode) {
    case 'pure_lending_usdt':
      return new PureLendingUsdtStrategy(config);
    case 'btc_basis':
      return new HedgedCarryStrategy(
        config.mode,
        config,
        new CexSpotLeg('BTC'),
        config.marginRatioTarget,
      );
    case 'eth_basis':
      return new HedgedCarryStrategy(
        config.mode,
        config,
        new CexSpotLeg('ETH'),
        config.marginRatioTarget,
      );
    case 'usdt_eth_staking_hedged_simple': {
      const leg = new StakedLeg(config.lst, config.gasReserveMultiple);
      return new HedgedCarryStrategy(
        config.mode,
        config,
        leg,
        hedgeMargin(config.stakeAllocation),
        config.lst,
      );
    }
    case 'usdt_eth_staking_hedged_leveraged': {
      const leg = new LeveragedStakedLeg(
        config.lst,
        config.gasReserveMultiple,
        config.aave.targetLtv,
      );
      return new HedgedCarryStrategy(
        config.mode,
        config,
        leg,
        hedgeMargin(config.stakeAllocation),
        config.lst,
      );
    }
    case 'eth_staking_only':
      return new EthStakingOnlyStrategy(config);
    case 'eth_leveraged':
      return new EthLeveragedStrategy(config);
  }
}

/** Staking a fraction s of equity and keeping the rest as margin: margin / notional = (1 - s) / s. */
function hedgeMargin(stakeAllocation: number): number {
  return (1 - stakeAllocation) / stakeAllocation;
}

export interface ScheduledFlow {
  atMs: number;
  amount: number;
}

/** The config's deposits (+) and withdrawals (-), in time order. */
export function capitalFlowsOf(config: StrategyConfig): ScheduledFlow[] {
  return config.capitalFlows
    .map((f) => ({ atMs: Date.parse(f.at), amount: f.amount }))
    .sort((a, b) => a.atMs - b.atMs);
}

/**
 * Validates raw config for `mode` (defaults filled from the mode's schema) and freezes it,
 * so backtest and live share one immutable parameter set.
 */
export function resolveStrategyConfig(
  mode: string,
  overrides: Record<string, unknown> = {},
): StrategyConfig {
  if (!(STRATEGY_MODES as string[]).includes(mode)) throw new UnknownStrategyError(mode);
  const parsed = strategyConfigSchema.safeParse({ ...overrides, mode });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new StrategyConfigError(`invalid ${mode} config: ${problems.join('; ')}`);
  }
  return deepFreeze(parsed.data);
}

export class StrategyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrategyConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
