// The data transforms a fix asks for, fitted on the experiments' training records only (never on
// the held-out records they are judged on): standardization and oversampling. Plain arrays.

import { createRng } from '../core/random.ts';
import type { Standardizer } from '../core/remedies.ts';
import { maxOf, pushAll } from '../shared/array.ts';

/**
 * A σ below this share of the overall σ is raised to it: a feature that is (nearly) constant on
 * the training records (MNIST's border pixels) would otherwise be blown up by 1/σ.
 */
const STD_FLOOR = 0.1;

/**
 * Mean and std of each slot of a record of `width` values over the given records. `width` slots
 * per record; slot k of record r is `values[r * stride + k * step]`, summed over `repeat` positions.
 */
function moments(
  values: Float32Array,
  ids: ArrayLike<number>,
  recordSize: number,
  slots: number,
  slotOf: (i: number) => number,
): { mean: number[]; std: number[] } {
  const sum = new Float64Array(slots);
  const sumSq = new Float64Array(slots);
  const count = new Float64Array(slots);
  for (let j = 0; j < ids.length; j++) {
    const base = ids[j] * recordSize;
    for (let i = 0; i < recordSize; i++) {
      const v = values[base + i];
      if (!Number.isFinite(v)) continue;
      const k = slotOf(i);
      sum[k] += v;
      sumSq[k] += v * v;
      count[k]++;
    }
  }
  const mean = Array.from(sum, (s, k) => (count[k] ? s / count[k] : 0));
  const variance = Array.from(sumSq, (s, k) => (count[k] ? Math.max(0, s / count[k] - mean[k] ** 2) : 0));
  let pooled = 0;
  let n = 0;
  variance.forEach((v, k) => {
    pooled += v * count[k];
    n += count[k];
  });
  const floor = Math.max(STD_FLOOR * Math.sqrt(n ? pooled / n : 0), 1e-6);
  return { mean, std: variance.map((v) => Math.max(Math.sqrt(v), floor)) };
}

/**
 * Inputs: per channel (last axis) for images and other records of rank ≥ 2, per feature for flat
 * records (tabular data).
 */
export function fitInputStandardizer(
  x: Float32Array,
  featureShape: number[],
  ids: ArrayLike<number>,
): Standardizer {
  const size = featureShape.reduce((a, b) => a * b, 1);
  const perChannel = featureShape.length >= 2;
  const channels = perChannel ? (featureShape.at(-1) ?? 1) : size;
  const { mean, std } = moments(x, ids, size, channels, perChannel ? (i) => i % channels : (i) => i);
  return {
    axis: perChannel ? 'channel' : 'feature',
    shape: perChannel ? [channels] : featureShape.slice(),
    mean,
    std,
    records: ids.length,
  };
}

/** Regression targets: per output. */
export function fitTargetStandardizer(
  targets: Float32Array,
  width: number,
  ids: ArrayLike<number>,
): Standardizer {
  const { mean, std } = moments(targets, ids, width, width, (i) => i);
  return { axis: 'output', shape: [width], mean, std, records: ids.length };
}

/** (x − mean) / std over every record (a copy); the slot of value i is i mod the standardizer's size. */
export function standardize(values: Float32Array, s: Standardizer): Float32Array {
  const k = s.mean.length;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - s.mean[i % k]) / s.std[i % k];
  return out;
}

/** ŷ·std + mean: predictions in the standardized units mapped back to the original ones (in place). */
export function unstandardize(values: Float32Array, s: Standardizer): Float32Array {
  const k = s.mean.length;
  for (let i = 0; i < values.length; i++) values[i] = values[i] * s.std[i % k] + s.mean[i % k];
  return values;
}

/**
 * The pool with each class's records repeated (the whole list as often as it fits, then a seeded
 * random remainder) until every class with records has as many as the largest class.
 */
export function oversamplePool(
  pool: Int32Array,
  classIds: Int32Array,
  classes: number,
  seed: number,
): { pool: Int32Array; counts: number[] } {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (const id of pool) {
    const c = classIds[id];
    if (c >= 0 && c < classes) byClass[c].push(id);
  }
  const target = maxOf(byClass.map((ids) => ids.length));
  const rng = createRng(seed);
  const out: number[] = [];
  const counts = byClass.map((ids) => {
    if (!ids.length) return 0;
    for (let i = 0; i + ids.length <= target; i += ids.length) pushAll(out, ids);
    for (let i = 0; i < target % ids.length; i++) out.push(ids[Math.floor(rng() * ids.length)]);
    return target;
  });
  return { pool: Int32Array.from(out), counts };
}
