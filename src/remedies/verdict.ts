// When a fix counts as verified: a pure function of the held-out scores of three arms trained on
// the same budget — the setup as it is (`before`), with the fix (`after`, one run per seed) and
// with fixes drawn at random from the catalogue (`random`, the baseline of Kim et al., ICST'23:
// a random fix often does as well as a repair tool).
//
// Verified = the fix improves on the setup by more than the seed spread AND beats the random-fix
// baseline by more than the fix's own seed spread, each by at least `minEffect`. The seed spread
// of the improvement is the larger range (max − min over seeds) of the two arms: with three seeds,
// an effect beyond it means every ordering of the runs agrees, not one lucky seed. The random arms
// are one run each of different fixes, so their range is not seed noise: the margin over their
// mean is held against the fix's own range. A random draw of the very fix being judged is left
// out of its baseline (it would compare the fix with itself); the other candidates' draws stay.
import type { RemedyArm, Spread } from '../core/remedies.ts';

export interface VerdictThresholds {
  /** Smallest improvement (score units: accuracy or R²) that counts, however small the spread. */
  minEffect: number;
  /** Fewest runs per arm for a spread to mean anything. */
  minSeeds: number;
}

export const VERDICT_THRESHOLDS: VerdictThresholds = {
  // Two points of (balanced) accuracy or 0.02 of R²: below that a change is not worth making,
  // and a fully deterministic setup (spread 0) must not verify a rounding difference.
  minEffect: 0.02,
  minSeeds: 3,
};

export interface FixVerdict {
  effect: number;
  spread: number;
  vsRandom: number;
  improved: boolean;
  beatsRandom: boolean;
  verified: boolean;
}

export function spreadOf(values: number[]): Spread {
  if (!values.length) return { mean: Number.NaN, min: Number.NaN, max: Number.NaN, values: [] };
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    values: values.slice(),
  };
}

const range = (s: Spread) => s.max - s.min;

export function judgeFix(
  before: number[],
  after: number[],
  random: number[],
  t: VerdictThresholds = VERDICT_THRESHOLDS,
): FixVerdict {
  const b = spreadOf(before);
  const a = spreadOf(after);
  const r = spreadOf(random);
  const effect = a.mean - b.mean;
  const spread = Math.max(range(a), range(b));
  const vsRandom = a.mean - r.mean;
  const enough = before.length >= t.minSeeds && after.length >= t.minSeeds;
  const finite = [...before, ...after].every(Number.isFinite);
  const improved = enough && finite && effect > spread && effect >= t.minEffect;
  const beatsRandom =
    finite &&
    random.length > 0 &&
    random.every(Number.isFinite) &&
    vsRandom > range(a) &&
    vsRandom >= t.minEffect;
  return { effect, spread, vsRandom, improved, beatsRandom, verified: improved && beatsRandom };
}

/** The random-fix baseline for `fixId`: the random arms that drew another fix (all of them if every draw was this fix). */
export function randomBaselineFor(random: RemedyArm[], fixId: string): RemedyArm[] {
  const others = random.filter((arm) => arm.fixes[arm.fixes.length - 1]?.id !== fixId);
  return others.length ? others : random;
}
