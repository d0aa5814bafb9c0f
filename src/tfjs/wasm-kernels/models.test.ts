/**
 * Whole-model checks: gradients of small Conv2D / DepthwiseConv2D / SeparableConv2D / Embedding
 * models, and 20 training steps of the LeNet CNN and of an Embedding+Dense text classifier, on wasm
 * (with the kernels of this folder) against the cpu backend, from identical weights and data.
 *
 * The cpu backend trains a CNN at well under 1 sample/s at 28×28, so the LeNet run uses the LeNet
 * architecture on 6×6 images (pooled to 3×3, then 1×1: odd sizes) with batch 3 and plain SGD (the kernels exercised are the same); the
 * full-size comparison of speed is bench/wasm-cnn.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type HostTensor, host, randomHost, relativeError, rng, useBackend } from './testing.ts';

type Build = () => tf.LayersModel;

function toHost(t: tf.Tensor): HostTensor {
  return host(t.dataSync() as Float32Array, [...t.shape]);
}

function fromHost(t: HostTensor): tf.Tensor {
  return tf.tensor(t.values, t.shape, t.dtype);
}

function oneHot(count: number, classes: number, seed: number): HostTensor {
  const next = rng(seed);
  const v = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) v[i * classes + Math.floor(next() * classes)] = 1;
  return host(v, [count, classes]);
}

function tokens(count: number, length: number, vocabulary: number, seed: number): HostTensor {
  const next = rng(seed);
  return host(
    Array.from({ length: count * length }, () => Math.floor(next() * vocabulary)),
    [count, length],
  );
}

type Loss = (pred: tf.Tensor, label: tf.Tensor) => tf.Tensor;
const mse: Loss = (p, l) => tf.losses.meanSquaredError(l, p);
const crossEntropy: Loss = (p, l) => tf.metrics.categoricalCrossentropy(l, p).mean();

/** Gradients of every trainable weight on `backend`; weights copied in from `weights` when given. */
async function gradients(
  backend: 'cpu' | 'wasm',
  build: Build,
  weights: HostTensor[] | null,
  x: HostTensor,
  y: HostTensor,
  loss: Loss,
): Promise<{ weights: HostTensor[]; grads: Map<string, HostTensor> }> {
  await useBackend(backend);
  const model = build();
  try {
    if (weights != null) model.setWeights(weights.map(fromHost));
    const initial = model.getWeights().map(toHost);
    const tensors = tf.tidy(() => {
      const xs = fromHost(x);
      const ys = fromHost(y);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads: g } = tf.variableGrads(
        () => loss(model.apply(xs, { training: true }) as tf.Tensor, ys) as tf.Scalar,
        vars,
      );
      return vars.map((v) => g[v.name]);
    });
    const grads = new Map(tensors.map((t, i) => [String(i), toHost(t)]));
    tf.dispose(tensors);
    return { weights: initial, grads };
  } finally {
    model.dispose();
  }
}

async function compareGradients(build: Build, x: HostTensor, y: HostTensor, loss: Loss): Promise<void> {
  const cpu = await gradients('cpu', build, null, x, y, loss);
  const wasm = await gradients('wasm', build, cpu.weights, x, y, loss);
  expect(wasm.grads.size).toBe(cpu.grads.size);
  expect(cpu.grads.size).toBeGreaterThan(0);
  for (const [name, g] of cpu.grads) {
    const w = wasm.grads.get(name);
    expect(w?.shape).toEqual(g.shape);
    // Gradients pass through several layers: float32 differences compound a little.
    expect(relativeError(w?.values ?? [], g.values), `weight ${name}`).toBeLessThan(1e-4);
  }
}

const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });

