// Probes on small real models: the evidence they produce has the right shape and meaning.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../core/dataset.ts';
import { createRng, gaussian } from '../core/random.ts';
import { checkup } from '../node/checkup.ts';
import { selectBackend } from '../tfjs/backend.ts';

const BUDGET = { trainSteps: 60, overfitSteps: 150, controlSteps: 60, sweepSteps: 40 };

/** Gaussian blobs: class c centred at a random point; `share` sets class proportions. */
function blobs(n: number, features: number, share: number[], seed = 1): Dataset {
  const rng = createRng(seed);
  const centres = share.map(() => Array.from({ length: features }, () => 2 * gaussian(rng)));
  const x = new Float32Array(n * features);
  const y = new Float32Array(n);
  const cum = share.map((_, i) => share.slice(0, i + 1).reduce((a, b) => a + b, 0));
  for (let r = 0; r < n; r++) {
    const u = rng() * cum[cum.length - 1];
    const c = cum.findIndex((v) => u <= v);
    y[r] = c;
    for (let f = 0; f < features; f++) x[r * features + f] = centres[c][f] + gaussian(rng);
  }
  return { x, xShape: [n, features], y, yShape: [n], source: 'blobs' };
}

function mlp(
  inputs: number,
  hidden: number[],
  outputs: number,
  activation: 'softmax' | 'linear',
  loss: string,
): tf.LayersModel {
  const layers: tf.layers.Layer[] = hidden.map((units, i) =>
    tf.layers.dense({
      units,
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: i + 1 }),
      ...(i === 0 ? { inputShape: [inputs] } : {}),
    }),
  );
  layers.push(
    tf.layers.dense({
      units: outputs,
      activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
    }),
  );
  const model = tf.sequential({ layers });
  model.compile({ optimizer: tf.train.adam(0.01), loss });
  return model;
}

describe('TF.js probes on small models', () => {
  beforeAll(() => selectBackend());

  it('instrumented run: per-variable telemetry, activations, held-out validation loss', async () => {
    const report = await checkup({
      model: mlp(8, [16, 16, 16], 3, 'softmax', 'sparseCategoricalCrossentropy'),
      data: blobs(1200, 8, [1, 1, 1]),
      budget: BUDGET,
    });
    const t = report.evidence.training;
    expect(t).toBeDefined();
    if (!t) return;
    expect(t.loss.values).toHaveLength(60);
    expect(t.weights).toHaveLength(8); // 4 kernels + 4 biases
    expect(t.weights.filter((w) => w.kind === 'kernel').map((w) => w.depth)).toEqual([0, 1, 2, 3]);
    for (const w of t.weights) {
      expect(w.gradNorm.every((g) => g !== null && g >= 0)).toBe(true);
      expect(w.updateRatio.some((r) => r > 0)).toBe(true);
    }
    expect(t.noGradient).toEqual([]);
    expect(t.activations?.start.map((a) => a.units)).toEqual([16, 16, 16]);
    expect(t.valLoss?.values.length).toBeGreaterThan(3);
    expect(t.initialLoss).toBeGreaterThan(0.5);
    expect(t.regLoss?.values.every((v) => v === 0)).toBe(true);
    // Loss falls on a learnable problem.
    expect(t.loss.values.at(-1)).toBeLessThan(t.loss.values[0] * 0.5);
    // Three hidden layers: the simplified-model comparison runs.
    expect(report.evidence.simplified?.userHiddenLayers).toBe(3);
    expect(report.evidence.control?.corpus).toBe('synthetic');
    expect(report.evidence.control?.finalAccuracy).toBeGreaterThan(0.6);
    expect(report.evidence.overfit?.finalAccuracy).toBe(1);
    expect(report.evidence.labelSignal?.real.heldOutAccuracy).toBeGreaterThan(0.9);
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
  });

  it('LR range test: finds a working LR and where the loss diverges', async () => {
    const model = mlp(8, [16], 3, 'softmax', 'sparseCategoricalCrossentropy');
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy' });
    const report = await checkup({
      model,
      data: blobs(800, 8, [1, 1, 1]),
      budget: { ...BUDGET, sweepSteps: 60 },
      only: ['loss/learning-rate'],
    });
    const sweep = report.evidence.lrSweep;
    expect(sweep?.lrs.length).toBeGreaterThan(20);
    expect(sweep?.suggestedLr).toBeGreaterThan(1e-4);
    expect(sweep?.suggestedLr).toBeLessThan(10);
    expect(sweep?.minLoss).toBeLessThan((sweep?.startLoss ?? 0) * 0.8);
    // --only ran just the probes that check declares (overfit-50 and the control corpus among
    // them: it reads them), and none it does not (shuffled labels, rebalancing).
    expect(report.evidence.overfit).toBeDefined();
    expect(report.evidence.control).toBeDefined();
    expect(report.evidence.labelSignal).toBeUndefined();
    expect(report.checks.map((c) => c.id)).toEqual(['loss/learning-rate']);
  });

  it('rebalancing A/B runs on an imbalanced set and reports minority recall', async () => {
    const report = await checkup({
      model: mlp(8, [16], 3, 'softmax', 'sparseCategoricalCrossentropy'),
      data: blobs(1500, 8, [0.9, 0.08, 0.02], 3),
      budget: BUDGET,
    });
    const r = report.evidence.rebalancing;
    expect(r?.minorityClasses).toEqual([1, 2]);
    expect(r?.weighted.recall).toHaveLength(3);
    expect(report.checks.find((c) => c.id === 'inputs/class-balance')?.status).toBe('fail');
  });

  it('regression: MSE model, initial loss judged against the target variance', async () => {
    const rng = createRng(5);
    const n = 800;
    const x = Float32Array.from({ length: n * 4 }, () => gaussian(rng));
    const y = Float32Array.from({ length: n }, (_, r) => x[r * 4] - 0.5 * x[r * 4 + 1] + 0.1 * gaussian(rng));
    const report = await checkup({
      model: mlp(4, [16], 1, 'linear', 'meanSquaredError'),
      data: { x, xShape: [n, 4], y, yShape: [n, 1], source: 'synthetic' },
      budget: BUDGET,
    });
    expect(report.evidence.task?.kind).toBe('regression');
    expect(report.evidence.dataset?.targetVariance).toBeGreaterThan(0.8);
    expect(report.checks.find((c) => c.id === 'loss/initial-loss')?.status).not.toBe('error');
    expect(
      report.checks
        .filter((c) => c.status === 'fail' || c.status === 'error')
        .map((c) => `${c.id}: ${c.summary}`),
    ).toEqual([]);
  });
});

