// The healthy zoo: setups that train well with a plain `model.fit` (verified by
// test/e2e/zoo/verify-fit.ts) and so must get no fail from the checkup. Each builds its model and
// data lazily (TF.js objects after the backend is selected) and names the held-out metric that
// shows it is healthy.
import * as tf from '@tensorflow/tfjs';
import type { CheckupOptions } from '../../../src/checkup.ts';
import type { Dataset } from '../../../src/core/dataset.ts';
import { createRng, gaussian, withSeededMathRandom } from '../../../src/core/random.ts';
import type { Report } from '../../../src/core/report.ts';
import { loadMnist } from '../../../src/data/mnist.ts';
import { exampleModel } from '../../../src/example/mnist-mlp.ts';
import { smallCnn } from '../small-cnn.ts';

export type Metric = 'accuracy' | 'balanced-accuracy' | 'binary-accuracy' | 'r2';

export interface ZooSetup {
  name: string;
  /** A compiled model (and any checkup options the user's setup implies, e.g. class weights). */
  model: () => tf.LayersModel | Promise<tf.LayersModel>;
  options?: () => Partial<CheckupOptions>;
  /** Training records and held-out test records of the same task. */
  data: () => { train: Dataset; test: Dataset };
  metric: Metric;
  /** Epochs of plain fit for the independent verification, and the held-out score it must reach. */
  fitEpochs: number;
  minScore: number;
  /** Train the model with fit for this many epochs before the checkup (a saved, trained checkpoint). */
  pretrainEpochs?: number;
  /** Class weights for fit (imbalanced-but-weighted setups). */
  classWeight?: Record<number, number>;
  /** What the checkup must have seen of this setup (beyond "no fail"), as failed-expectation messages. */
  expect?: (report: Report) => string[];
}

/**
 * The setups with their models' initial weights drawn from a fixed seed (TF.js seeds every
 * unseeded initializer from Math.random), so a zoo test sees the same fresh model on every run:
 * some checks' measurements spread with the draw (e.g. the LSTM forecaster's control-corpus loss,
 * 0.50–0.85 of chance over three draws). Builders that are async (they train a base first) keep
 * their own draws: Math.random is only replaced while synchronous code runs.
 */
export function seededInits(setups: ZooSetup[], seed = 1): ZooSetup[] {
  return setups.map((setup) => {
    const build = setup.model;
    if (build.constructor.name === 'AsyncFunction') return setup;
    return { ...setup, model: () => withSeededMathRandom(seed, () => build() as tf.LayersModel) };
  });
}

export const want = (ok: boolean, message: string): string[] => (ok ? [] : [message]);

// ---- data ------------------------------------------------------------------------------------

const mnistCache = new Map<string, Dataset>();
export function mnist(split: 'train' | 'test', n: number): Dataset {
  const key = `${split}:${n}`;
  let ds = mnistCache.get(key);
  if (!ds) {
    ds = loadMnist(split, n);
    mnistCache.set(key, ds);
  }
  return ds;
}

export function relabel(
  ds: Dataset,
  width: number,
  label: (digit: number) => number[],
  source: string,
): Dataset {
  const n = ds.xShape[0];
  const y = new Float32Array(n * width);
  for (let r = 0; r < n; r++) y.set(label(ds.y[r]), r * width);
  return { ...ds, y, yShape: width === 1 ? [n] : [n, width], source };
}

function oneHot(ds: Dataset, classes: number): Dataset {
  return relabel(
    ds,
    classes,
    (d) => Array.from({ length: classes }, (_, k) => (k === d ? 1 : 0)),
    `${ds.source} (one-hot)`,
  );
}

export function subset(ds: Dataset, ids: number[]): Dataset {
  const f = ds.x.length / ds.xShape[0];
  const w = ds.y.length / ds.xShape[0];
  const x = new Float32Array(ids.length * f);
  const y = new Float32Array(ids.length * w);
  ids.forEach((r, k) => {
    x.set(ds.x.subarray(r * f, r * f + f), k * f);
    y.set(ds.y.subarray(r * w, r * w + w), k * w);
  });
  return {
    x,
    xShape: [ids.length, ...ds.xShape.slice(1)],
    y,
    yShape: [ids.length, ...ds.yShape.slice(1)],
    source: ds.source,
  };
}

