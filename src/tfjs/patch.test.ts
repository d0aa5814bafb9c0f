// Fixed clones: every architecture-changing fix builds a working model from a Sequential and a
// functional topology, keeps the original's weights where it does not re-initialize, and never
// touches the original model.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { leakyRelu } from '../remedies/catalogue/activation.ts';
import { batchNorm } from '../remedies/catalogue/batch-norm.ts';
import { biasSmallPositive, reinitFan } from '../remedies/catalogue/init.ts';
import type { Fix, Setup } from '../remedies/types.ts';
import { selectBackend } from './backend.ts';
import { buildPatchedModel } from './patch.ts';

const SETUP: Setup = {
  optimizer: 'Adam',
  learningRate: 1e-3,
  loss: 'sparse_categorical_crossentropy',
  classWeights: null,
};

function sequential(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4], name: 'h1' }),
      tf.layers.dense({ units: 8, activation: 'relu', name: 'h2' }),
      tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
  });
}

function functional(): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  const h1 = tf.layers.dense({ units: 8, activation: 'relu', name: 'h1' }).apply(input) as tf.SymbolicTensor;
  const h2 = tf.layers.dense({ units: 8, activation: 'relu', name: 'h2' }).apply(h1) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 3, activation: 'softmax', name: 'out' })
    .apply(h2) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const snapshot = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('buildPatchedModel', () => {
  beforeAll(() => selectBackend('cpu'));
  const fixes: [Fix, string][] = [
    [batchNorm, 'BatchNormalization'],
    [leakyRelu, 'LeakyReLU'],
    [reinitFan, 'Dense'],
    [biasSmallPositive, 'Dense'],
  ];
  for (const [kind, build] of [
    ['sequential', sequential],
    ['functional', functional],
  ] as const) {
    for (const [fix, layerClass] of fixes) {
      it(`${fix.id} on a ${kind} model`, async () => {
        const original = build();
        const before = snapshot(original);
        const steps = [{ fix, params: fix.params({} as never) }];
        const patched = await buildPatchedModel(original, SETUP, steps, 7);
        try {
          expect(patched.model.layers.map((l) => l.getClassName())).toContain(layerClass);
          const y = patched.model.predict(tf.ones([2, 4])) as tf.Tensor;
          expect(y.shape).toEqual([2, 3]);
          expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
          y.dispose();
          // The original is only read.
          expect(snapshot(original)).toEqual(before);
          // Weights the fix does not re-initialize are the original's.
          const fresh = new Set(patched.resolved.flatMap((r) => r.changes.reinitialized));
          const out = patched.model.getLayer('out');
          if (!fresh.has('out'))
            expect(Array.from(out.getWeights()[0].dataSync())).toEqual(
              Array.from(original.getLayer('out').getWeights()[0].dataSync()),
            );
        } finally {
          patched.model.dispose();
          original.dispose();
        }
      });
    }
  }
});