describe('library inputs', () => {
  beforeAll(() => selectBackend());
  it('accepts tensors and a batched tf.data.Dataset, with the same evidence', async () => {
    const ds = blobs(400, 8, [1, 1, 1]);
    const only = ['inputs/class-balance', 'inputs/mean-centering'];
    const fromTensors = await checkup({
      model: mlp(8, [16], 3, 'softmax', 'sparseCategoricalCrossentropy'),
      data: { x: tf.tensor(ds.x, [400, 8]), y: tf.tensor(ds.y, [400]) },
      only,
    });
    const dataset = tf.data
      .zip({
        xs: tf.data.array(Array.from({ length: 400 }, (_, r) => Array.from(ds.x.subarray(r * 8, r * 8 + 8)))),
        ys: tf.data.array(Array.from(ds.y)),
      })
      .batch(64) as unknown as tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;
    const fromDataset = await checkup({
      model: mlp(8, [16], 3, 'softmax', 'sparseCategoricalCrossentropy'),
      data: dataset,
      only,
    });
    expect(fromDataset.evidence.dataset?.classCounts).toEqual(fromTensors.evidence.dataset?.classCounts);
    expect(fromDataset.evidence.dataset?.mean).toBeCloseTo(
      fromTensors.evidence.dataset?.mean ?? Number.NaN,
      6,
    );
    expect(fromTensors.evidence.dataset?.records).toBe(400);
  });
});

describe('a failing probe', () => {
  beforeAll(() => selectBackend());
  it('turns into error findings for the checks that need it, never a crash of the checkup', async () => {
    const model = mlp(8, [16], 3, 'softmax', 'sparseCategoricalCrossentropy');
    const exploding = () => {
      throw new Error('boom in the loss');
    };
    model.compile({ optimizer: tf.train.adam(0.01), loss: exploding as never });
    const report = await checkup({ model, data: blobs(300, 8, [1, 1, 1]), budget: BUDGET });
    const status = (id: string) => report.checks.find((c) => c.id === id)?.status;
    expect(status('loss/learning-rate')).toBe('error');
    expect(report.checks.find((c) => c.id === 'loss/learning-rate')?.summary).toMatch(
      /training probe failed: boom/,
    );
    expect(status('inputs/label-signal')).toBe('error');
    expect(status('inputs/class-balance')).toBe('pass'); // dataset evidence does not depend on training
  });
});
