// Healthy, well-known setups raise no failure (threshold calibration).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleData, exampleModel } from '../../src/example/mnist-mlp.ts';
import { checkup } from '../../src/node/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';

describe('healthy setups on real MNIST', () => {
  beforeAll(() => selectBackend());
  const data = exampleData();
  const cases = [
    { name: 'the built-in example (ReLU MLP, Adam 1e-3)', model: () => exampleModel() },
    {
      name: 'the same MLP with plain SGD at 0.5',
      model: () => exampleModel({ optimizer: tf.train.sgd(0.5) }),
    },
    { name: 'a tanh MLP (Glorot init, Adam 1e-3)', model: () => exampleModel({ hiddenActivation: 'tanh' }) },
  ];
  for (const c of cases) {
    it(`${c.name} raises no fail`, async () => {
      const report = await checkup({ model: c.model(), data });
      const bad = report.checks
        .filter((r) => r.status === 'fail' || r.status === 'error')
        .map((r) => `${r.id}: ${r.summary}`);
      expect(bad).toEqual([]);
      expect(
        report.diagnosis.primary === null ||
          report.checks.find((r) => r.id === report.diagnosis.primary)?.status === 'warn',
      ).toBe(true);
    });
  }
});