describe('full gradients on wasm match cpu', () => {
  it('Conv2D model (strides, same/valid, non-square kernel, max and average pooling)', async () => {
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [9, 9, 3],
            filters: 4,
            kernelSize: 3,
            padding: 'same',
            activation: 'relu',
            kernelInitializer: seeded(1),
            biasInitializer: 'ones',
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({
            filters: 5,
            kernelSize: [2, 3],
            strides: 2,
            padding: 'valid',
            activation: 'relu',
            kernelInitializer: seeded(2),
            biasInitializer: 'ones',
          }),
          tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
          tf.layers.conv2d({ filters: 3, kernelSize: 1, kernelInitializer: seeded(3) }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, kernelInitializer: seeded(4) }),
        ],
      });
    await compareGradients(build, randomHost([3, 9, 9, 3], 11), randomHost([3, 3], 12), mse);
  });

  it('DepthwiseConv2D model (multiplier 2, stride 2, same/valid)', async () => {
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.depthwiseConv2d({
            inputShape: [8, 7, 4],
            kernelSize: 3,
            depthMultiplier: 2,
            padding: 'same',
            activation: 'relu',
            depthwiseInitializer: seeded(5),
            biasInitializer: 'ones',
          }),
          tf.layers.depthwiseConv2d({
            kernelSize: 3,
            strides: 2,
            padding: 'valid',
            depthwiseInitializer: seeded(6),
          }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 2, kernelInitializer: seeded(7) }),
        ],
      });
    await compareGradients(build, randomHost([3, 8, 7, 4], 13), randomHost([3, 2], 14), mse);
  });

  it('SeparableConv2D model (multiplier 2, stride 2)', async () => {
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.separableConv2d({
            inputShape: [9, 8, 3],
            filters: 4,
            kernelSize: 3,
            depthMultiplier: 2,
            padding: 'same',
            activation: 'relu',
            depthwiseInitializer: seeded(8),
            pointwiseInitializer: seeded(9),
            biasInitializer: 'ones',
          }),
          tf.layers.separableConv2d({
            filters: 5,
            kernelSize: 3,
            strides: 2,
            padding: 'valid',
            depthwiseInitializer: seeded(10),
            pointwiseInitializer: seeded(11),
          }),
          tf.layers.globalAveragePooling2d({}),
          tf.layers.dense({ units: 2, kernelInitializer: seeded(12) }),
        ],
      });
    await compareGradients(build, randomHost([3, 9, 8, 3], 15), randomHost([3, 2], 16), mse);
  });

  it('Embedding model (repeated tokens)', async () => {
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.embedding({
            inputDim: 20,
            outputDim: 6,
            inputLength: 7,
            embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 13 }),
          }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(14) }),
        ],
      });
    await compareGradients(build, tokens(5, 7, 20, 17), oneHot(5, 3, 18), crossEntropy);
  });
});

/** Trains a copy of the model for `steps` batches on each backend from the same weights; returns losses. */
async function trainBoth(
  build: Build,
  compile: (m: tf.LayersModel) => void,
  x: HostTensor,
  y: HostTensor,
  steps: number,
): Promise<{ cpu: number[]; wasm: number[] }> {
  let weights: HostTensor[] | null = null;
  const losses: Record<'cpu' | 'wasm', number[]> = { cpu: [], wasm: [] };
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const model = build();
    try {
      if (weights == null) weights = model.getWeights().map(toHost);
      else model.setWeights(weights.map(fromHost));
      compile(model);
      const xs = fromHost(x);
      const ys = fromHost(y);
      for (let i = 0; i < steps; i++) {
        const loss = await model.trainOnBatch(xs, ys);
        losses[backend].push(Array.isArray(loss) ? loss[0] : loss);
      }
      tf.dispose([xs, ys]);
    } finally {
      model.dispose();
    }
  }
  return losses;
}

function expectSameLosses(losses: { cpu: number[]; wasm: number[] }, tolerance: number): void {
  expect(losses.wasm).toHaveLength(losses.cpu.length);
  for (let i = 0; i < losses.cpu.length; i++) {
    const c = losses.cpu[i];
    const w = losses.wasm[i];
    expect(Number.isFinite(w), `step ${i}`).toBe(true);
    expect(Math.abs(w - c) / Math.max(1, Math.abs(c)), `step ${i}: wasm ${w} vs cpu ${c}`).toBeLessThan(
      tolerance,
    );
  }
  // It learned something (the comparison is not between two stuck runs).
  expect(losses.cpu[losses.cpu.length - 1]).toBeLessThan(losses.cpu[0]);
}

describe('training on wasm matches cpu step by step', () => {
  it('LeNet CNN (6×6 images, batch 3): 20 steps', async () => {
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [6, 6, 1],
            filters: 32,
            kernelSize: 5,
            padding: 'same',
            activation: 'relu',
            kernelInitializer: seeded(21),
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({
            filters: 64,
            kernelSize: 3,
            padding: 'same',
            activation: 'relu',
            kernelInitializer: seeded(22),
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: seeded(23) }),
          tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seeded(24) }),
        ],
      });
    const compile = (m: tf.LayersModel) =>
      m.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
    const x = host(
      randomHost([3, 6, 6, 1], 25).values.map((v) => (v + 1) / 2),
      [3, 6, 6, 1],
    );
    const losses = await trainBoth(build, compile, x, oneHot(3, 10, 26), 20);
    expectSameLosses(losses, 1e-4);
  });

  it('Embedding + Dense text classifier (batch 16): 20 steps of Adam', async () => {
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.embedding({
            inputDim: 100,
            outputDim: 16,
            inputLength: 12,
            embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 31 }),
          }),
          tf.layers.globalAveragePooling1d({}),
          tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: seeded(32) }),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(33) }),
        ],
      });
    const compile = (m: tf.LayersModel) =>
      m.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const losses = await trainBoth(build, compile, tokens(16, 12, 100, 34), oneHot(16, 3, 35), 20);
    expectSameLosses(losses, 1e-4);
  });
});
