// The healthy zoo, kinds the first part lacks: sequence models on float series (Conv1D, LSTM,
// GRU), a residual functional net, a frozen pretrained base, multi-output regression, noisy
// labels, a very small table, a very wide layer and an autoencoder. Each is a setup an expert
// would call healthy; each is kept cheap (small data, small models) because the test also trains
// it with a plain fit to show that it really learns.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../../src/core/dataset.ts';
import { createRng, gaussian } from '../../../src/core/random.ts';
import { mlp, mnist, mnistPair, relabel, seededInits, want, type ZooSetup } from './setups.ts';
import { fitSetup } from './verify-fit.ts';

// ---- data ------------------------------------------------------------------------------------

/**
 * Float series of `length` steps, one channel: a sine whose number of cycles over the window is
 * 1, 2 or 4 (the class), with a random phase and amplitude and Gaussian noise.
 */
function waveforms(n: number, length: number, seed: number): Dataset {
  const rng = createRng(seed);
  const cycles = [1, 2, 4];
  const x = new Float32Array(n * length);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const c = Math.floor(rng() * cycles.length);
    const phase = rng() * 2 * Math.PI;
    const amplitude = 0.5 + rng();
    y[r] = c;
    for (let t = 0; t < length; t++)
      x[r * length + t] =
        amplitude * Math.sin((2 * Math.PI * cycles[c] * t) / length + phase) + 0.3 * gaussian(rng);
  }
  return { x, xShape: [n, length, 1], y, yShape: [n], source: 'waveforms' };
}

/** One-step-ahead forecast: `length` noisy samples of a sine of random frequency and phase; the target is the next clean sample. */
function forecast(n: number, length: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * length);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const omega = 0.2 + 0.4 * rng();
    const phase = rng() * 2 * Math.PI;
    for (let t = 0; t < length; t++) x[r * length + t] = Math.sin(omega * t + phase) + 0.05 * gaussian(rng);
    y[r] = Math.sin(omega * length + phase);
  }
  return { x, xShape: [n, length, 1], y, yShape: [n], source: 'sine forecast' };
}

/** Random walks with a drift of ±0.3 per step (class: the drift is upward) and unit-variance steps. */
function trends(n: number, length: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * length);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const up = rng() < 0.5;
    y[r] = up ? 1 : 0;
    let level = 0;
    for (let t = 0; t < length; t++) {
      level += (up ? 0.3 : -0.3) + gaussian(rng);
      // Scaled so the walk stays near unit size over the window.
      x[r * length + t] = level / Math.sqrt(length);
    }
  }
  return { x, xShape: [n, length, 1], y, yShape: [n], source: 'trends' };
}

/** Three targets of 8 standardized features: a smooth nonlinear one, an interaction and a linear one. */
function threeTargets(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const f = 8;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n * 3);
  for (let r = 0; r < n; r++) {
    const v = Array.from({ length: f }, () => gaussian(rng));
    x.set(v, r * f);
    y[r * 3] = Math.sin(v[0]) + 0.5 * v[1] ** 2 + 0.1 * gaussian(rng);
    y[r * 3 + 1] = v[2] * v[3] + 0.1 * gaussian(rng);
    y[r * 3 + 2] = 2 * v[4] - v[5] + 0.5 * v[6] + 0.1 * gaussian(rng);
  }
  return { x, xShape: [n, f], y, yShape: [n, 3], source: 'three targets' };
}

/** MNIST with a share of the training labels replaced by a uniformly random class. */
function noisyLabels(ds: Dataset, share: number, seed: number): Dataset {
  const rng = createRng(seed);
  const y = Float32Array.from(ds.y, (d) => (rng() < share ? Math.floor(rng() * 10) : d));
  return { ...ds, y, source: `mnist, ${share * 100}% labels random` };
}

