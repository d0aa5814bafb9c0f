// Real trained Keras files from public repositories (test/fixtures/keras/SOURCES.md), run through
// the whole checkup on the data they were trained for: a healthy trained checkpoint gets no fail,
// whatever format and Keras version wrote it. (real-exports.test.ts runs the Keras 3.1.1 .keras;
// these are the other two formats: the same model family as a Keras 3 legacy .h5, and a .keras
// written by Keras 3.10.)
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.ts';
import { exampleData } from '../../src/example/mnist-mlp.ts';
import { fixturePath } from '../../src/model-files/keras/testing.ts';
import { checkup } from '../../src/node/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { loadModelFile } from '../../src/tfjs/model-files/index.ts';

const problems = (report: Report) =>
  report.checks
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => `${c.id}: ${c.summary}`);

describe('real trained Keras files: the whole checkup on MNIST', () => {
  beforeAll(() => selectBackend());

  for (const [what, parts] of [
    ['Keras 3.1.1 legacy .h5 MNIST CNN (MNIST-models)', ['MNIST-models', 'mnist_model.h5']],
    [
      'Keras 3.10 .keras MNIST CNN (CNN_Project_MNIST_TFJS)',
      ['CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'],
    ],
  ] as const) {
    it(`${what}: a trained checkpoint that fits its data, no fail`, async () => {
      const { model } = await loadModelFile(fixturePath(...parts));
      try {
        const report = await checkup({ model, data: exampleData(3000) });
        expect(report.evidence.model?.weightsFrom).toBe('reinitialized-clone');
        // The checkpoint itself is good on these records (measured 0.996 for both).
        expect(report.evidence.checkpoint?.accuracy).toBeGreaterThan(0.95);
        expect(problems(report)).toEqual([]);
      } finally {
        model.dispose();
      }
    }, 300_000);
  }
});
