// Checkups of other architectures run on wasm automatically (nn-doctor's training kernels make
// conv and embedding layers train there), and healthy ones raise no fail.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.ts';
import { exampleData } from '../../src/example/mnist-mlp.ts';
import { checkup } from '../../src/node/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { smallCnn } from './small-cnn.ts';

describe('a CNN checkup', () => {
  beforeAll(() => selectBackend());
  it('runs on wasm and passes a healthy small CNN on MNIST', async () => {
    const model = smallCnn({ name: 'small_cnn', loss: 'categoricalCrossentropy' });
    const report = await checkup({ model, data: exampleData(5000) });
    expect(report.environment.backend).toBe('wasm');
    const bad = report.checks
      .filter((c) => c.status === 'fail' || c.status === 'error')
      .map((c) => `${c.id}: ${c.summary}`);
    expect(bad).toEqual([]);
    // Conv layers were measured: kernels with conv fans, activations per channel.
    expect(report.evidence.model?.kernels[0].shape).toEqual([3, 3, 1, 8]);
    expect(report.evidence.training?.activations?.start[0].units).toBe(8);
    expect(report.evidence.training?.weights.every((w) => w.gradNorm.every((g) => g !== null && g > 0))).toBe(
      true,
    );
  });

  it('runs an Embedding text classifier on token ids (no centering, token control corpus)', async () => {
    const V = 200;
    const L = 12;
    const n = 2000;
    const rng = createRng(3);
    const x = new Float32Array(n * L);
    const y = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < L; i++) x[r * L + i] = Math.floor(rng() * V);
      y[r] = x.subarray(r * L, r * L + L).some((t) => t < 20) ? 1 : 0; // "contains a rare word"
    }
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: V, outputDim: 16, inputLength: L }),
        tf.layers.globalAveragePooling1d(),
        tf.layers.dense({ units: 16, activation: 'relu' }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-2), loss: 'sparseCategoricalCrossentropy' });
    const report = await checkup({ model, data: { x, xShape: [n, L], y, yShape: [n], source: 'tokens' } });
    expect(report.environment.backend).toBe('wasm');
    expect(report.evidence.dataset?.inputKind).toBe('tokens');
    expect(report.evidence.control?.corpus).toBe('synthetic');
    const bad = report.checks
      .filter((c) => c.status === 'fail' || c.status === 'error')
      .map((c) => `${c.id}: ${c.summary}`);
    expect(bad).toEqual([]);
  });
});
