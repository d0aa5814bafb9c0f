// Planted faults of issue 20 (classes 1, 2, 5, 8) and their healthy twins: the same setup with
// the fault removed. Each fault's model and data are their own (tabular regression, MNIST
// shares under a softmax, a dropout MLP, a wide Glorot layer, an autoencoder), not copies of
// the built-in MLP. No test framework here: the test files import it.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../src/core/dataset.ts';
import { createRng, gaussian } from '../../src/core/random.ts';
import { loadMnist } from '../../src/data/mnist.ts';
import type { PlantedCase } from './planted-cases.ts';

export interface TwinCase {
  name: string;
  model: () => tf.LayersModel;
  data: () => Dataset;
}

// ---- data -------------------------------------------------------------------------------------

/**
 * Tabular regression: 8 standard-normal features, a smooth nonlinear target, standardized (mean
 * 0, std 1: half the targets are negative), as a scaler in a pipeline leaves it.
 */
function standardizedTable(records = 2000, seed = 11): Dataset {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: records * 8 }, () => gaussian(rng));
  const raw = Array.from({ length: records }, (_, r) => {
    const f = x.subarray(r * 8, r * 8 + 8);
    return Math.sin(f[0]) + 0.5 * f[1] * f[2] + f[3] - 0.3 * f[4] ** 2 + 0.1 * gaussian(rng);
  });
  const mean = raw.reduce((a, b) => a + b, 0) / records;
  const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / records);
  return {
    x,
    xShape: [records, 8],
    y: Float32Array.from(raw, (v) => (v - mean) / std),
    yShape: [records, 1],
    source: 'synthetic table (standardized target)',
  };
}

let mnistCache: Dataset | null = null;
export const mnist = () => {
  mnistCache ??= loadMnist('train', 4000);
  return mnistCache;
};

/**
 * Three independent targets per MNIST image: the share of ink in its top, middle and bottom
 * thirds of rows (each in [0, 1]; their sum is the image's ink share, about 0.1–0.3, not 1).
 */
function inkThirds(): Dataset {
  const ds = mnist();
  const n = ds.xShape[0];
  const y = new Float32Array(n * 3);
  for (let r = 0; r < n; r++) {
    for (let p = 0; p < 784; p++) {
      const third = Math.min(2, Math.floor(Math.floor(p / 28) / 10));
      y[r * 3 + third] += ds.x[r * 784 + p] / 784;
    }
  }
  for (let i = 0; i < y.length; i++) y[i] *= 3;
  return { ...ds, y, yShape: [n, 3], source: 'mnist ink share per third' };
}

/** MNIST images as their own targets (an autoencoder's data). */
function reconstruction(): Dataset {
  const ds = mnist();
  return { ...ds, y: ds.x, yShape: [ds.xShape[0], 784], source: 'mnist (targets = inputs)' };
}

/**
 * Denoising: the inputs are MNIST images with Gaussian noise (std 0.3, clipped to [0, 1]), the
 * targets the clean images — continuous values in [0, 1] over 784 outputs, not the inputs.
 */
function denoising(): Dataset {
  const ds = mnist();
  const rng = createRng(5);
  const x = Float32Array.from(ds.x, (v) => Math.min(1, Math.max(0, v + 0.3 * gaussian(rng))));
  return { ...ds, x, y: ds.x, yShape: [ds.xShape[0], 784], source: 'mnist (noisy inputs, clean targets)' };
}

// ---- models -----------------------------------------------------------------------------------

function tableMlp(output: 'relu' | 'linear'): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 32, activation: 'tanh', inputShape: [8] }),
      tf.layers.dense({ units: 16, activation: 'tanh' }),
      tf.layers.dense({ units: 1, activation: output }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(3e-3), loss: 'meanSquaredError' });
  return model;
}

