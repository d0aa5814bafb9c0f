// The healthy zoo, healthy twins of the faults issue 20 plants: output activations that fit the
// target's range (a sigmoid on targets in [0, 1], a ReLU on non-negative targets, a softmax on
// proportions that sum to 1), weight decay that does not stop learning, and more architectures
// (bidirectional recurrent, Embedding + Conv1D). Each is kept
// cheap because the test also trains it with a plain fit to show that it really learns.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../../src/core/dataset.ts';
import { createRng, gaussian } from '../../../src/core/random.ts';
import { mlp, mnistPair, seededInits, want, type ZooSetup } from './setups.ts';

// ---- data ------------------------------------------------------------------------------------

/** `f` standardized features and `width` targets computed from them by `target` (record-major). */
function table(
  n: number,
  f: number,
  width: number,
  seed: number,
  source: string,
  target: (v: number[], rng: () => number) => number[],
): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * f);
  const y = new Float32Array(n * width);
  for (let r = 0; r < n; r++) {
    const v = Array.from({ length: f }, () => gaussian(rng));
    x.set(v, r * f);
    y.set(target(v, rng), r * width);
  }
  return { x, xShape: [n, f], y, yShape: width === 1 ? [n] : [n, width], source };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** A rate in (0, 1): a logistic function of a few features. */
const rate = (n: number, seed: number) =>
  table(n, 8, 1, seed, 'rates in (0, 1)', (v) => [sigmoid(1.5 * v[0] - v[1] + 0.5 * v[2] * v[3])]);

/** A non-negative amount (≥ 0, a third of them exactly 0): a rectified function of the features. */
const amount = (n: number, seed: number) =>
  table(n, 8, 1, seed, 'non-negative amounts', (v) => [Math.max(0, v[0] + 0.5 * v[1] ** 2 - 0.3)]);

/** Proportions of 4 parts (each row sums to 1): a softmax of linear functions of the features. */
const proportions = (n: number, seed: number) =>
  table(n, 8, 4, seed, 'proportions', (v) => {
    const z = [v[0] + v[1], v[2] - v[0], 0.5 * v[3], -v[1] - v[2]].map(Math.exp);
    const sum = z.reduce((a, b) => a + b, 0);
    return z.map((e) => e / sum);
  });

/** Float series of 12 steps: the class is where a bump sits (first, middle or last third). */
function bumps(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const length = 12;
  const x = new Float32Array(n * length);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const c = Math.floor(rng() * 3);
    y[r] = c;
    const centre = c * 4 + 1 + rng() * 2;
    for (let t = 0; t < length; t++)
      x[r * length + t] = 2 * Math.exp(-((t - centre) ** 2) / 2) + 0.4 * gaussian(rng);
  }
  return { x, xShape: [n, length, 1], y, yShape: [n], source: 'bumps' };
}

/**
 * Token sequences (vocabulary 300, length 24): class 1 when the bigram (5, 6) occurs — order
 * matters, so a pooled bag of words cannot solve it but a convolution over embeddings can.
 */
function bigrams(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const length = 24;
  const x = new Float32Array(n * length);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < length; i++) x[r * length + i] = 7 + Math.floor(rng() * 293);
    // Every record holds the two tokens; in class 1 they are adjacent and in order.
    const at = Math.floor(rng() * (length - 1));
    const positive = rng() < 0.5;
    y[r] = positive ? 1 : 0;
    if (positive) {
      x[r * length + at] = 5;
      x[r * length + at + 1] = 6;
    } else {
      x[r * length + at] = 6;
      x[r * length + ((at + 3 + Math.floor(rng() * (length - 4))) % length)] = 5;
    }
  }
  return { x, xShape: [n, length], y, yShape: [n], source: 'bigrams' };
}

// ---- models ----------------------------------------------------------------------------------

function compiled(model: tf.LayersModel, compile: tf.ModelCompileArgs): tf.LayersModel {
  model.compile(compile);
  return model;
}

const adam = (lr = 1e-3) => tf.train.adam(lr);

export const ZOO_TWINS: ZooSetup[] = seededInits([
  {
    name: 'sigmoid output for a regression target in (0, 1)',
    model: () =>
      mlp(
        [8],
        [32, 32],
        { units: 1, activation: 'sigmoid' },
        { optimizer: adam(3e-3), loss: 'meanSquaredError' },
      ),
    data: () => ({ train: rate(2000, 21), test: rate(1000, 22) }),
    metric: 'r2',
    fitEpochs: 20,
    minScore: 0.8,
  },
  {
    name: 'ReLU output for a non-negative regression target (a third exactly 0)',
    model: () =>
      mlp(
        [8],
        [32, 32],
        { units: 1, activation: 'relu' },
        { optimizer: adam(3e-3), loss: 'meanSquaredError' },
      ),
    data: () => ({ train: amount(2000, 23), test: amount(1000, 24) }),
    metric: 'r2',
    fitEpochs: 20,
    minScore: 0.8,
  },
  {
    name: 'softmax output for proportions that sum to 1 (soft targets, cross-entropy)',
    model: () =>
      mlp(
        [8],
        [32],
        { units: 4, activation: 'softmax' },
        { optimizer: adam(3e-3), loss: 'categoricalCrossentropy' },
      ),
    data: () => ({ train: proportions(2000, 25), test: proportions(1000, 26) }),
    metric: 'r2',
    fitEpochs: 20,
    minScore: 0.8,
  },
  {
    name: 'L2 weight decay 1e-4 on every kernel (MNIST MLP)',
    model: () =>
      mlp(
        [28, 28, 1],
        [128, 64],
        { units: 10, activation: 'softmax' },
        { optimizer: adam(), loss: 'sparseCategoricalCrossentropy' },
        {
          l2: 1e-4,
        },
      ),
    data: mnistPair(3000),
    metric: 'accuracy',
    fitEpochs: 5,
    minScore: 0.85,
  },
  {
    name: 'bidirectional GRU on float series (where the bump is)',
    model: () =>
      compiled(
        tf.sequential({
          layers: [
            tf.layers.bidirectional({ layer: tf.layers.gru({ units: 8 }) as tf.RNN, inputShape: [12, 1] }),
            tf.layers.dense({ units: 3, activation: 'softmax' }),
          ],
        }),
        { optimizer: adam(1e-2), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: () => ({ train: bumps(600, 27), test: bumps(400, 28) }),
    metric: 'accuracy',
    fitEpochs: 8,
    minScore: 0.85,
  },
  {
    name: 'Embedding + Conv1D text classifier (an ordered bigram)',
    expect: (r) => want(r.evidence.dataset?.inputKind === 'tokens', 'token inputs not recognized'),
    model: () =>
      compiled(
        tf.sequential({
          layers: [
            tf.layers.embedding({ inputDim: 300, outputDim: 16, inputLength: 24 }),
            tf.layers.conv1d({ filters: 16, kernelSize: 2, activation: 'relu' }),
            tf.layers.globalMaxPooling1d({}),
            tf.layers.dense({ units: 1, activation: 'sigmoid' }),
          ],
        }),
        { optimizer: adam(1e-2), loss: 'binaryCrossentropy' },
      ),
    data: () => ({ train: bigrams(2000, 29), test: bigrams(1000, 30) }),
    metric: 'accuracy',
    fitEpochs: 8,
    minScore: 0.9,
  },
]);
