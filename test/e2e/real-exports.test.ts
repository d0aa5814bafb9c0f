// Real TF.js Layers exports from public repositories (test/fixtures/tfjs-exports/SOURCES.md) load
// and get plausible verdicts: trained checkpoints are recognized and judged on re-initialized
// clones, a fresh export is judged as it is, and no healthy export gets a false failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/dataset.ts';
import { createRng } from '../../src/core/random.ts';
import type { Report } from '../../src/core/report.ts';
import { exampleData } from '../../src/example/mnist-mlp.ts';
import { checkup } from '../../src/node/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { loadModelFile } from '../../src/tfjs/model-files/index.ts';

const DIR = join(import.meta.dirname, '../fixtures/tfjs-exports');

/** The abalone CSV as the example's data.js reads it: sex F/M/I → 0/1/2, the rest numbers, rings the target. */
function abalone(): Dataset {
  const rows = readFileSync(join(DIR, 'abalone/abalone.csv'), 'utf8').trim().split('\n').slice(1);
  const sex: Record<string, number> = { F: 0, M: 1, I: 2 };
  const cells = rows.map((line) => line.split(','));
  return {
    x: Float32Array.from(cells.flatMap((c) => [sex[c[0]], ...c.slice(1, 8).map(Number)])),
    xShape: [cells.length, 8],
    y: Float32Array.from(cells.map((c) => Number(c[8]))),
    yShape: [cells.length],
    source: 'abalone.csv',
  };
}

/** Token sequences for the GRU (vocabulary 100, length 10): 4 targets in (−1, 1) from keyword counts. */
function tokens(n: number): Dataset {
  const rng = createRng(1);
  const x = new Float32Array(n * 10);
  const y = new Float32Array(n * 4);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < 10; i++) x[r * 10 + i] = Math.floor(rng() * 100);
    for (let k = 0; k < 4; k++) {
      let count = 0;
      for (let i = 0; i < 10; i++) if (x[r * 10 + i] < 20 && x[r * 10 + i] % 4 === k) count++;
      y[r * 4 + k] = Math.tanh(count - 0.5);
    }
  }
  return { x, xShape: [n, 10], y, yShape: [n, 4], source: 'token counts' };
}

const problems = (report: Report) =>
  report.checks
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => `${c.id}: ${c.summary}`);

describe('real TF.js Layers exports', () => {
  beforeAll(() => selectBackend());

  it('abalone regression MLP (trained, SGD 0.01, raw inputs and targets): a checkpoint, warnings only', async () => {
    const { model, trainingConfig } = await loadModelFile(join(DIR, 'abalone/model.json'));
    expect(trainingConfig).toBeNull();
    const report = await checkup({
      model,
      data: abalone(),
      loss: 'meanSquaredError',
      optimizer: 'sgd',
      lr: 0.01,
    });
    expect(report.evidence.checkpoint?.signals.length).toBeGreaterThan(0);
    expect(report.evidence.model?.weightsFrom).toBe('reinitialized-clone');
    expect(problems(report)).toEqual([]);
    // What is really there: raw, uncentered inputs and targets in raw units.
    const status = (id: string) => report.checks.find((c) => c.id === id)?.status;
    expect(status('inputs/mean-centering')).toBe('warn');
    expect(status('inputs/target-scale')).toBe('warn');
    model.dispose();
  });

  it('LeNet CNN for MNIST (saved before training): fresh weights judged as they are, no fail', async () => {
    const { model } = await loadModelFile(join(DIR, 'lenet-mnist/mnist.json'));
    const report = await checkup({ model, data: exampleData(3000), loss: 'categoricalCrossentropy' });
    expect(report.evidence.model?.freshInit).toBe(true);
    expect(report.evidence.checkpoint).toBeUndefined();
    expect(report.evidence.control?.corpus).toBe('mnist');
    expect(problems(report)).toEqual([]);
    model.dispose();
  });

  // A Keras 3 export (issue 14's fixtures): a trained MNIST CNN saved as .keras.
  it('Keras 3 .keras MNIST CNN (trained): a checkpoint, no fail', async () => {
    const path = join(import.meta.dirname, '../fixtures/keras/MNIST-models/mnist_model.keras');
    const { model } = await loadModelFile(path);
    const report = await checkup({ model, data: exampleData(3000) });
    expect(report.evidence.model?.weightsFrom).toBe('reinitialized-clone');
    expect(report.evidence.checkpoint?.accuracy).toBeGreaterThan(0.9);
    expect(problems(report)).toEqual([]);
    model.dispose();
  });

  it('Embedding + GRU (fresh weights): judged as it is, no fail', async () => {
    const { model } = await loadModelFile(join(DIR, 'embedding-gru/model.json'));
    const report = await checkup({ model, data: tokens(1500), loss: 'meanSquaredError' });
    expect(report.evidence.model?.freshInit).toBe(true);
    expect(report.evidence.checkpoint).toBeUndefined();
    expect(report.evidence.dataset?.inputKind).toBe('tokens');
    expect(problems(report)).toEqual([]);
    model.dispose();
  });
});
