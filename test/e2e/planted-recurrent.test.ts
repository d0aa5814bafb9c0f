// Learning-rate evidence on recurrent nets (issue 20, class 4): an LSTM on float series trained at
// a rate 1000× too high blows its loss up inside the first window the check averages, and a
// range test at a feed-forward net's steps per decade finds no working rate. The right primary
// cause is the learning rate; the healthy twin (the same LSTM at Adam 1e-2, which a plain fit
// trains to ≥ 90% held-out accuracy, asserted here) gets no fail.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkup } from '../../src/checkup.ts';
import type { Dataset } from '../../src/core/dataset.ts';
import { createRng } from '../../src/core/random.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { expectValidReport } from '../valid-report.ts';

/** An LSTM training run costs minutes at a load of 20 on two cores. */
const TIMEOUT_MS = 600_000;
const LENGTH = 20;

/** Noisy sine waves of three frequency bands (the class), random phase: [n, LENGTH, 1]. */
function waves(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * LENGTH);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const c = Math.floor(rng() * 3);
    y[r] = c;
    const frequency = [0.15, 0.35, 0.6][c] * (0.9 + 0.2 * rng());
    const phase = rng() * 2 * Math.PI;
    for (let i = 0; i < LENGTH; i++)
      x[r * LENGTH + i] = Math.sin(frequency * i + phase) + 0.3 * (2 * rng() - 1);
  }
  return { x, xShape: [n, LENGTH, 1], y, yShape: [n], source: 'noisy sine waves, 3 frequency bands' };
}

function lstm(learningRate: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.lstm({
        units: 16,
        inputShape: [LENGTH, 1],
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }),
      }),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

describe('learning-rate evidence on an LSTM (issue 20, class 4)', () => {
  beforeAll(() => selectBackend());

  it(
    'Adam 10 (1000× the healthy 1e-2): loss/learning-rate fails and is the primary cause',
    async () => {
      const report = await checkup({ model: lstm(10), data: waves(1500, 1) });
      expectValidReport(report);
      const lr = report.checks.find((c) => c.id === 'loss/learning-rate');
      expect(lr?.status, lr?.summary).toBe('fail');
      expect(lr?.measured.trend).toBe('diverged');
      expect(report.diagnosis.primary, report.diagnosis.summary).toBe('loss/learning-rate');
      // Never "no LR does better" beside a control corpus that a working rate learned.
      expect(lr?.summary).not.toMatch(/no LR in the range test does better/);
    },
    TIMEOUT_MS,
  );

  it(
    'the healthy twin (Adam 1e-2) learns with a plain fit and gets no fail',
    async () => {
      const train = waves(1500, 1);
      const test = waves(500, 2);
      const fitted = lstm(1e-2);
      const [x, y, tx] = [
        tf.tensor(train.x, train.xShape),
        tf.tensor1d(train.y),
        tf.tensor(test.x, test.xShape),
      ];
      await fitted.fit(x, y, { epochs: 8, batchSize: 64, verbose: 0 });
      const predicted = Array.from(tf.tidy(() => (fitted.predict(tx) as tf.Tensor).argMax(-1).dataSync()));
      tf.dispose([x, y, tx]);
      fitted.dispose();
      const accuracy = predicted.reduce((hits, p, i) => hits + (p === test.y[i] ? 1 : 0), 0) / test.y.length;
      expect(accuracy).toBeGreaterThanOrEqual(0.9);

      const report = await checkup({ model: lstm(1e-2), data: train });
      expectValidReport(report);
      const failing = report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.summary}`);
      expect(failing).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
