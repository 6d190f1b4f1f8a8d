import type { Rng } from './mulberry32.prng';

/**
 * Timestamp spellings of the real files, reproduced so the same manifest reads both sets.
 * Memoised: ~20 files share the same few thousand instants and toISOString dominated the
 * generation time.
 */
function memo(format: (ms: number) => string): (ms: number) => string {
  const cache = new Map<number, string>();
  return (ms) => {
    let text = cache.get(ms);
    if (text === undefined) cache.set(ms, (text = format(ms)));
    return text;
  };
}
export const isoZ = memo((ms) => `${new Date(ms).toISOString().slice(0, 19)}Z`);
export const isoOffset = memo(
  (ms) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`,
);
export const unixSeconds = (ms: number) => String(ms / 1000);
export const dayOf = memo((ms) => new Date(ms).toISOString().slice(0, 10));
/** The Uniswap files' malformed `date_utc` (offset *and* Z), kept so nothing starts reading it. */
export const uniswapDateUtc = memo((ms) => `${isoOffset(ms).replace(' ', 'T')}Z`);

/** Fixed decimals for prices and sizes; ratios and indexes are written in full like the real files. */
export const fixed = (x: number, digits: number) => x.toFixed(digits);

/** A venue's view of a true path: a constant offset and independent noise, both in bps. */
export function venueView(
  path: Float64Array,
  r: Rng,
  offsetBps: number,
  noiseBps: number,
): Float64Array {
  return path.map((p) => p * (1 + (offsetBps + noiseBps * r.normal()) * 1e-4));
}

// Math functions bound once: under jest's vm sandbox every global lookup in a hot loop costs ~20x.
const { abs, exp, max, min } = Math;

export interface Candle {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Bars labelled by open time: close is the next bar's open, wicks a little beyond both. */
export function candles(opens: Float64Array, r: Rng, volumeScale: number): Candle[] {
  return Array.from(opens, (open, h) => {
    const close = opens[h + 1] ?? open;
    return {
      open,
      close,
      high: max(open, close) * (1 + 0.001 * abs(r.normal())),
      low: min(open, close) * (1 - 0.001 * abs(r.normal())),
      volume: volumeScale * exp(0.5 * r.normal()),
    };
  });
}

/** Header plus `count` rows, joined once (fast for ~15k rows). */
export function csv(header: string, count: number, row: (k: number) => string): string {
  const lines = new Array<string>(count + 1);
  lines[0] = header;
  for (let k = 0; k < count; k++) lines[k + 1] = row(k);
  return `${lines.join('\n')}\n`;
}
