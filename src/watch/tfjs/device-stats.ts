// Reductions the watcher runs on the device so that a readback carries a few numbers, never a
// tensor's worth: per-variable sums of squares of gradients and updates, and per-layer activation
// sums on the probe batch. Each returns one 1-D tensor to read back with `data()` (asynchronous).
import * as tf from '@tensorflow/tfjs';
import type { ActivationStats } from '../../core/evidence.ts';
import {
  RELU_FAMILY,
  SIGMOID_FAMILY,
  SIGMOID_SATURATED,
  TANH_FAMILY,
  TANH_SATURATED,
} from '../../tfjs/activations.ts';

/** Σx² as a scalar: plain reductions (tf.norm cost ~2× more in the instrumented step, trainer.ts). */
const sumSq = (x: tf.Tensor): tf.Tensor => tf.sum(tf.square(x));

/**
 * Before the optimizer step: Σg² per variable (−1 when it got no gradient), and a reference to each
 * variable's value. `assign` swaps a variable's data, so the clone keeps the pre-step values
 * without copying them.
 */
export function beforeStep(
  variables: tf.Variable[],
  gradientOf: (i: number) => tf.Tensor | undefined,
): { gradSq: tf.Tensor[]; before: tf.Tensor[] } {
  return tf.tidy(() => {
    const gradSq = variables.map((_, i) => {
      const g = gradientOf(i);
      return g ? sumSq(g) : tf.scalar(-1);
    });
    const before = variables.map((v) => v.clone());
    return { gradSq, before };
  });
}

/** After the step: [Σg² (V), Σ(ΔW)² (V), ΣW² (V), ΣW (V)] in one tensor; disposes its inputs. */
export function afterStep(variables: tf.Variable[], gradSq: tf.Tensor[], before: tf.Tensor[]): tf.Tensor {
  const out = tf.tidy(() =>
    tf.stack([
      ...gradSq,
      ...variables.map((v, i) => sumSq(tf.sub(v, before[i]))),
      ...before.map(sumSq),
      ...before.map((w) => tf.sum(w)),
    ]),
  );
  tf.dispose([...gradSq, ...before]);
  return out;
}

export interface ProbeLayer {
  name: string;
  activation: string;
}

/** Per layer: [Σy, Σy², units never positive, values saturated, units, values] in one tensor. */
export function activationSums(outputs: tf.Tensor[], layers: ProbeLayer[]): tf.Tensor {
  return tf.tidy(() =>
    tf.concat(
      outputs.map((out, i) => {
        const units = out.shape.length > 1 ? (out.shape[out.shape.length - 1] as number) : 1;
        const flat = out.reshape([-1, units]);
        const act = layers[i].activation;
        const dead = RELU_FAMILY.has(act)
          ? tf.sum(tf.cast(tf.lessEqual(tf.max(flat, 0), 0), 'float32'))
          : tf.scalar(0);
        const saturated = SIGMOID_FAMILY.has(act)
          ? tf.sum(
              tf.cast(
                tf.logicalOr(
                  tf.lessEqual(flat, SIGMOID_SATURATED),
                  tf.greaterEqual(flat, 1 - SIGMOID_SATURATED),
                ),
                'float32',
              ),
            )
          : TANH_FAMILY.has(act)
            ? tf.sum(tf.cast(tf.greaterEqual(tf.abs(flat), TANH_SATURATED), 'float32'))
            : tf.scalar(0);
        return tf.stack([tf.sum(flat), sumSq(flat), dead, saturated, tf.scalar(units), tf.scalar(flat.size)]);
      }),
    ),
  );
}

/** The numbers of `activationSums` → ActivationStats (no histogram: the live evidence keeps none). */
export function activationStats(
  values: ArrayLike<number>,
  layers: ProbeLayer[],
  records: number,
): ActivationStats[] {
  return layers.map((layer, depth) => {
    const at = depth * 6;
    const [sum, sq, dead, saturated, units, n] = [0, 1, 2, 3, 4, 5].map((k) => values[at + k]);
    const mean = sum / Math.max(1, n);
    return {
      layer: layer.name,
      activation: layer.activation,
      depth,
      units,
      records,
      mean,
      std: Math.sqrt(Math.max(0, sq / Math.max(1, n) - mean * mean)),
      fractionDead: RELU_FAMILY.has(layer.activation) ? dead / Math.max(1, units) : 0,
      fractionSaturated: saturated / Math.max(1, n),
    };
  });
}
