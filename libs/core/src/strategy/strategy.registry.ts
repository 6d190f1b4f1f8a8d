import { STRATEGY_MODES, strategyConfigSchema, type StrategyConfig } from '@tightloop/contracts';
import { BtcBasisStrategy } from './btc-basis.strategy';
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
      return new BtcBasisStrategy(config);
  }
}

/**
 * Validates raw config for `mode` (defaults filled from the mode's schema) and freezes it,
 * so backtest and live share one immutable parameter set.
 */
export function resolveStrategyConfig(mode: string, overrides: Record<string, unknown> = {}): StrategyConfig {
  if (!(STRATEGY_MODES as string[]).includes(mode)) throw new UnknownStrategyError(mode);
  const config = strategyConfigSchema.parse({ ...overrides, mode });
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