export const mnistPair =
  (n: number, map: (ds: Dataset) => Dataset = (d) => d) =>
  () => ({
    train: map(mnist('train', n)),
    test: map(mnist('test', 2000)),
  });

/** Digit attributes, several true at once: even, ≥ 5, has a closed loop (0 4 6 8 9), prime. */
const ATTRIBUTES = [
  (d: number) => d % 2 === 0,
  (d: number) => d >= 5,
  (d: number) => [0, 4, 6, 8, 9].includes(d),
  (d: number) => [2, 3, 5, 7].includes(d),
];
const multiHot = (ds: Dataset) =>
  relabel(ds, ATTRIBUTES.length, (d) => ATTRIBUTES.map((a) => (a(d) ? 1 : 0)), 'mnist digit attributes');

/** Binary: is the digit a 0 (≈ 10% positive); `keepPositive` thins the positives further. */
function isZero(ds: Dataset, keepPositive: number, seed: number): Dataset {
  const rng = createRng(seed);
  const ids: number[] = [];
  for (let r = 0; r < ds.xShape[0]; r++) if (ds.y[r] !== 0 || rng() < keepPositive) ids.push(r);
  return relabel(subset(ds, ids), 1, (d) => [d === 0 ? 1 : 0], 'mnist is-zero');
}

/**
 * Token sequences: each record holds `length` ids; a record of class c carries 3 of class c's
 * 4 keywords among filler words (vocabulary 1..V−1; 0 pads). Order-free, learnable by an
 * Embedding with pooling and by a recurrent layer alike.
 */
function keywordText(n: number, classes: number, length: number, vocabulary: number, seed: number): Dataset {
  const rng = createRng(seed);
  const keywords = Array.from({ length: classes }, (_, c) => [0, 1, 2, 3].map((k) => 1 + c * 4 + k));
  const fillerFrom = 1 + classes * 4;
  const x = new Float32Array(n * length);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const c = Math.floor(rng() * classes);
    y[r] = c;
    for (let i = 0; i < length; i++)
      x[r * length + i] = fillerFrom + Math.floor(rng() * (vocabulary - fillerFrom));
    for (let k = 0; k < 3; k++)
      x[r * length + Math.floor(rng() * length)] = keywords[c][Math.floor(rng() * 4)];
  }
  return { x, xShape: [n, length], y, yShape: [n], source: 'keyword text' };
}

/** Friedman #1 (Friedman 1991), a standard synthetic regression benchmark: 10 features, 5 used. */
function friedman(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const f = 10;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const v = Array.from({ length: f }, () => rng());
    // Features centred and scaled to unit variance (uniform [0,1]: mean 0.5, std 0.289).
    v.forEach((u, i) => {
      x[r * f + i] = (u - 0.5) / 0.2887;
    });
    y[r] =
      10 * Math.sin(Math.PI * v[0] * v[1]) + 20 * (v[2] - 0.5) ** 2 + 10 * v[3] + 5 * v[4] + gaussian(rng);
  }
  return { x, xShape: [n, f], y, yShape: [n], source: 'friedman1' };
}

// ---- models ----------------------------------------------------------------------------------

export function mlp(
  input: number[],
  hidden: number[],
  output: { units: number; activation: 'softmax' | 'sigmoid' | 'linear' | 'relu' },
  compile: tf.ModelCompileArgs,
  extra: { dropout?: number; batchNorm?: boolean; name?: string; l2?: number } = {},
): tf.LayersModel {
  const layers: tf.layers.Layer[] = [];
  const decay = extra.l2 ? { kernelRegularizer: tf.regularizers.l2({ l2: extra.l2 }) } : {};
  if (input.length > 1) layers.push(tf.layers.flatten({ inputShape: input }));
  hidden.forEach((units, i) => {
    const first = i === 0 && input.length === 1 ? { inputShape: input } : {};
    if (extra.batchNorm) {
      layers.push(tf.layers.dense({ units, useBias: false, ...first }));
      layers.push(tf.layers.batchNormalization());
      layers.push(tf.layers.activation({ activation: 'relu' }));
    } else {
      layers.push(tf.layers.dense({ units, activation: 'relu', ...first, ...decay }));
    }
    if (extra.dropout) layers.push(tf.layers.dropout({ rate: extra.dropout }));
  });
  layers.push(tf.layers.dense({ ...output, ...decay }));
  const model = tf.sequential({ layers, name: extra.name });
  model.compile(compile);
  return model;
}

