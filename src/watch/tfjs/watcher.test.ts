// The TF.js watcher on real training (MNIST, wasm): a healthy `fit` raises no failure and leaves
// nothing behind; a NaN batch is caught at its step and stops training; a custom loop sees ReLUs
// killed mid-run; what was wrapped is restored exactly.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidReport } from '../../../test/valid-report.ts';
import { loadMnist } from '../../data/mnist.ts';
import { exampleModel } from '../../example/mnist-mlp.ts';
import { selectBackend } from '../../tfjs/backend.ts';
import { watch } from './watcher.ts';

const RECORDS = 2048;
let x: tf.Tensor;
let y: tf.Tensor;

beforeAll(async () => {
  await selectBackend('wasm');
  const ds = loadMnist('train', RECORDS);
  x = tf.tensor(ds.x, [RECORDS, 28, 28, 1]);
  y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(ds.y), 'int32'), 10).toFloat());
});

afterAll(() => {
  tf.dispose([x, y]);
});

describe('watch(model) with fit', () => {
  it('raises no failure on a healthy run, gathers every kind of evidence and leaves nothing behind', async () => {
    const model = exampleModel();
    const optimizer = model.optimizer;
    const [train, val] = [x.slice(0, 1792), x.slice(1792)];
    const [trainY, valY] = [y.slice(0, 1792), y.slice(1792)];
    const probe = { x: x.slice(0, 256), y: y.slice(0, 256) };
    // The same fit without the watcher, for the tensors fit itself leaves (the optimizer's slots).
    const control = exampleModel();
    const controlBefore = tf.memory().numTensors;
    await control.fit(train, trainY, { epochs: 2, batchSize: 64, verbose: 0 });
    const fitLeaves = tf.memory().numTensors - controlBefore;
    control.dispose();
    const before = tf.memory().numTensors;
    const found: string[] = [];
    const watcher = watch(model, {
      evaluationShare: 1,
      every: 4,
      activationsEvery: 16,
      probe,
      validation: { x: val, y: valY, every: 14 },
      onFinding: (f) => found.push(`${f.id}:${f.status}@${f.step}`),
    });
    expect(Object.hasOwn(optimizer, 'applyGradients')).toBe(true);
    await model.fit(train, trainY, { epochs: 2, batchSize: 64, callbacks: [watcher.callback], verbose: 0 });
    // fit's end restores the optimizer; the watcher's readbacks are all in.
    expect(Object.hasOwn(optimizer, 'applyGradients')).toBe(false);
    const report = await watcher.stop();
    expectValidReport(report);
    expect(found.filter((f) => f.includes(':fail'))).toEqual([]);
    const t = report.evidence.training;
    expect(watcher.steps).toBe(56);
    expect(t?.loss.values).toHaveLength(56);
    expect(t?.weights[0].steps).toEqual(Array.from({ length: 14 }, (_, i) => i * 4));
    expect(t?.valLoss?.values.length).toBe(4);
    expect(t?.activations?.start.map((a) => a.layer)).toEqual(['hidden_1', 'hidden_2']);
    expect(t?.initialLoss).toBeGreaterThan(1.5);
    expect(report.watch?.steps).toBe(56);
    const ran = report.checks.filter((c) => c.status !== 'skip').map((c) => c.id);
    for (const id of [
      'loss/non-finite',
      'loss/learning-rate',
      'loss/overfitting',
      'other/gradient-flow',
      'other/update-ratio',
      'other/exploding-gradients',
      'activations/dead-relu',
      'model/init-shallow',
      'loss/initial-loss',
    ])
      expect(ran).toContain(id);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    // Nothing of the watcher's stays on the device.
    expect(tf.memory().numTensors).toBe(before + fitLeaves);
    tf.dispose([train, val, trainY, valY, probe.x, probe.y]);
    model.dispose();
  });

  it('catches a NaN batch at its step and stops training (stopOnFail)', async () => {
    const model = exampleModel();
    const values = x.slice(0, 1024).dataSync().slice();
    // Records 640..703 are batch 10 (batch size 64, no shuffling).
    for (let i = 640 * 784; i < 641 * 784; i++) values[i] = Number.NaN;
    const poisoned = tf.tensor(values, [1024, 28, 28, 1]);
    const labels = y.slice(0, 1024);
    const watcher = watch(model, { every: 4, stopOnFail: true, evaluationShare: 1 });
    const history = await model.fit(poisoned, labels, {
      epochs: 3,
      batchSize: 64,
      shuffle: false,
      callbacks: [watcher.callback],
      verbose: 0,
    });
    const report = await watcher.stop();
    expectValidReport(report);
    // Cross-entropy clips its probabilities, so the loss stays finite (16.1): the NaN shows in the
    // gradients, measured every 4 steps.
    const nan = watcher.findings[0];
    expect(nan?.id).toBe('other/exploding-gradients');
    expect(nan?.status).toBe('fail');
    expect(nan?.measured.nonFiniteStep).toBe(12);
    expect(nan?.step).toBeLessThanOrEqual(10 + 4);
    expect(watcher.stopRequested).toBe(true);
    // Stopped in the first epoch, not after 3 × 16 steps.
    expect(history.epoch.length).toBe(1);
    expect(watcher.steps).toBeLessThan(16);
    expect(report.verdict).toBe('fail');
    tf.dispose([poisoned, labels]);
    model.dispose();
  });
});

describe('watch(model) in a custom loop', () => {
  it('sees ReLUs killed by a bias shift at a scheduled probe, and restores an applyGradients the optimizer had', async () => {
    const model = exampleModel();
    const optimizer = tf.train.sgd(0.05);
    const own = optimizer.applyGradients.bind(optimizer);
    optimizer.applyGradients = own; // the user's own property must come back as it was
    const probe = x.slice(0, 256);
    const watcher = watch(model, { optimizer, every: 2, activationsEvery: 8, probe, evaluationShare: 1 });
    const kill = 24;
    for (let s = 0; s < 60 && !watcher.stopRequested; s++) {
      if (s === kill) {
        const bias = model.getLayer('hidden_1').getWeights()[1];
        const shifted = tf.fill(bias.shape, -100);
        model.getLayer('hidden_1').setWeights([model.getLayer('hidden_1').getWeights()[0], shifted]);
        tf.dispose([shifted]);
      }
      const start = (s * 32) % 1024;
      const [bx, by] = [x.slice(start, 32), y.slice(start, 32)];
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(by, model.predict(bx) as tf.Tensor) as tf.Scalar,
        true,
      ) as tf.Scalar;
      watcher.step(loss);
      tf.dispose([bx, by, loss]);
    }
    const report = await watcher.stop();
    expectValidReport(report);
    expect(optimizer.applyGradients).toBe(own);
    const dead = watcher.findings.find((f) => f.id === 'activations/dead-relu');
    expect(dead?.status).toBe('fail');
    expect(dead?.firstSeenStep).toBeGreaterThanOrEqual(kill);
    expect(dead?.step).toBeLessThanOrEqual(kill + 2 * 8);
    expect(report.checks.find((c) => c.id === 'activations/dead-relu')?.status).toBe('fail');
    model.dispose();
    optimizer.dispose();
    probe.dispose();
  });
});
