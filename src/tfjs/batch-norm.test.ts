// Batch-norm recalibration: the moving statistics become the population statistics of each BN
// layer's input, gathered in training mode (as fit sees them), and inference then matches training.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../core/random.ts';
import { selectBackend } from './backend.ts';
import { recalibrateBatchNorm } from './batch-norm.ts';
import type { TrainingData } from './trainer.ts';

function data(n: number, f: number): TrainingData {
  const rng = createRng(5);
  return {
    x: Float32Array.from({ length: n * f }, () => 3 + 2 * gaussian(rng)),
    featureShape: [f],
    targets: new Float32Array(n),
    targetShape: [1],
    classIds: null,
  };
}

describe('recalibrateBatchNorm', () => {
  beforeAll(() => selectBackend('cpu'));

  it('sets moving mean/variance to the statistics of the BN input', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 4,
          inputShape: [6],
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const d = data(256, 6);
    const ids = Int32Array.from({ length: 256 }, (_, i) => i);
    expect(recalibrateBatchNorm(model, d, ids, 64, 1)).toBe(1);
    const bn = model.layers[1];
    const [, , movingMean, movingVariance] = bn.getWeights();
    const x = tf.tensor2d(d.x, [256, 6]);
    const input = model.layers[0].apply(x) as tf.Tensor;
    const { mean, variance } = tf.moments(input, [0]);
    expect(Array.from(movingMean.dataSync())).toEqual(
      Array.from(mean.dataSync()).map((v) => expect.closeTo(v, 4)),
    );
    // Mean of per-batch E[x²] minus the squared mean: the population variance over the 4 batches.
    expect(Array.from(movingVariance.dataSync())).toEqual(
      Array.from(variance.dataSync()).map((v) => expect.closeTo(v, 3)),
    );
    // Inference now normalizes like training on a large batch.
    const inference = model.predict(x) as tf.Tensor;
    const training = model.apply(x, { training: true }) as tf.Tensor;
    const gap = tf.max(tf.abs(tf.sub(inference, training))).dataSync()[0];
    expect(gap).toBeLessThan(1e-2);
    tf.dispose([x, input, mean, variance, inference, training]);
    model.dispose();
  });

  it('leaves a model without batch normalization alone', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [6] })] });
    expect(recalibrateBatchNorm(model, data(10, 6), Int32Array.from([0, 1, 2]), 64, 1)).toBe(0);
    model.dispose();
  });
});
