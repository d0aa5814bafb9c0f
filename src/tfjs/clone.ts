// Clones of the user's model for experiments. The user's model, weights and optimizer are
// only read: every experiment trains its own clone with its own fresh optimizer.
import * as tf from '@tensorflow/tfjs';
import {
  isWeightOf,
  orthogonalValues,
  takeOrthogonalInitializers,
  zeroInitializers,
} from './initializers.ts';

type Json = Record<string, unknown>;

const REGULARIZER_KEYS = [
  'kernelRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'depthwiseRegularizer',
  'pointwiseRegularizer',
  'embeddingsRegularizer',
  'kernel_regularizer',
  'bias_regularizer',
  'activity_regularizer',
];
const DROPOUT_CLASSES = new Set([
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianDropout',
  'AlphaDropout',
  'GaussianNoise',
]);

/** Switches regularization off in a topology (dropout rate 0, regularizers removed); lists what it removed. */
function stripRegularization(node: unknown, removed: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) stripRegularization(item, removed);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Json;
  const config = obj.config as Json | undefined;
  if (typeof obj.class_name === 'string' && config && typeof config === 'object') {
    const name = String(config.name ?? obj.class_name);
    if (DROPOUT_CLASSES.has(obj.class_name)) {
      for (const key of ['rate', 'stddev']) {
        if (typeof config[key] === 'number' && config[key] !== 0) {
          removed.push(`${name} (${key} ${config[key]})`);
          config[key] = 0;
        }
      }
    }
    for (const key of REGULARIZER_KEYS) {
      if (config[key]) {
        removed.push(`${name} ${key.replace(/_?[Rr]egularizer$/, '')} regularizer`);
        config[key] = null;
      }
    }
  }
  for (const value of Object.values(obj)) stripRegularization(value, removed);
}

/**
 * Gives every unseeded initializer in a topology a seed (`seed`, `seed + 1`, … in document order),
 * so that a re-initialized clone draws nothing from Math.random and is the same on every run.
 * Dropout-like layers keep `seed: null` on purpose: a seeded TF.js Dropout draws the same mask on
 * every step. Their randomness is seeded per training step instead (trainer.ts).
 */
export function seedInitializers(node: unknown, next: () => number): void {
  if (Array.isArray(node)) {
    for (const item of node) seedInitializers(item, next);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Json)) {
    const config = (value as Json | null)?.config as Json | undefined;
    if (/initializer$/i.test(key) && config && typeof config === 'object' && 'seed' in config) {
      if (config.seed == null) config.seed = next();
    } else {
      seedInitializers(value, next);
    }
  }
}

export interface CloneOptions {
  /** Remove dropout and weight/activity regularizers (for the overfit-small experiment). */
  withoutRegularization?: boolean;
}

/**
 * A structural clone with the user's current weights (the user's model is only read). Built with
 * zero initializers: its initial values are overwritten at once, and some initializers cost
 * seconds (Orthogonal, initializers.ts); building it draws nothing from Math.random either.
 */
export async function cloneModel(
  model: tf.LayersModel,
  options: CloneOptions = {},
): Promise<{ model: tf.LayersModel; removed: string[] }> {
  const topology = zeroInitializers(model.toJSON(null, false)) as Json;
  const removed: string[] = [];
  if (options.withoutRegularization) stripRegularization(topology, removed);
  const clone = await tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON as never);
  clone.setWeights(model.getWeights());
  return { model: clone, removed };
}

/**
 * The same architecture with freshly initialized weights (each layer's configured initializers),
 * for judging a trained checkpoint's setup from initialization. Frozen layers (trainable: false)
 * keep the model's weights: they are a pretrained part the user means to keep, not to re-learn.
 * Initializers the model seeds itself keep their seeds (and so give the model's own first weights).
 */
export async function reinitializedClone(model: tf.LayersModel, seed: number): Promise<tf.LayersModel> {
  const topology = model.toJSON(null, false) as unknown as Json;
  // Seeded like cloneModel: the fresh weights are the same on every run with the same seed.
  let next = seed % 2147483647;
  seedInitializers(topology, () => next++);
  // Orthogonal kernels are built as zeros, then filled by the fast construction (initializers.ts).
  const orthogonal = takeOrthogonalInitializers(topology, () => next++);
  const clone = await tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON as never);
  for (const spec of orthogonal) {
    const targets = clone.weights.filter((w) => isWeightOf(w.originalName, spec));
    if (!targets.length) {
      clone.dispose();
      throw new Error(`re-initialization: no weight '${spec.weight}' of layer '${spec.layer}' to initialize`);
    }
    for (const w of targets) {
      const shape = w.shape as number[];
      const values = tf.tensor(orthogonalValues(shape, spec.gain, spec.seed), shape);
      w.write(values);
      values.dispose();
    }
  }
  model.layers.forEach((layer, i) => {
    if (!layer.trainable && layer.weights.length) clone.layers[i].setWeights(layer.getWeights());
  });
  return clone;
}

interface OptimizerWithLr extends tf.Optimizer {
  learningRate?: number;
  setLearningRate?: (lr: number) => void;
}

/** Learning rate of a TF.js optimizer, when it has one. */
export function learningRateOf(optimizer: tf.Optimizer | undefined): number | null {
  const cfg = optimizer?.getConfig() as { learningRate?: unknown } | undefined;
  return typeof cfg?.learningRate === 'number' ? cfg.learningRate : null;
}

/** A fresh optimizer of the same class and config as `template`, optionally at another learning rate. */
export function freshOptimizer(template: tf.Optimizer, learningRate?: number): tf.Optimizer {
  const className = template.getClassName();
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`cannot recreate optimizer ${className}`);
  const config = { ...template.getConfig() } as tf.serialization.ConfigDict;
  if (learningRate !== undefined) config.learningRate = learningRate;
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config) as tf.Optimizer;
}

/** Changes an optimizer's learning rate in place (SGD-family caches it as a tensor). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as OptimizerWithLr;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** Builds an optimizer from a name (`--optimizer`), e.g. `adam`, `sgd`, `rmsprop`. */
export function optimizerByName(name: string, lr: number): tf.Optimizer | null {
  switch (name.toLowerCase()) {
    case 'adam':
      return tf.train.adam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, 0.9);
    case 'rmsprop':
      return tf.train.rmsprop(lr);
    case 'adagrad':
      return tf.train.adagrad(lr);
    case 'adadelta':
      return tf.train.adadelta(lr);
    case 'adamax':
      return tf.train.adamax(lr);
    default:
      return null;
  }
}
