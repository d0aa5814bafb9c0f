// Activation statistics of the hidden layers on one batch, in inference mode (dropout off):
// scale (mean/std), dead ReLU units and saturated tanh/sigmoid units, plus a histogram.
import * as tf from '@tensorflow/tfjs';
import type { ActivationStats } from '../core/evidence.ts';
import { layerActivation } from './model-info.ts';

export const RELU_FAMILY = new Set(['relu', 'relu6', 'leakyrelu', 'elu', 'selu']);
export const SIGMOID_FAMILY = new Set(['sigmoid', 'hardsigmoid', 'hard_sigmoid']);
export const TANH_FAMILY = new Set(['tanh', 'softsign']);
const SKIP_CLASSES = new Set([
  'InputLayer',
  'Dropout',
  'Flatten',
  'Reshape',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  // A table lookup, not an activation: its scale is the embedding init, not a unit's response.
  'Embedding',
]);
const HISTOGRAM_BINS = 30;

/** sigmoid' = y(1−y) ≤ 0.0025 (1% of 0.25) ⇔ y ≤ 0.0025 or y ≥ 0.9975. */
export const SIGMOID_SATURATED = 0.0025;
/** tanh' = 1 − y² ≤ 0.01 ⇔ |y| ≥ 0.995. */
export const TANH_SATURATED = 0.995;

/** Whether a value lies where the activation's derivative is below 1% of its maximum. */
function saturatedTest(activation: string): ((v: number) => boolean) | null {
  if (SIGMOID_FAMILY.has(activation)) return (v) => v <= SIGMOID_SATURATED || v >= 1 - SIGMOID_SATURATED;
  if (TANH_FAMILY.has(activation)) return (v) => Math.abs(v) >= TANH_SATURATED;
  return null;
}

export interface ActivationProbe {
  layers: { name: string; activation: string }[];
  measure(x: tf.Tensor): ActivationStats[];
  dispose(): void;
}

/**
 * A model that outputs the hidden layers' outputs, sharing the model's layers and weights (it owns
 * nothing: the user's model is left as it is), and those layers' names and activations.
 */
export function hiddenOutputs(
  model: tf.LayersModel,
): { probeModel: tf.LayersModel; layers: { name: string; activation: string }[] } | null {
  const last = model.layers[model.layers.length - 1];
  const chosen = model.layers.filter((layer) => {
    if (layer === last || SKIP_CLASSES.has(layer.getClassName())) return false;
    const act = layerActivation(layer);
    return (act !== null && act !== 'linear') || layer.weights.length > 0;
  });
  if (!chosen.length) return null;
  let probeModel: tf.LayersModel;
  try {
    probeModel = tf.model({
      inputs: model.inputs,
      outputs: chosen.map((l) => l.output as tf.SymbolicTensor),
    });
  } catch {
    return null; // layers used more than once, nested models: no single output per layer
  }
  const layers = chosen.map((l) => ({
    name: l.name,
    activation: (layerActivation(l) ?? 'linear').toLowerCase(),
  }));
  return { probeModel, layers };
}

/** Builds a model that exposes the hidden layers' outputs (sharing the model's weights). */
export function activationProbe(model: tf.LayersModel): ActivationProbe | null {
  const hidden = hiddenOutputs(model);
  if (!hidden) return null;
  const { probeModel, layers } = hidden;
  return {
    layers,
    measure(x) {
      const outs = tf.tidy(() => {
        const o = probeModel.predict(x);
        return Array.isArray(o) ? o : [o];
      });
      const stats = outs.map((out, depth) => summarize(out, layers[depth], depth));
      tf.dispose(outs);
      return stats;
    },
    dispose() {
      // The probe model shares layers with `model`; nothing of its own to free.
    },
  };
}

function summarize(
  out: tf.Tensor,
  layer: { name: string; activation: string },
  depth: number,
): ActivationStats {
  const values = out.dataSync() as Float32Array;
  const records = out.shape[0];
  const units = out.shape.length > 1 ? (out.shape[out.shape.length - 1] as number) : 1;
  let s = 0;
  let s2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const everPositive = new Uint8Array(units);
  let saturatedValues = 0;
  const isSaturated = saturatedTest(layer.activation);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const u = i % units;
    s += v;
    s2 += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v > 0) everPositive[u] = 1;
    if (isSaturated?.(v)) saturatedValues++;
  }
  const n = Math.max(1, values.length);
  const mean = s / n;
  let dead = 0;
  for (let u = 0; u < units; u++) if (!everPositive[u]) dead++;
  return {
    layer: layer.name,
    activation: layer.activation,
    depth,
    units,
    records,
    mean,
    std: Math.sqrt(Math.max(0, s2 / n - mean * mean)),
    fractionDead: RELU_FAMILY.has(layer.activation) ? dead / units : 0,
    fractionSaturated: isSaturated ? saturatedValues / n : 0,
    histogram: histogram(values, min, max),
  };
}

function histogram(values: Float32Array, min: number, max: number): { edges: number[]; counts: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { edges: [], counts: [] };
  const span = max - min || 1;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(((v - min) / span) * HISTOGRAM_BINS))]++;
  }
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => min + (span * i) / HISTOGRAM_BINS);
  return { edges, counts };
}
