import { HOUR_MS } from '../timestamp';
import { rng, type Rng } from './mulberry32.prng';

/** Hourly grid of the synthetic set: 2024-01-01T00:00Z .. 2025-09-30T23:00Z. */
export const SYNTHETIC_START_MS = Date.UTC(2024, 0, 1);
export const SYNTHETIC_HOURS = (Date.UTC(2025, 9, 1) - SYNTHETIC_START_MS) / HOUR_MS;
/** Daily rows run one day past the end, so interpolated daily indexes reach 2025-09-30T23:00. */
export const SYNTHETIC_DAYS = SYNTHETIC_HOURS / 24 + 1;
const HOURS_PER_YEAR = 24 * 365;
// Math functions bound once: under jest's vm sandbox every global lookup in a hot loop costs ~20x.
const { exp, log, min, max, sqrt } = Math;

/** The hidden "true" market every file is a noisy view of. Index `h` is hour h from the start. */
export interface MarketPaths {
  btc: Float64Array;
  eth: Float64Array;
  /** Perp premium over spot, as a fraction (a few bps). */
  basis: Float64Array;
  eigenWeth: Float64Array;
  ethfiWeth: Float64Array;
  gasGwei: Float64Array;
  /** LST exchange rates in ETH, monotone. */
  weethEth: Float64Array;
  wstethEth: Float64Array;
  /** Funding per 8h common to all venues, one per settlement (every 8th hour). */
  funding: Float64Array;
}

const normals = (r: Rng, n: number) => Float64Array.from({ length: n }, () => r.normal());

/**
 * Log price walk that stays in [lo, hi] by reflection, so a 21-month run lands in the
 * plausible range instead of wherever a free random walk drifts.
 */
function boundedWalk(shocks: Float64Array, start: number, lo: number, hi: number, sigma: number) {
  const out = new Float64Array(shocks.length);
  const [a, b] = [log(lo), log(hi)];
  let x = log(start);
  for (let h = 0; h < shocks.length; h++) {
    out[h] = exp(x);
    x += sigma * shocks[h]!;
    if (x > b) x = 2 * b - x;
    if (x < a) x = 2 * a - x;
  }
  return out;
}

/** Mean-reverting AR(1) around `mean`, clamped to [lo, hi]. */
function ar1(r: Rng, n: number, mean: number, keep: number, sigma: number, lo: number, hi: number) {
  const out = new Float64Array(n);
  let x = mean;
  for (let k = 0; k < n; k++) {
    out[k] = x;
    x = min(hi, max(lo, mean + keep * (x - mean) + sigma * r.normal()));
  }
  return out;
}

/** An exchange rate growing at `apr` ± a little each day, never decreasing. */
function accruing(r: Rng, n: number, start: number, apr: number) {
  const out = new Float64Array(n);
  let x = start;
  let rate = apr;
  for (let h = 0; h < n; h++) {
    out[h] = x;
    if (h % 24 === 0) rate = max(0, apr * (1 + 0.2 * r.normal()));
    x *= exp(rate / HOURS_PER_YEAR);
  }
  return out;
}

export function marketPaths(seed: number): MarketPaths {
  const n = SYNTHETIC_HOURS;
  const btcShocks = normals(rng(seed, 'btc'), n);
  // ETH moves with BTC (correlation 0.7), as it does in the real history.
  const ethOwn = normals(rng(seed, 'eth'), n);
  const ethShocks = ethOwn.map((e, h) => 0.7 * btcShocks[h]! + sqrt(1 - 0.49) * e);
  return {
    btc: boundedWalk(btcShocks, 62_000, 60_000, 110_000, 0.005),
    eth: boundedWalk(ethShocks, 2_400, 2_300, 4_000, 0.006),
    basis: ar1(rng(seed, 'basis'), n, 3e-4, 0.98, 4e-5, -5e-4, 1.5e-3),
    eigenWeth: boundedWalk(normals(rng(seed, 'eigen'), n), 1.2e-3, 4e-4, 2e-3, 0.01),
    ethfiWeth: boundedWalk(normals(rng(seed, 'ethfi'), n), 8e-4, 3e-4, 1.5e-3, 0.01),
    gasGwei: boundedWalk(normals(rng(seed, 'gas'), n), 10, 2, 40, 0.08),
    weethEth: accruing(rng(seed, 'weeth'), n, 1.035, 0.03),
    wstethEth: accruing(rng(seed, 'wsteth'), n, 1.15, 0.03),
    funding: ar1(rng(seed, 'funding'), n / 8, 1e-4, 0.85, 4e-5, -2e-4, 7.5e-4),
  };
}
