// Planted faults on real MNIST with the built-in MLP, and the fix that repairs each: the e2e
// tests (planted.ts) and bench/remedies.ts share them. No test framework here: the bench imports it.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../src/core/dataset.ts';
import { createRng, permutation } from '../../src/core/random.ts';
import { loadMnist } from '../../src/data/mnist.ts';
import { type ExampleOptions, exampleData } from '../../src/example/mnist-mlp.ts';

export interface PlantedCase {
  name: string;
  /** Built lazily: TF.js objects must be created after the backend is selected. */
  model: () => ExampleOptions | tf.LayersModel;
  data: () => Dataset;
  /** The primary diagnosis (either, when several are acceptable); it must fail unless `fails` says what fails. */
  primary: string[];
  /** Checks that must fail, when the primary cause only warns and explains their failure. */
  fails?: string[];
  /** A causal link the diagnosis must report: [cause, effect]. */
  chain?: [string, string];
  /**
   * Verified remedies: the fixes that may verify first (the right fix for this fault), or null
   * when no fix may verify (nothing in the catalogue repairs it). Absent: not verified here
   * (bench/remedies.ts sweeps every case).
   */
  fix?: string[] | null;
}

/**
 * Cost of the fix experiments in the e2e tests: 3 seeds, 3 random fixes, at most 2 candidates and
 * no chain (bench/remedies.ts runs the default budget and the chains).
 */
export const E2E_REMEDY_BUDGET = { seeds: 3, randomDraws: 3, candidates: 2, stages: 1 };

/**
 * The healthy built-in MLP's held-out balanced accuracy on the same 100-step budget (91–92% over
 * seeds; test/e2e/remedies.test.ts measures it), and how close a verified fix must bring a
 * planted fault to it.
 */
export const HEALTHY_BALANCED_ACCURACY = 0.91;
export const HEALTHY_MARGIN = 0.05;

let cached: Dataset | null = null;
const mnist = () => {
  cached ??= exampleData();
  return cached;
};

/** 95% of records in class 0, the other 5% spread over classes 1–9. */
function mostlyOneClass(): Dataset {
  const ds = loadMnist('train', 30_000);
  const zeros: number[] = [];
  const others: number[] = [];
  for (let i = 0; i < ds.xShape[0]; i++) (ds.y[i] === 0 ? zeros : others).push(i);
  const keep = [...zeros, ...others.slice(0, Math.round(zeros.length / 19))];
  const x = new Float32Array(keep.length * 784);
  const y = new Float32Array(keep.length);
  keep.forEach((r, k) => {
    x.set(ds.x.subarray(r * 784, r * 784 + 784), k * 784);
    y[k] = ds.y[r];
  });
  return { x, xShape: [keep.length, 28, 28, 1], y, yShape: [keep.length], source: 'mnist (95% class 0)' };
}

function shuffledLabels(): Dataset {
  const ds = mnist();
  const p = permutation(ds.y.length, createRng(7));
  return { ...ds, y: Float32Array.from(p, (i) => ds.y[i]), source: 'mnist (shuffled labels)' };
}

export const PLANTED: PlantedCase[] = [
  {
    name: 'all-zero kernel init',
    model: () => ({ kernelInitializer: tf.initializers.zeros() }),
    data: mnist,
    primary: ['model/init-shallow'],
    fix: ['reinit-fan'],
  },
  {
    name: 'raw 0–255 pixels',
    model: () => ({}),
    data: () => loadMnist('train', 10_000, { raw: true }),
    primary: ['inputs/mean-centering'],
    fix: ['standardize-inputs'],
  },
  // SGD at 0.5 trains this MLP well (the healthy test below); 10× that does not converge.
  {
    name: 'learning rate 10× too high (SGD 5)',
    model: () => ({ optimizer: tf.train.sgd(5) }),
    data: mnist,
    primary: ['loss/learning-rate'],
    fix: ['lr-range-test', 'lr-down'],
  },
  {
    name: 'learning rate 1000× too low (Adam 1e-6)',
    model: () => ({ optimizer: tf.train.adam(1e-6) }),
    data: mnist,
    primary: ['loss/learning-rate'],
  },
  {
    name: 'L2 so strong the regularization loss dominates',
    model: () => ({ kernelRegularizer: tf.regularizers.l2({ l2: 1 }) }),
    data: mnist,
    primary: ['loss/regularization'],
    fix: ['regularization-lower', 'regularization-remove'],
  },
  {
    name: 'sigmoid layers with large-std init',
    model: () => ({
      hiddenActivation: 'sigmoid',
      kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 1 }),
    }),
    data: mnist,
    primary: ['activations/saturation'],
  },
  {
    name: 'ReLU layers with a large negative bias',
    model: () => ({ biasInitializer: tf.initializers.constant({ value: -5 }) }),
    data: mnist,
    primary: ['activations/dead-relu'],
  },
  {
    name: '95% of records in one class',
    model: () => ({}),
    data: mostlyOneClass,
    primary: ['inputs/class-balance'],
  },
  {
    name: 'no softmax under categorical cross-entropy',
    model: () => ({ outputActivation: 'linear' as const }),
    data: mnist,
    primary: ['loss/output-mismatch', 'loss/initial-loss'],
    fix: ['output-activation', 'loss-crossentropy'],
  },
  // No fix repairs labels that carry no signal: none may verify.
  {
    name: 'shuffled labels',
    model: () => ({}),
    data: shuffledLabels,
    primary: ['inputs/label-signal'],
    fix: null,
  },
];

/** A 784-64-1 MLP under binary cross-entropy, with the given output activation. */
function binaryMlp(output: 'softmax' | 'sigmoid'): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({
        units: 64,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dense({
        units: 1,
        activation: output,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return model;
}

/** A 784-64-1 regression MLP under mean squared error. */
function regressionMlp(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({
        units: 64,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

/** The faults of ranking: a root cause that warns, a one-unit softmax, raw regression targets. */
export const PLANTED_CAUSES: PlantedCase[] = [
  // SGD at 0.5 trains this MLP well; at 1 the loss still falls but more than half the units of
  // the first layer die during the run. The learning rate is the cause, dead ReLUs its symptom.
  {
    name: 'SGD at a learning rate that kills the ReLUs (SGD 1)',
    model: () => ({ optimizer: tf.train.sgd(1) }),
    data: mnist,
    primary: ['loss/learning-rate'],
    fails: ['activations/dead-relu'],
    chain: ['loss/learning-rate', 'activations/dead-relu'],
  },
  {
    name: 'a one-unit softmax under binary cross-entropy (always exactly 1)',
    model: () => binaryMlp('softmax'),
    data: () => ({ ...mnist(), y: mnist().y.map((d) => (d >= 5 ? 1 : 0)), source: 'mnist ≥ 5' }),
    primary: ['loss/output-mismatch'],
  },
  {
    name: 'a regression target left in raw units (mean ≈ 22,500)',
    model: regressionMlp,
    data: () => ({
      ...mnist(),
      y: mnist().y.map((d) => 20_000 + 500 * d),
      source: 'mnist price-like target',
    }),
    primary: ['inputs/target-scale'],
  },
];