/** Three Gaussian blobs in 4 dimensions (class centres 2.5 apart): a very small table. */
function blobs(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const centres = [
    [0, 0, 0, 0],
    [2.5, 0, 1, 0],
    [0, 2.5, 0, -1],
  ];
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const c = r % 3;
    y[r] = c;
    for (let i = 0; i < 4; i++) x[r * 4 + i] = centres[c][i] + gaussian(rng);
  }
  return { x, xShape: [n, 4], y, yShape: [n], source: 'blobs' };
}

/** 16 standardized features; the class is which of 4 quadrants two random projections fall in. */
function quadrants(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const f = 16;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const v = Array.from({ length: f }, () => gaussian(rng));
    x.set(v, r * f);
    const a = v[0] + v[1] - v[2];
    const b = v[3] - v[4] + v[5];
    y[r] = (a > 0 ? 1 : 0) + (b > 0 ? 2 : 0);
  }
  return { x, xShape: [n, f], y, yShape: [n], source: 'quadrants' };
}

/** MNIST pixels (0..1) as both inputs and targets: reconstruction. */
function reconstruction(ds: Dataset): Dataset {
  const n = ds.xShape[0];
  return { x: ds.x, xShape: [n, 784], y: ds.x, yShape: [n, 784], source: 'mnist reconstruction' };
}

// ---- models ----------------------------------------------------------------------------------

function compiled(model: tf.LayersModel, compile: tf.ModelCompileArgs): tf.LayersModel {
  model.compile(compile);
  return model;
}

/** Dense → two residual blocks (dense → dense, added to the block's input, then ReLU) → softmax. */
function residualMlp(): tf.LayersModel {
  const input = tf.input({ shape: [784] });
  let h = tf.layers.dense({ units: 64, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  for (let b = 0; b < 2; b++) {
    const inner = tf.layers.dense({ units: 64, activation: 'relu' }).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 64 }).apply(inner) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([h, out]) as tf.SymbolicTensor;
    h = tf.layers.activation({ activation: 'relu' }).apply(sum) as tf.SymbolicTensor;
  }
  const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(h) as tf.SymbolicTensor;
  return compiled(tf.model({ inputs: input, outputs: output, name: 'residual_mlp' }), {
    optimizer: tf.train.adam(1e-3),
    loss: 'sparseCategoricalCrossentropy',
  });
}

/**
 * Transfer: a base (dense 128 → dense 64) trained on the ten MNIST digits, then frozen under a new
 * head for another task (is the digit ≥ 5). Only the head trains.
 */
