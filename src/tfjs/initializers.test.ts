import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { reinitializedClone } from './clone.ts';
import {
  isWeightOf,
  orthogonalValues,
  takeOrthogonalInitializers,
  zeroInitializers,
} from './initializers.ts';

/** Max |QᵀQ − I| over the orthonormal axis (columns when tall, rows when wide). */
function orthogonalityError(values: Float32Array, rows: number, cols: number, gain: number): number {
  const tall = rows >= cols;
  const k = Math.min(rows, cols);
  const n = Math.max(rows, cols);
  const at = (vec: number, t: number) => (tall ? values[t * cols + vec] : values[vec * cols + t]) / gain;
  let worst = 0;
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      let dot = 0;
      for (let t = 0; t < n; t++) dot += at(a, t) * at(b, t);
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  return worst;
}

describe('orthogonalValues', () => {
  for (const [rows, cols, gain] of [
    [64, 256, 1], // an LSTM recurrent kernel: wide
    [300, 40, 1.5], // tall
    [3 * 3 * 4, 8, 1], // a conv kernel, flattened over its leading axes
    [17, 17, 1],
  ] as const) {
    it(`[${rows}, ${cols}] × ${gain}: orthonormal to float32 precision, seeded`, () => {
      const v = orthogonalValues([rows, cols], gain, 7);
      expect(orthogonalityError(v, rows, cols, gain)).toBeLessThan(1e-5);
      expect(orthogonalValues([rows, cols], gain, 7)).toEqual(v);
      expect(orthogonalValues([rows, cols], gain, 8)).not.toEqual(v);
    });
  }

  it('has the spread of a random orthogonal matrix (entries ~ N(0, 1/n) for the long axis n)', () => {
    const v = orthogonalValues([128, 512], 1, 3);
    const meanSquare = v.reduce((a, x) => a + x * x, 0) / v.length;
    expect(meanSquare).toBeCloseTo(1 / 512, 4);
  });
});

describe('initializers in topologies', () => {
  const topology = {
    class_name: 'Sequential',
    config: {
      layers: [
        {
          class_name: 'Bidirectional',
          config: {
            name: 'bidi',
            layer: {
              class_name: 'LSTM',
              config: {
                name: 'lstm',
                kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
                recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 2, seed: 5 } },
              },
            },
          },
        },
      ],
    },
  };

  it('zeroInitializers replaces every initializer and leaves the rest', () => {
    const zeroed = JSON.stringify(zeroInitializers(topology));
    expect(zeroed).not.toMatch(/Orthogonal|GlorotUniform/);
    expect(zeroed.match(/"Zeros"/g)).toHaveLength(2);
    expect(JSON.stringify(topology)).toMatch(/Orthogonal/); // a copy: the input is untouched
  });

  it('takeOrthogonalInitializers names the weight of the layer that held it', () => {
    const copy = structuredClone(topology);
    expect(takeOrthogonalInitializers(copy, () => 99)).toEqual([
      { layer: 'lstm', weight: 'recurrent_kernel', gain: 2, seed: 5 },
    ]);
    expect(JSON.stringify(copy)).not.toMatch(/Orthogonal/);
    const spec = { layer: 'lstm', weight: 'recurrent_kernel', gain: 1, seed: 0 };
    expect(isWeightOf('bidi/forward_lstm/recurrent_kernel', spec)).toBe(true);
    expect(isWeightOf('bidi/backward_lstm/recurrent_kernel_1', spec)).toBe(true);
    expect(isWeightOf('bidi/forward_lstm/kernel', spec)).toBe(false);
    expect(isWeightOf('my_lstm/recurrent_kernel', spec)).toBe(false);
  });
});

describe('reinitializedClone', () => {
  beforeAll(() => selectBackend());
  it('gives recurrent kernels fresh orthogonal values (no TF.js QR), the same for the same seed', async () => {
    const model = tf.sequential();
    model.add(tf.layers.embedding({ inputDim: 30, outputDim: 8, inputLength: 6 }));
    model.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 16 }) as tf.RNN }));
    model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    // A "trained" recurrent kernel: all ones.
    for (const w of model.weights)
      if (w.originalName.endsWith('recurrent_kernel')) w.write(tf.onesLike(w.read()));
    const a = await reinitializedClone(model, 11);
    const b = await reinitializedClone(model, 11);
    const recurrent = a.weights.filter((w) => w.originalName.endsWith('recurrent_kernel'));
    expect(recurrent).toHaveLength(2);
    for (const w of recurrent) {
      const [rows, cols] = w.shape as number[];
      expect(orthogonalityError(w.read().dataSync() as Float32Array, rows, cols, 1)).toBeLessThan(1e-5);
    }
    expect(a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      b.getWeights().map((w) => Array.from(w.dataSync())),
    );
    for (const m of [a, b, model]) m.dispose();
  });
});