const adam = () => tf.train.adam(1e-3);

export const ZOO: ZooSetup[] = [
  {
    name: 'binary sigmoid MLP (MNIST digit ≥ 5)',
    model: () =>
      mlp(
        [28, 28, 1],
        [64],
        { units: 1, activation: 'sigmoid' },
        { optimizer: adam(), loss: 'binaryCrossentropy' },
      ),
    data: mnistPair(5000, (d) => relabel(d, 1, (x) => [x >= 5 ? 1 : 0], 'mnist ≥5')),
    metric: 'accuracy',
    fitEpochs: 5,
    minScore: 0.9,
  },
  {
    name: 'multi-class MLP, sparse labels',
    model: () =>
      mlp(
        [28, 28, 1],
        [128, 64],
        { units: 10, activation: 'softmax' },
        { optimizer: adam(), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: mnistPair(5000),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.9,
  },
  {
    name: 'multi-class MLP, one-hot labels',
    model: () =>
      mlp(
        [784],
        [128, 64],
        { units: 10, activation: 'softmax' },
        { optimizer: adam(), loss: 'categoricalCrossentropy' },
      ),
    data: mnistPair(5000, (d) => oneHot({ ...d, xShape: [d.xShape[0], 784] }, 10)),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.9,
  },
  {
    name: 'multi-label sigmoid MLP (4 digit attributes, multi-hot)',
    expect: (r) =>
      want(r.evidence.task?.labelEncoding === 'multi-hot', 'multi-hot labels were not kept as they are'),
    model: () =>
      mlp(
        [28, 28, 1],
        [128, 64],
        { units: 4, activation: 'sigmoid' },
        { optimizer: adam(), loss: 'binaryCrossentropy' },
      ),
    data: mnistPair(5000, multiHot),
    metric: 'binary-accuracy',
    fitEpochs: 5,
    minScore: 0.9,
  },
  {
    name: 'regression MLP (Friedman #1, raw targets)',
    model: () =>
      mlp(
        [10],
        [64, 64],
        { units: 1, activation: 'linear' },
        { optimizer: tf.train.adam(3e-3), loss: 'meanSquaredError' },
      ),
    data: () => ({ train: friedman(4000, 1), test: friedman(1000, 2) }),
    metric: 'r2',
    fitEpochs: 40,
    minScore: 0.8,
  },
  {
    name: 'regression MLP (MNIST digit value, unscaled 0–9 target)',
    model: () =>
      mlp(
        [28, 28, 1],
        [64],
        { units: 1, activation: 'linear' },
        { optimizer: adam(), loss: 'meanSquaredError' },
      ),
    data: mnistPair(5000, (d) => ({ ...d, source: 'mnist digit value' })),
    metric: 'r2',
    fitEpochs: 20,
    minScore: 0.7,
  },
  {
    name: 'Embedding text classifier (softmax, 4 classes)',
    expect: (r) => want(r.evidence.dataset?.inputKind === 'tokens', 'token inputs not recognized'),
    model: () => {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 1000, outputDim: 16, inputLength: 20 }),
          tf.layers.globalAveragePooling1d(),
          tf.layers.dense({ units: 16, activation: 'relu' }),
          tf.layers.dense({ units: 4, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-2), loss: 'sparseCategoricalCrossentropy' });
      return model;
    },
    data: () => ({ train: keywordText(3000, 4, 20, 1000, 1), test: keywordText(1000, 4, 20, 1000, 2) }),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.9,
  },
  {
    name: 'Embedding text classifier (one sigmoid unit)',
    model: () => {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 5000, outputDim: 16, inputLength: 30 }),
          tf.layers.globalAveragePooling1d(),
          tf.layers.dense({ units: 16, activation: 'relu' }),
          tf.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      });
      model.compile({ optimizer: adam(), loss: 'binaryCrossentropy' });
      return model;
    },
    data: () => ({ train: keywordText(3000, 2, 30, 5000, 3), test: keywordText(1000, 2, 30, 5000, 4) }),
    metric: 'accuracy',
    fitEpochs: 20,
    minScore: 0.9,
  },
  {
    name: 'Embedding + LSTM classifier',
    model: () => {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 500, outputDim: 16, inputLength: 20 }),
          tf.layers.lstm({ units: 16 }),
          tf.layers.dense({ units: 4, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-2), loss: 'sparseCategoricalCrossentropy' });
      return model;
    },
    data: () => ({ train: keywordText(2000, 4, 20, 500, 5), test: keywordText(1000, 4, 20, 500, 6) }),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.9,
  },
  {
    name: 'Embedding + GRU classifier',
    model: () => {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 500, outputDim: 16, inputLength: 20 }),
          tf.layers.gru({ units: 16 }),
          tf.layers.dense({ units: 2, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-2), loss: 'sparseCategoricalCrossentropy' });
      return model;
    },
    data: () => ({ train: keywordText(2000, 2, 20, 500, 7), test: keywordText(1000, 2, 20, 500, 8) }),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.9,
  },
  {
    name: 'small CNN (MNIST)',
    model: () => smallCnn(),
    data: mnistPair(3000),
    metric: 'accuracy',
    fitEpochs: 5,
    minScore: 0.88,
  },
  {
    name: 'deep BN MLP (10 × dense → BN → ReLU, Adam 1e-3)',
    expect: (r) => want(r.evidence.model?.hasBatchNorm === true, 'batch normalization not seen'),
    model: () =>
      mlp(
        [28, 28, 1],
        Array(10).fill(64),
        { units: 10, activation: 'softmax' },
        { optimizer: adam(), loss: 'sparseCategoricalCrossentropy' },
        { batchNorm: true },
      ),
    data: mnistPair(5000),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.85,
  },
  {
    name: 'deep dropout MLP (3 × dense 256 + dropout 0.5)',
    model: () =>
      mlp(
        [28, 28, 1],
        [256, 256, 256],
        { units: 10, activation: 'softmax' },
        { optimizer: adam(), loss: 'sparseCategoricalCrossentropy' },
        { dropout: 0.5 },
      ),
    data: mnistPair(5000),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.9,
  },
  {
    name: 'trained checkpoint (built-in MLP after 2 epochs of fit)',
    expect: (r) =>
      want(
        r.evidence.model?.weightsFrom === 'reinitialized-clone' && r.evidence.checkpoint !== undefined,
        'the trained checkpoint was not recognized and judged on a re-initialized clone',
      ),
    model: () => exampleModel(),
    data: mnistPair(5000, (d) => oneHot(d, 10)),
    metric: 'accuracy',
    fitEpochs: 2,
    minScore: 0.85,
    pretrainEpochs: 2,
  },
  {
    name: 'plain SGD at 0.01 (the Keras default)',
    model: () =>
      mlp(
        [28, 28, 1],
        [128, 64],
        { units: 10, activation: 'softmax' },
        { optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: mnistPair(5000),
    metric: 'accuracy',
    fitEpochs: 20,
    minScore: 0.8,
  },
  {
    name: 'SGD with momentum 0.9 at 0.01',
    model: () =>
      mlp(
        [28, 28, 1],
        [128, 64],
        { units: 10, activation: 'softmax' },
        { optimizer: tf.train.momentum(0.01, 0.9), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: mnistPair(5000),
    metric: 'accuracy',
    fitEpochs: 10,
    minScore: 0.87,
  },
  {
    name: 'small data (300 records)',
    model: () =>
      mlp(
        [28, 28, 1],
        [64],
        { units: 10, activation: 'softmax' },
        { optimizer: adam(), loss: 'sparseCategoricalCrossentropy' },
      ),
    data: mnistPair(300),
    metric: 'accuracy',
    fitEpochs: 30,
    minScore: 0.7,
  },
  {
    name: 'imbalanced (≈ 2% positive) but class-weighted, binary sigmoid',
    expect: (r) => want(r.evidence.task?.classWeights?.[1] === 5, 'the class weights were not used'),
    model: () =>
      mlp(
        [28, 28, 1],
        [64],
        { units: 1, activation: 'sigmoid' },
        { optimizer: adam(), loss: 'binaryCrossentropy' },
      ),
    options: () => ({ classWeights: [1, 5] }),
    classWeight: { 0: 1, 1: 5 },
    data: () => ({
      train: isZero(mnist('train', 8000), 0.2, 11),
      test: isZero(mnist('test', 2000), 0.2, 12),
    }),
    metric: 'balanced-accuracy',
    fitEpochs: 10,
    minScore: 0.85,
  },
];
