/**
 * Seeded randomness for the synthetic data set. Math.random is never used: the same seed
 * must give the same bytes on every machine, so results on synthetic data are reproducible.
 */

// Math functions bound once: under jest's vm sandbox every global lookup in a hot loop costs ~20x.
const { imul, sqrt, log, cos, PI } = Math;

/** mulberry32: tiny, fast, good enough for simulated prices (not for cryptography). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a name, so each path draws from its own stream and adding a path moves no other. */
export function streamSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export interface Rng {
  uniform(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

export function rng(seed: number, name: string): Rng {
  const next = mulberry32(streamSeed(seed, name));
  return {
    uniform: next,
    normal: () => {
      const u = 1 - next(); // (0, 1]: log(0) would be -Infinity
      return sqrt(-2 * log(u)) * cos(2 * PI * next());
    },
  };
}