/** A small CNN reading MNIST (a tanh dense head), regressing three outputs under MSE. */
function thirdsCnn(output: 'softmax' | 'sigmoid'): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        strides: 2,
        activation: 'relu',
        inputShape: [28, 28, 1],
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 32, activation: 'tanh' }),
      tf.layers.dense({ units: 3, activation: output }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

/** An MLP with dropout at `rate` on its input and after each hidden layer. */
export function dropoutMlp(rate: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dropout({ rate }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dropout({ rate }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dropout({ rate }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

/** A 784 → 64 → 784 autoencoder under binary cross-entropy (sigmoid outputs, as it should be). */
function autoencoder(output: 'sigmoid' | 'softmax' = 'sigmoid'): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 784, activation: output }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return model;
}

// ---- cases ------------------------------------------------------------------------------------

export const ACCURACY_PLANTED: PlantedCase[] = [
  // Class 1: an output that cannot produce the targets.
  {
    name: 'ReLU output on a standardized regression target (half the targets negative)',
    model: () => tableMlp('relu'),
    data: () => standardizedTable(),
    primary: ['loss/output-mismatch'],
  },
  {
    name: 'softmax over 3 independent regression targets (their sum is not 1)',
    model: () => thirdsCnn('softmax'),
    data: inkThirds,
    primary: ['loss/output-mismatch'],
  },
  {
    name: 'sigmoid output on ratings from 1 to 5 (tabular)',
    model: () => {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: 16, activation: 'tanh', inputShape: [8] }),
          tf.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(3e-3), loss: 'meanSquaredError' });
      return model;
    },
    data: () => {
      const ds = standardizedTable(1500, 12);
      return { ...ds, y: ds.y.map((v) => 3 + Math.max(-2, Math.min(2, v))), source: 'ratings 1–5' };
    },
    primary: ['loss/output-mismatch'],
  },
  // Class 8: a reconstruction judged as one; its fault is the output (a softmax over 784 pixels).
  {
    name: 'autoencoder with a softmax over its 784 outputs (BCE, targets = inputs)',
    model: () => autoencoder('softmax'),
    data: reconstruction,
    primary: ['loss/output-mismatch'],
  },
];

export const ACCURACY_TWINS: TwinCase[] = [
  {
    name: 'linear output on the standardized regression target',
    model: () => tableMlp('linear'),
    data: () => standardizedTable(),
  },
  {
    name: 'sigmoid outputs on the 3 independent ink shares',
    model: () => thirdsCnn('sigmoid'),
    data: inkThirds,
  },
  { name: 'dropout 0.3 on the same MLP', model: () => dropoutMlp(0.3), data: mnist },
  {
    name: 'autoencoder: 784 sigmoid outputs, BCE, targets = inputs',
    model: () => autoencoder(),
    data: reconstruction,
  },
  {
    name: 'denoising autoencoder: noisy inputs, clean targets in [0, 1], BCE',
    model: () => autoencoder(),
    data: denoising,
  },
];

/**
 * A 32 → 4,096 → 1 regression net whose wide layer is Glorot-uniform (TF.js's default), or the
 * same fan_avg uniform variance scaling at a gain (scale) of `scale`.
 */
export function wideGlorot(scale = 1): tf.LayersModel {
  const init = tf.initializers.varianceScaling({ scale, mode: 'fanAvg', distribution: 'uniform', seed: 3 });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 4096, activation: 'relu', inputShape: [32], kernelInitializer: init }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

/** 32 standard-normal features, a target linear in them plus a little noise (standardized). */
export function wideData(records = 1500): Dataset {
  const rng = createRng(21);
  const w = Array.from({ length: 32 }, () => gaussian(rng) / Math.sqrt(32));
  const x = Float32Array.from({ length: records * 32 }, () => gaussian(rng));
  const y = Float32Array.from({ length: records }, (_, r) => {
    let s = 0;
    for (let k = 0; k < 32; k++) s += w[k] * x[r * 32 + k];
    return s + 0.1 * gaussian(rng);
  });
  return { x, xShape: [records, 32], y, yShape: [records, 1], source: 'synthetic 32-feature linear target' };
}
