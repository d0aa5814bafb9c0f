// trainUntil's mid-chunk evaluation hint: it stops a run sooner without changing the run.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../core/random.ts';
import { selectBackend } from '../tfjs/backend.ts';
import { evaluate, type TrainingData } from '../tfjs/trainer.ts';
import { trainUntil, type UntilOptions } from './adaptive.ts';

function twoBlobs(n: number): TrainingData {
  const rng = createRng(3);
  const x = new Float32Array(n * 4);
  const targets = new Float32Array(n * 2);
  const classIds = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const c = r % 2;
    classIds[r] = c;
    targets[r * 2 + c] = 1;
    for (let f = 0; f < 4; f++) x[r * 4 + f] = (c ? 1 : -1) + 0.7 * gaussian(rng);
  }
  return { x, featureShape: [4], targets, targetShape: [2], classIds };
}

function model(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [4],
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      }),
    ],
  });
  m.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
  return m;
}

const data = twoBlobs(400);
const pool = Int32Array.from({ length: 300 }, (_, i) => i);
const test = Int32Array.from({ length: 100 }, (_, i) => 300 + i);
const TARGET = 0.3;

async function run(hinted: boolean) {
  const m = model();
  const optimizer = tf.train.sgd(0.05);
  m.compile({ optimizer, loss: 'categoricalCrossentropy' });
  let evaluations = 0;
  const options: UntilOptions = {
    chunk: 100,
    baseSteps: 100,
    maxSteps: 400,
    batchSize: 16,
    seed: 11,
    pool,
    evaluate: () => {
      evaluations++;
      const { loss, accuracy } = evaluate(m, data, test);
      return { step: 0, loss, accuracy };
    },
    reached: (c) => c.loss <= TARGET,
    progressed: () => true,
    ...(hinted ? { probeWhen: (r) => r.dataLoss <= TARGET, probeGap: 5 } : {}),
  };
  try {
    return { result: await trainUntil(m, optimizer, data, options), evaluations };
  } finally {
    m.dispose();
    optimizer.dispose();
  }
}

describe('trainUntil', () => {
  beforeAll(() => selectBackend());

  it('stops within the chunk once a hinted evaluation meets the target, on the same batches', async () => {
    const plain = await run(false);
    const hinted = await run(true);
    expect(plain.result.stopped).toBe('target');
    expect(hinted.result.stopped).toBe('target');
    // Without the hint the run learns within its first chunk but only finds out at its end.
    expect(plain.result.reachedAt).toBe(100);
    const at = hinted.result.reachedAt as number;
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(100);
    expect(hinted.result.steps).toBe(at);
    const last = hinted.result.checkpoints[hinted.result.checkpoints.length - 1];
    expect(last.step).toBe(at);
    expect(last.loss).toBeLessThanOrEqual(TARGET);
    // The hint changes when the run stops, not the run: the same losses step by step.
    const losses = (r: typeof plain) => r.result.records.map((s) => s.dataLoss);
    expect(losses(hinted)).toEqual(losses(plain).slice(0, at));
  });
});