async function frozenBase(): Promise<tf.LayersModel> {
  const base = [
    tf.layers.flatten({ inputShape: [28, 28, 1] }),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 64, activation: 'relu' }),
  ];
  const pretrain = compiled(
    tf.sequential({ layers: [...base, tf.layers.dense({ units: 10, activation: 'softmax' })] }),
    { optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' },
  );
  await fitSetup(pretrain, mnist('train', 3000), 3);
  for (const layer of base) layer.trainable = false;
  const model = tf.sequential({
    layers: [
      ...base,
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  (pretrain.optimizer as tf.Optimizer).dispose();
  return compiled(model, { optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
}

const atLeast5 = (ds: Dataset) => relabel(ds, 1, (d) => [d >= 5 ? 1 : 0], 'mnist ≥5');
const flat = (ds: Dataset) => ({ ...ds, xShape: [ds.xShape[0], 784] });

/** Sequence models on float series. */
export const ZOO_SEQUENCES: ZooSetup[] = seededInits([
  {
    name: 'Conv1D classifier on float series (3 waveforms)',
    model: () =>
      compiled(
        tf.sequential({
          layers: [
            tf.layers.conv1d({ filters: 16, kernelSize: 5, activation: 'relu', inputShape: [32, 1] }),
            tf.layers.maxPooling1d({ poolSize: 2 }),
            tf.layers.conv1d({ filters: 16, kernelSize: 3, activation: 'relu' }),
            tf.layers.globalAveragePooling1d(),
            tf.layers.dense({ units: 3, activation: 'softmax' }),
          ],
        }),
        { optimizer: tf.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: () => ({ train: waveforms(1200, 32, 1), test: waveforms(600, 32, 2) }),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.9,
  },
  {
    name: 'LSTM forecaster on float series (next sample of a noisy sine)',
    model: () =>
      compiled(
        tf.sequential({
          layers: [tf.layers.lstm({ units: 16, inputShape: [16, 1] }), tf.layers.dense({ units: 1 })],
        }),
        { optimizer: tf.train.adam(1e-2), loss: 'meanSquaredError' },
      ),
    data: () => ({ train: forecast(600, 16, 3), test: forecast(400, 16, 4) }),
    metric: 'r2',
    fitEpochs: 8,
    minScore: 0.8,
  },
  {
    name: 'GRU classifier on float series (trend up or down)',
    model: () =>
      compiled(
        tf.sequential({
          layers: [
            tf.layers.gru({ units: 12, inputShape: [16, 1] }),
            tf.layers.dense({ units: 1, activation: 'sigmoid' }),
          ],
        }),
        { optimizer: tf.train.adam(1e-2), loss: 'binaryCrossentropy' },
      ),
    data: () => ({ train: trends(800, 16, 5), test: trends(400, 16, 6) }),
    metric: 'accuracy',
    fitEpochs: 8,
    minScore: 0.8,
  },
]);

/** Functional and transfer nets, multi-output regression, noisy labels, tiny and wide, reconstruction. */
export const ZOO_MORE: ZooSetup[] = seededInits([
  {
    name: 'residual functional MLP (two skip connections)',
    model: residualMlp,
    data: mnistPair(3000, flat),
    metric: 'accuracy',
    fitEpochs: 5,
    minScore: 0.83,
  },
  {
    name: 'frozen pretrained base + new head (transfer to digit ≥ 5)',
    model: frozenBase,
    data: mnistPair(3000, atLeast5),
    metric: 'accuracy',
    fitEpochs: 5,
    minScore: 0.8,
  },
  {
    name: 'multi-output regression (3 linear outputs)',
    expect: (r) => want(r.evidence.task?.kind === 'regression', 'not judged as a regression'),
    model: () =>
      mlp(
        [8],
        [64, 64],
        { units: 3, activation: 'linear' },
        { optimizer: tf.train.adam(3e-3), loss: 'meanSquaredError' },
      ),
    data: () => ({ train: threeTargets(2000, 7), test: threeTargets(1000, 8) }),
    metric: 'r2',
    fitEpochs: 20,
    minScore: 0.85,
  },
  {
    name: 'noisy labels (30% of MNIST training labels random)',
    model: () =>
      mlp(
        [28, 28, 1],
        [128],
        { units: 10, activation: 'softmax' },
        { optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: () => ({ train: noisyLabels(mnist('train', 4000), 0.3, 9), test: mnist('test', 2000) }),
    metric: 'accuracy',
    fitEpochs: 8,
    minScore: 0.78,
  },
  {
    name: 'very small table (60 records, 4 features, 3 classes)',
    model: () =>
      mlp(
        [4],
        [16],
        { units: 3, activation: 'softmax' },
        { optimizer: tf.train.adam(1e-2), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: () => ({ train: blobs(60, 10), test: blobs(600, 11) }),
    metric: 'accuracy',
    fitEpochs: 100,
    minScore: 0.7,
  },
  {
    name: 'very wide layer (16 features → dense 4096, Glorot)',
    model: () =>
      mlp(
        [16],
        [4096],
        { units: 4, activation: 'softmax' },
        { optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: () => ({ train: quadrants(2000, 12), test: quadrants(1000, 13) }),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.85,
  },
  {
    name: 'autoencoder (784 → 32 → 784 sigmoid, binary cross-entropy, inputs as targets)',
    model: () =>
      mlp(
        [784],
        [32],
        { units: 784, activation: 'sigmoid' },
        { optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' },
      ),
    data: mnistPair(3000, (d) => reconstruction(d)),
    metric: 'r2',
    fitEpochs: 8,
    minScore: 0.25,
  },
]);
