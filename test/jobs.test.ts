// Experiments in worker threads: `jobs: 2` gives the same report as `jobs: 1` (one after the other
// in this thread) for the same seed, apart from timings and createdAt, and the same progress events.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckupOptions, ProgressEvent } from '../src/checkup.ts';
import { parseCheckArgs } from '../src/cli/check.ts';
import { UsageError } from '../src/core/errors.ts';
import type { Report } from '../src/core/report.ts';
import { exampleData, exampleModel } from '../src/example/mnist-mlp.ts';
import { checkup } from '../src/node/checkup.ts';
import { selectBackend } from '../src/tfjs/backend.ts';

const BUDGET = {
  trainSteps: 40,
  overfitSteps: 40,
  overfitRecords: 30,
  controlSteps: 30,
  sweepSteps: 30,
  heldOutRecords: 300,
};

/** The report without what may differ between runs: timings, createdAt, per-check durations. */
function comparable(report: Report): unknown {
  const copy = JSON.parse(JSON.stringify(report));
  delete copy.timings;
  delete copy.createdAt;
  for (const c of copy.checks) delete c.durationMs;
  return copy;
}

async function run(options: Omit<CheckupOptions, 'onProgress'>) {
  const events: ProgressEvent[] = [];
  const report = await checkup({ ...options, onProgress: (e) => events.push(e) });
  return { report, events };
}

describe('--jobs', () => {
  beforeAll(() => selectBackend());

  it('jobs 2 (worker threads) gives the same report and progress as jobs 1, same seed', async () => {
    // One model for both runs: TF.js names the weights of every new model apart (kernel_1, …).
    const model = exampleModel();
    const options = { model, data: exampleData(1500), budget: BUDGET, seed: 11 };
    const one = await run({ ...options, jobs: 1 });
    const two = await run({ ...options, jobs: 2 });
    expect(comparable(two.report)).toEqual(comparable(one.report));
    expect(two.events).toEqual(one.events);
    expect(Object.keys(two.report.timings.probes)).toEqual(Object.keys(one.report.timings.probes));
    // Nothing failed in the workers: every experiment measured something or said why not.
    const errors = Object.values(two.report.evidence.unavailable ?? {}).filter((u) => u?.status === 'error');
    expect(errors).toEqual([]);
    expect(two.report.evidence.training?.loss.values).toHaveLength(BUDGET.trainSteps);
    // The caller's model is untouched and the backend is the caller's.
    expect(model.getWeights().every((w) => !w.isDisposed)).toBe(true);
    expect(tf.getBackend()).toBe(one.report.environment.backend);
  });

  it('the fix experiments with jobs 2 (arms side by side in a worker) give the same remedies as jobs 1', async () => {
    const model = exampleModel({ optimizer: tf.train.sgd(5) });
    const options = {
      model,
      data: exampleData(1500),
      budget: BUDGET,
      seed: 5,
      verify: 'always' as const,
      remedyBudget: { seeds: 2, randomDraws: 2, candidates: 1, stages: 1 },
    };
    const one = await checkup({ ...options, jobs: 1 });
    const two = await checkup({ ...options, jobs: 2 });
    expect(one.remedies, JSON.stringify(one.evidence.unavailable?.remedies)).toBeDefined();
    expect(one.evidence.remedies?.stages[0]?.random.length).toBe(2);
    expect(comparable(two)).toEqual(comparable(one));
  }, 600_000);

  it('a loss given as a function stays in this thread: same report', async () => {
    const model = exampleModel();
    const loss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
    model.compile({ optimizer: tf.train.adam(1e-3), loss });
    const options = {
      model,
      data: exampleData(600),
      budget: BUDGET,
      only: ['inputs/overfit-small', 'inputs/standard-corpus'],
    };
    const one = await run({ ...options, jobs: 1 });
    const two = await run({ ...options, jobs: 2 });
    expect(comparable(two.report)).toEqual(comparable(one.report));
  });

  it('a layer class registered only in this thread: its experiments run here, same report', async () => {
    class Doubling extends tf.layers.Layer {
      static className = 'NnDoctorTestDoubling';
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2);
      }
    }
    tf.serialization.registerClass(Doubling);
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28, 1] }),
        new Doubling({}),
        tf.layers.dense({
          units: 10,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const options = {
      model,
      data: exampleData(600),
      budget: BUDGET,
      only: ['inputs/overfit-small', 'inputs/standard-corpus'],
    };
    const one = await run({ ...options, jobs: 1 });
    const two = await run({ ...options, jobs: 2 });
    expect(comparable(two.report)).toEqual(comparable(one.report));
    expect(two.report.evidence.overfit).toBeDefined();
    expect(two.report.evidence.control).toBeDefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('options.jobs %s is a usage error', async (jobs) => {
    await expect(checkup({ model: exampleModel(), data: exampleData(200), jobs })).rejects.toThrow(
      new UsageError(`options.jobs: must be a positive whole number, got ${jobs}`),
    );
  });

  it.each(['0', '-2', '1.5', 'two', '0x2'])('--jobs %s is a usage error', (value) => {
    expect(() => parseCheckArgs(['--jobs', value])).toThrow(UsageError);
    expect(() => parseCheckArgs(['--jobs', value])).toThrow(/^--jobs: /);
  });

  it('--jobs N reaches the checkup options', () => {
    expect(parseCheckArgs(['--jobs', '3']).options.jobs).toBe(3);
    expect(parseCheckArgs([]).options.jobs).toBeUndefined();
  });
});
