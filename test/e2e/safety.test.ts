// The checkup only reads the user's model: weights and optimizer state are identical before
// and after. And it is reproducible: the same seed gives the same verdicts.
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.ts';
import { checkup } from '../../src/node/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';

const SMALL_BUDGET = { trainSteps: 30, overfitSteps: 60, controlSteps: 20, sweepSteps: 20 };

function hashTensors(tensors: tf.Tensor[]): string {
  const h = createHash('sha256');
  for (const t of tensors) {
    h.update(JSON.stringify(t.shape));
    h.update(Buffer.from((t.dataSync() as Float32Array).buffer));
  }
  return h.digest('hex');
}

function smallModel(): tf.LayersModel {
  const model = tf.sequential({
    name: 'small',
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({
        units: 32,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }),
        name: 'out',
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

describe('safety and reproducibility', () => {
  const data = loadMnist('train', 2000);
  beforeAll(async () => {
    await selectBackend();
  });

  it('leaves the model, its weights and its optimizer state untouched', async () => {
    const model = smallModel();
    // Give the optimizer real state (Adam moments) first, as a user's trained model has.
    const x = tf.tensor(data.x.slice(0, 64 * 784), [64, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(Array.from(data.y.slice(0, 64)), 'int32'), 10);
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    const before = {
      weights: hashTensors(model.getWeights()),
      optimizer: hashTensors((await model.optimizer.getWeights()).map((w) => w.tensor)),
      iterations: (await model.optimizer.getWeights()).length,
      config: JSON.stringify(model.toJSON(null, false)),
      lr: JSON.stringify(model.optimizer.getConfig()),
      xHash: createHash('sha256').update(Buffer.from(data.x.buffer)).digest('hex'),
    };
    await checkup({ model, data, budget: SMALL_BUDGET });
    expect(hashTensors(model.getWeights())).toBe(before.weights);
    const optWeights = await model.optimizer.getWeights();
    expect(optWeights.length).toBe(before.iterations);
    expect(hashTensors(optWeights.map((w) => w.tensor))).toBe(before.optimizer);
    expect(JSON.stringify(model.toJSON(null, false))).toBe(before.config);
    expect(JSON.stringify(model.optimizer.getConfig())).toBe(before.lr);
    expect(createHash('sha256').update(Buffer.from(data.x.buffer)).digest('hex')).toBe(before.xHash);
    tf.dispose([x, y]);
  });

  it('gives the same verdicts and numbers for the same seed', async () => {
    const a = await checkup({ model: smallModel(), data, seed: 7, budget: SMALL_BUDGET });
    const b = await checkup({ model: smallModel(), data, seed: 7, budget: SMALL_BUDGET });
    expect(b.checks.map((c) => [c.id, c.status])).toEqual(a.checks.map((c) => [c.id, c.status]));
    expect(b.diagnosis.primary).toBe(a.diagnosis.primary);
    expect(b.diagnosis.ranked).toEqual(a.diagnosis.ranked);
    // Dropout masks included: the whole run is seeded, so the numbers are equal too.
    expect(b.evidence.dataset).toEqual(a.evidence.dataset);
    expect(b.evidence.training?.initialLoss).toBe(a.evidence.training?.initialLoss);
    // (TF.js makes variable names unique per process, so compare the numbers, not the names.)
    const stats = (r: typeof a) => r.evidence.model?.kernels.map((k) => [k.mean, k.std, k.fanIn]);
    expect(stats(b)).toEqual(stats(a));
    expect(b.evidence.training?.loss).toEqual(a.evidence.training?.loss);
    expect(b.evidence.lrSweep).toEqual(a.evidence.lrSweep);
    expect(b.diagnosis.summary).toBe(a.diagnosis.summary);
  });
});
