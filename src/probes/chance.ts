// The loss a model scores when it has learned nothing from the features, only the label
// frequencies: the cross-entropy of the labels under the class prior (its entropy when both are
// the same records), per label for multi-label, or the squared error of predicting the mean
// target. On imbalanced data this is far below ln(classes): 95/5 binary labels give 0.199, not
// ln 2 = 0.693.
import { normalizeLossName } from '../core/names.ts';
import type { TrainingData } from '../tfjs/trainer.ts';

const CROSS_ENTROPY = new Set([
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'binary_crossentropy',
]);
/** Frequencies are clamped away from 0 and 1, as the losses clamp probabilities (ε = 1e-7). */
const EPSILON = 1e-7;

const log = (p: number) => Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, p)));

/**
 * Loss on the records `evalIds` of predicting the label frequencies of `priorIds` (default: the
 * same records); null when the loss has no such reference (hinge, custom losses).
 */
export function priorChanceLoss(
  loss: string,
  data: TrainingData,
  evalIds: Int32Array,
  priorIds: Int32Array = evalIds,
): number | null {
  const name = normalizeLossName(loss);
  if (!evalIds.length || !priorIds.length) return null;
  const width = data.targetShape.reduce((a, b) => a * b, 1);
  const column = (ids: Int32Array, k: number) => {
    let s = 0;
    for (const r of ids) s += data.targets[r * width + k];
    return s / ids.length;
  };
  if (name === 'mean_squared_error' && !data.classIds && !data.multiLabel) {
    let total = 0;
    for (let k = 0; k < width; k++) {
      const mean = column(priorIds, k);
      let se = 0;
      for (const r of evalIds) se += (data.targets[r * width + k] - mean) ** 2;
      total += se / evalIds.length;
    }
    return total / width;
  }
  if (!CROSS_ENTROPY.has(name)) return null;
  // Per-output cross-entropy of the output's mean: multi-label, and binary cross-entropy on
  // continuous targets in [0, 1] (a reconstruction), where q is the records' mean target.
  if (data.multiLabel || (name === 'binary_crossentropy' && !data.classIds)) {
    let total = 0;
    for (let k = 0; k < width; k++) {
      const p = column(priorIds, k);
      const q = column(evalIds, k);
      total -= q * log(p) + (1 - q) * log(1 - p);
    }
    return total / width;
  }
  const ids = data.classIds;
  if (!ids) return null;
  const frequency = (set: Int32Array) => {
    const counts = new Map<number, number>();
    for (const r of set) counts.set(ids[r], (counts.get(ids[r]) ?? 0) + 1);
    return counts;
  };
  const prior = frequency(priorIds);
  let h = 0;
  for (const [c, n] of frequency(evalIds))
    h -= (n / evalIds.length) * log((prior.get(c) ?? 0) / priorIds.length);
  return h;
}
