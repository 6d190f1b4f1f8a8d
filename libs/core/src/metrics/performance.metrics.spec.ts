import { performanceMetrics } from './performance.metrics';

const DAY_MS = 86_400_000;

describe('performanceMetrics', () => {
  it('counts the first tick’s entry costs in the return and the drawdown', () => {
    // Capital arrives at NAV 1; entry costs take the first tick to 0.999, then it earns.
    const m = performanceMetrics([0.999, 1.0, 1.01], 0, 365 * DAY_MS);
    expect(m.totalReturn).toBeCloseTo(0.01, 12);
    expect(m.apy).toBeCloseTo(0.01, 12);
    expect(m.maxDrawdown).toBeCloseTo(0.001, 12);
  });

  it('annualises a half-year return and measures the fall from the running peak', () => {
    const m = performanceMetrics([1.02, 1.05, 0.98, 1.03], 0, 182.5 * DAY_MS);
    expect(m.totalReturn).toBeCloseTo(0.03, 12);
    expect(m.apy).toBeCloseTo(1.03 ** 2 - 1, 12);
    expect(m.apr).toBeCloseTo(0.06, 12);
    expect(m.maxDrawdown).toBeCloseTo(1 - 0.98 / 1.05, 12);
  });

  it('has no Sharpe ratio for a flat series', () => {
    const m = performanceMetrics([1, 1, 1], 0, DAY_MS);
    expect(m.sharpe).toBeNull();
    expect(m.totalReturn).toBe(0);
  });
});
