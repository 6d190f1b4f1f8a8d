const HOURS_PER_YEAR = 8760;
const MS_PER_DAY = 86_400_000;
const INITIAL_NAV = 1;

export interface PerformanceMetrics {
  totalReturn: number;
  /** (1 + total return)^(365 / days) - 1 */
  apy: number;
  /** total return x 365 / days */
  apr: number;
  /** Largest fall from a running peak, as a fraction of the peak. */
  maxDrawdown: number;
  /** Mean / std of per-tick returns, annualised with sqrt(8760); null when std is 0. */
  sharpe: number | null;
  /** Std of per-tick returns, annualised. */
  volatility: number;
}

/**
 * Metrics of an hourly NAV-per-unit series (equity over net capital), so that deposits
 * and withdrawals do not read as returns. `navs[0]` is already after the first tick's
 * entry costs, so the series is measured from the NAV at which the capital arrived (1):
 * entry fees, slippage and gas count in the return, the drawdown and the volatility.
 */
export function performanceMetrics(
  tickNavs: readonly number[],
  startMs: number,
  endMs: number,
): PerformanceMetrics {
  const navs = [INITIAL_NAV, ...tickNavs];
  const last = navs[navs.length - 1]!;
  const totalReturn = last / INITIAL_NAV - 1;
  const days = Math.max((endMs - startMs) / MS_PER_DAY, 1 / 24);
  let peak = -Infinity;
  let maxDrawdown = 0;
  const returns: number[] = [];
  for (let i = 0; i < navs.length; i++) {
    const nav = navs[i]!;
    peak = Math.max(peak, nav);
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, 1 - nav / peak);
    if (i > 0 && navs[i - 1]! > 0) returns.push(nav / navs[i - 1]! - 1);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / Math.max(returns.length, 1);
  const variance =
    returns.reduce((a, r) => a + (r - mean) ** 2, 0) / Math.max(returns.length - 1, 1);
  const std = Math.sqrt(variance);
  return {
    totalReturn,
    apy: (1 + totalReturn) ** (365 / days) - 1,
    apr: (totalReturn * 365) / days,
    maxDrawdown,
    sharpe: std > 0 ? (mean / std) * Math.sqrt(HOURS_PER_YEAR) : null,
    volatility: std * Math.sqrt(HOURS_PER_YEAR),
  };
}
