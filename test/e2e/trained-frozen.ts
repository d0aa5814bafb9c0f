// Setups of issue 20, classes 6, 7 and 9 (test/e2e/trained-frozen.test.ts): each a real TF.js
// model and data the other e2e suites lack, built lazily (TF.js objects after the backend is
// selected), with its healthy twin.
//  6. a transfer setup: an MLP trained on the MNIST digits (its first layer mostly dead ReLUs),
//     frozen, under a fresh head that learns another task on the same images (parity);
//  7. a trained checkpoint on a churn-like table (12 features, 20% positives): an MLP whose wide
//     first layer is 60% dead units yet fits its data — and the same checkpoint with 95% of the
//     units killed after training, whose own loss is poor;
//  9. a run that converges within a few steps (SGD 2 on well-separated blobs): its updates vanish
//     once the loss is ≈ 1e-6 — and the same setup at SGD 1e-4, which leaves the loss flat.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../src/core/dataset.ts';
import { createRng, gaussian } from '../../src/core/random.ts';
import { loadMnist } from '../../src/data/mnist.ts';

const toTensors = (d: Dataset) => [tf.tensor(d.x, d.xShape), tf.tensor(d.y, d.yShape)] as const;

export async function trainFor(model: tf.LayersModel, data: Dataset, epochs: number): Promise<void> {
  const [x, y] = toTensors(data);
  try {
    await model.fit(x, y, { epochs, batchSize: 64, verbose: 0, shuffle: true });
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Held-out accuracy of a softmax (argmax) or sigmoid (> 0.5) classifier. */
export function accuracyOn(model: tf.LayersModel, data: Dataset): number {
  return tf.tidy(() => {
    const [x, y] = toTensors(data);
    const p = model.predict(x) as tf.Tensor;
    const guess = p.shape[1] === 1 ? p.reshape([-1]).greater(0.5).toFloat() : p.argMax(1).toFloat();
    return guess
      .equal(y.reshape([-1]))
      .mean()
      .dataSync()[0];
  });
}

// ---- class 6: a frozen base ------------------------------------------------------------------

/** MNIST records labelled by parity: 0 even, 1 odd. */
function parity(split: 'train' | 'test', n: number): Dataset {
  const ds = loadMnist(split, n);
  return { ...ds, y: ds.y.map((d) => d % 2), source: 'mnist parity' };
}

export const transferData = () => ({ train: parity('train', 6000), test: parity('test', 2000) });

/**
 * A base MLP trained to classify the ten digits (its first layer starts at bias −1: most of its
 * units are dead and stay so), then frozen under a fresh head for parity compiled with `optimizer`.
 */
export async function frozenBaseModel(optimizer: tf.Optimizer): Promise<tf.LayersModel> {
  const base = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({
        units: 128,
        activation: 'relu',
        name: 'base_dense_1',
        kernelInitializer: tf.initializers.heNormal({ seed: 11 }),
        biasInitializer: tf.initializers.constant({ value: -1 }),
      }),
      tf.layers.dense({
        units: 64,
        activation: 'relu',
        name: 'base_dense_2',
        kernelInitializer: tf.initializers.heNormal({ seed: 12 }),
      }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'base_out' }),
    ],
  });
  base.compile({ optimizer: tf.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy' });
  await trainFor(base, loadMnist('train', 8000), 3);
  for (const layer of base.layers.slice(0, 3)) layer.trainable = false;
  const features = base.layers[2].output as tf.SymbolicTensor;
  const hidden = tf.layers
    .dense({
      units: 32,
      activation: 'relu',
      name: 'head_dense',
      kernelInitializer: tf.initializers.heNormal({ seed: 13 }),
    })
    .apply(features) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 2, activation: 'softmax', name: 'head_out' })
    .apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: out, name: 'frozen_transfer' });
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  return model;
}

// ---- class 7: a trained checkpoint ------------------------------------------------------------

/** A churn-like table: 12 standardized features, 20% positives by a non-linear score (plus noise). */
function churnTable(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const f = 12;
  const x = new Float32Array(n * f);
  const scores: number[] = [];
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < f; j++) x[r * f + j] = gaussian(rng);
    const v = (j: number) => x[r * f + j];
    scores.push(v(0) + 0.8 * v(1) - 0.6 * v(2) + 0.7 * v(3) * v(4) + 0.2 * gaussian(rng));
  }
  const cut = [...scores].sort((a, b) => a - b)[Math.floor(0.8 * n)];
  const y = Float32Array.from(scores, (s) => (s >= cut ? 1 : 0));
  return { x, xShape: [n, f], y, yShape: [n], source: 'churn-like table' };
}

export const churnData = () => ({ train: churnTable(3000, 21), test: churnTable(1000, 22) });

/** 12 → 128 (ReLU, the first `deadShare` of its units at bias −50: dead from the start) → 32 → 1 sigmoid. */
function churnMlp(deadShare: number): tf.LayersModel {
  const model = tf.sequential({
    name: 'churn_mlp',
    layers: [
      tf.layers.dense({
        units: 128,
        activation: 'relu',
        inputShape: [12],
        name: 'wide',
        kernelInitializer: tf.initializers.heNormal({ seed: 31 }),
      }),
      tf.layers.dense({
        units: 32,
        activation: 'relu',
        name: 'narrow',
        kernelInitializer: tf.initializers.heNormal({ seed: 32 }),
      }),
      tf.layers.dense({
        units: 1,
        activation: 'sigmoid',
        name: 'churn',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 33 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(3e-3), loss: 'binaryCrossentropy' });
  killUnits(model, deadShare);
  return model;
}

/** Sets the biases of the first `share` of the wide layer's units to −50: never positive again. */
function killUnits(model: tf.LayersModel, share: number): void {
  const wide = model.getLayer('wide');
  const [kernel, bias] = wide.getWeights();
  const values = bias.dataSync().slice();
  for (let i = 0; i < Math.round(values.length * share); i++) values[i] = -50;
  const dead = tf.tensor(values);
  wide.setWeights([kernel, dead]);
  dead.dispose();
}

/** Trained with fit for 20 epochs with 60% of its wide layer dead from the start: it fits its data. */
export async function fittingCheckpoint(train: Dataset): Promise<tf.LayersModel> {
  const model = churnMlp(0.6);
  await trainFor(model, train, 20);
  return model;
}

/** The same checkpoint, trained whole, then 95% of its wide layer killed: its own loss is poor. */
export async function brokenCheckpoint(train: Dataset): Promise<tf.LayersModel> {
  const model = churnMlp(0);
  await trainFor(model, train, 20);
  killUnits(model, 0.95);
  return model;
}

// ---- class 9: a run that converges -----------------------------------------------------------

/** Two Gaussian blobs 4σ apart along 4 of 16 features (the rest noise): separable by a margin. */
export function blobs(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const f = 16;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    y[r] = r % 2;
    for (let j = 0; j < f; j++) x[r * f + j] = gaussian(rng) + (j < 4 ? (y[r] ? 2 : -2) : 0);
  }
  return { x, xShape: [n, f], y, yShape: [n], source: 'separated blobs' };
}

/** 16 → 32 → 16 → 1 sigmoid, seeded, under SGD at `lr`. */
export function blobMlp(lr: number): tf.LayersModel {
  const model = tf.sequential({
    name: 'blob_mlp',
    layers: [
      tf.layers.dense({
        units: 32,
        activation: 'relu',
        inputShape: [16],
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dense({
        units: 16,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 2 }),
      }),
      tf.layers.dense({
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(lr), loss: 'binaryCrossentropy' });
  return model;
}
