// Seeded randomness for every experiment, so the same --seed gives the same verdicts.

/** mulberry32: small, fast, good enough for batch order and synthetic data. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, rng: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Standard normal sample (Box–Muller). */
export function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Derives an independent seed for a named sub-experiment. */
export function subSeed(seed: number, name: string): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Runs the synchronous `fn` with Math.random drawing from a generator seeded with `seed`, and puts
 * the caller's Math.random back before returning. TF.js draws the seed of every unseeded random op
 * from Math.random (dropout masks, GaussianNoise/GaussianDropout/AlphaDropout, random ops in custom
 * layers) and has no global seed of its own. Because `fn` is synchronous, no other code — another
 * checkup, the caller's own — runs while the seeded generator is in place: it never leaks.
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  Math.random = createRng(seed);
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('withSeededMathRandom: fn must be synchronous');
    return result;
  } finally {
    Math.random = original;
  }
}
