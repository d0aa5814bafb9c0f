// What a histogram of layer outputs says about its units: mass at or below zero (dead ReLUs),
// mass in the flat tails (saturated tanh/sigmoid), and which activation produced it.
//
// A histogram counts values, not units, and its buckets are coarse (TF2/tfjs: 30 equal-width
// buckets; PyTorch: ±1e-12·1.1ᵏ edges, 10% wide). Two consequences, handled here:
// - Mass piled at an edge (exact zeros of a ReLU, ±1 of a saturated tanh) shares a bucket with
//   ordinary values. Uniform interpolation inside that bucket would miss most of the pile, so the
//   pile is estimated as the bucket's excess over its inner neighbour's density (a smooth density
//   has no excess), and the larger of the two estimates is taken.
// - The checks' thresholds are about the fraction of *units* dead. A live ReLU unit is itself zero
//   on part of the records, so the fraction of zero *values* z overstates it. Taking a live unit as
//   zero on at most LIVE_ZERO_SHARE of the records, z = d + (1 − d)·LIVE_ZERO_SHARE gives the dead
//   fraction d = (z − LIVE_ZERO_SHARE) / (1 − LIVE_ZERO_SHARE), clamped to [0, 1]. With 0.7 — the
//   share DeepDiagnosis already treats as a symptom (≥ 70% outputs ≤ 0) — a healthy layer at
//   initialization (z ≈ 0.5) and a trained sparse one (z ≈ 0.7) read 0, and the check's warn
//   (> 20% dead) and fail (> 50%) start at z ≈ 0.76 and z ≈ 0.85.
import type { HistogramData } from './histogram.ts';

export const LIVE_ZERO_SHARE = 0.7;

/** tanh'(y) = 1 − y² below 1% of its maximum: |y| > √0.99. */
export const TANH_SATURATED = Math.sqrt(0.99);
/** σ'(y) = y(1 − y) below 1% of its maximum 1/4: y < y₀ or y > 1 − y₀. */
export const SIGMOID_SATURATED = (1 - Math.sqrt(1 - 0.01)) / 2;

/** Edges clamped to the histogram's own min/max (legacy buckets run to ±DBL_MAX). */
function edges(h: HistogramData, i: number): [number, number] {
  let l = h.left[i];
  let r = h.right[i];
  if (Number.isFinite(h.min) && l < h.min) l = h.min;
  if (Number.isFinite(h.max) && r > h.max) r = h.max;
  if (r < l) r = l;
  return [l, r];
}

function total(h: HistogramData): number {
  let n = 0;
  for (let i = 0; i < h.k; i++) if (h.count[i] > 0) n += h.count[i];
  return n;
}

/**
 * Count of values ≤ x (side −1) or ≥ x (side +1). Buckets wholly on that side count fully; the
 * bucket holding x counts by uniform share or by its excess over the next bucket inward, whichever
 * is larger (see the file comment).
 */
export function massBeyond(h: HistogramData, x: number, side: -1 | 1): number {
  let mass = 0;
  for (let i = 0; i < h.k; i++) {
    const c = h.count[i];
    if (!(c > 0)) continue;
    const [l, r] = edges(h, i);
    const beyond = side < 0 ? r <= x : l >= x;
    if (beyond) {
      mass += c;
      continue;
    }
    const straddles = side < 0 ? l <= x && x < r : l < x && x <= r;
    if (!straddles) continue;
    const w = r - l;
    const uniform = w > 0 ? (c * (side < 0 ? x - l : r - x)) / w : c;
    const j = i - side; // the next bucket inward
    let excess = 0;
    if (j >= 0 && j < h.k) {
      const [jl, jr] = edges(h, j);
      const jw = jr - jl;
      // biome-ignore lint/complexity/useMathMinMax: a NaN count counts as 0
      const inner = h.count[j] > 0 ? h.count[j] : 0;
      excess = jw > 0 ? c - (inner * w) / jw : c - inner;
    }
    mass += Math.min(c, Math.max(uniform, excess, 0));
  }
  return mass;
}

/** Fraction of values at or below zero; values within 1e-7 of the largest magnitude count as zero. */
export function fractionAtOrBelowZero(h: HistogramData): number {
  const n = total(h);
  if (!(n > 0)) return 0;
  const scale = Math.max(Math.abs(h.min), Math.abs(h.max));
  const tiny = Number.isFinite(scale) ? scale * 1e-7 : 0;
  return Math.min(1, massBeyond(h, tiny, -1) / n);
}

/** Estimated fraction of dead units from the fraction of values ≤ 0 (see the file comment). */
export function deadFraction(zeroFraction: number): number {
  const d = (zeroFraction - LIVE_ZERO_SHARE) / (1 - LIVE_ZERO_SHARE);
  return Math.min(1, Math.max(0, d));
}

/** Fraction of values in the saturated tails of tanh (|y| > 0.995) or sigmoid (y < 0.0025 or > 0.9975). */
export function saturatedFraction(h: HistogramData, fn: 'tanh' | 'sigmoid'): number {
  const n = total(h);
  if (!(n > 0)) return 0;
  const [lo, hi] =
    fn === 'tanh' ? [-TANH_SATURATED, TANH_SATURATED] : [SIGMOID_SATURATED, 1 - SIGMOID_SATURATED];
  return Math.min(1, (massBeyond(h, lo, -1) + massBeyond(h, hi, 1)) / n);
}

/**
 * The activation that could have produced these outputs: ReLU when values are ≥ 0 with exact
 * zeros (or above 1), sigmoid when strictly inside (0, 1), tanh when inside [−1, 1] with negatives,
 * linear otherwise.
 */
export function inferActivation(h: HistogramData): string {
  if (!(total(h) > 0) || !Number.isFinite(h.min) || !Number.isFinite(h.max)) return 'linear';
  const scale = Math.max(Math.abs(h.min), Math.abs(h.max));
  const tiny = scale * 1e-7;
  if (h.min >= -tiny) {
    if (h.min <= tiny || h.max > 1 + 1e-6) return 'relu';
    return 'sigmoid';
  }
  if (h.min >= -1 - 1e-6 && h.max <= 1 + 1e-6) return 'tanh';
  return 'linear';
}
