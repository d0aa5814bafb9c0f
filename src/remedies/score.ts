// Held-out scores the fix experiments compare (higher is better), from the model's outputs.
// Plain arrays: the TF.js side only predicts.

/** R² below this is "no better than useless", however far below: a diverged run must not stretch the spread. */
export const R2_FLOOR = -1;

/** Class per record: argmax, or p > 0.5 for one sigmoid unit; -1 (always wrong) when an output is not finite. */
export function predictedClasses(outputs: Float32Array, units: number): Int32Array {
  const n = Math.floor(outputs.length / units);
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    let finite = true;
    for (let k = 0; k < units; k++) {
      const v = outputs[r * units + k];
      if (!Number.isFinite(v)) finite = false;
      else if (v > outputs[r * units + best]) best = k;
    }
    out[r] = !finite ? -1 : units === 1 ? (outputs[r] > 0.5 ? 1 : 0) : best;
  }
  return out;
}

/** Mean recall over the classes present in `truth`: chance is 1/classes whatever the imbalance. */
export function balancedAccuracy(predicted: Int32Array, truth: ArrayLike<number>): number {
  const hits = new Map<number, [number, number]>();
  for (let i = 0; i < predicted.length; i++) {
    const c = truth[i];
    const h = hits.get(c) ?? [0, 0];
    h[0] += predicted[i] === c ? 1 : 0;
    h[1]++;
    hits.set(c, h);
  }
  if (!hits.size) return Number.NaN;
  let sum = 0;
  for (const [correct, total] of hits.values()) sum += correct / total;
  return sum / hits.size;
}

export function accuracy(predicted: Int32Array, truth: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) correct++;
  return predicted.length ? correct / predicted.length : Number.NaN;
}

/** Share of (record, label) outputs on the right side of 0.5 (multi-label). */
export function labelAccuracy(outputs: Float32Array, targets: Float32Array): number {
  let correct = 0;
  for (let i = 0; i < outputs.length; i++) if (outputs[i] > 0.5 === targets[i] > 0.5) correct++;
  return outputs.length ? correct / outputs.length : Number.NaN;
}

/** 1 − SSE/SST over every output (each output centred on its own mean), floored at R2_FLOOR. */
export function rSquared(outputs: Float32Array, targets: Float32Array, width: number): number {
  const n = Math.floor(targets.length / width);
  if (!n) return Number.NaN;
  const means = new Float64Array(width);
  for (let i = 0; i < targets.length; i++) means[i % width] += targets[i] / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < targets.length; i++) {
    if (!Number.isFinite(outputs[i])) return R2_FLOOR;
    sse += (targets[i] - outputs[i]) ** 2;
    sst += (targets[i] - means[i % width]) ** 2;
  }
  if (sst === 0) return sse === 0 ? 1 : R2_FLOOR;
  return Math.max(R2_FLOOR, 1 - sse / sst);
}

// How a score reads: with the report's remedy types (core/remedies.ts), so that the renderers
// format scores without importing this module.
export { fmtEffect, fmtScore, METRIC_LABEL } from '../core/remedies.ts';
