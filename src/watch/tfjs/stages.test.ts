// The watcher's stages on their own, without training: the schedule (what is measured at which
// step) and the read-back queue (values handed on, NaN urgent, nothing used after close).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReadbackQueue } from './readback-queue.ts';
import { DEFAULT_ACTIVATIONS_EVERY, DEFAULT_EVERY, Schedule } from './schedule.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Schedule', () => {
  const where = (s: Schedule, what: 'gradients' | 'activations' | 'validation', n: number) =>
    Array.from({ length: n }, (_, at) => at).filter((at) =>
      what === 'gradients'
        ? s.measuresGradients(at)
        : what === 'activations'
          ? s.measuresActivations(at)
          : s.measuresValidation(at),
    );

  it.each<
    [
      string,
      ConstructorParameters<typeof Schedule>[0],
      'gradients' | 'activations' | 'validation',
      number,
      number[],
    ]
  >([
    ['gradients at the defaults: in steps 0, 32, 64…', {}, 'gradients', 65, [0, 32, 64]],
    ['activations at the defaults: after step 255', {}, 'activations', 512, [255, 511]],
    ['gradients every 4', { every: 4 }, 'gradients', 13, [0, 4, 8, 12]],
    ['activations every 8: after steps 7, 15', { activationsEvery: 8 }, 'activations', 16, [7, 15]],
    ['validation every 5: after steps 4, 9, 14', { validation: { every: 5 } }, 'validation', 15, [4, 9, 14]],
    ['validation defaults to 10× every', { every: 2, validation: {} }, 'validation', 40, [19, 39]],
  ])('%s', (_, options, what, n, expected) => {
    expect(where(new Schedule(options), what, n)).toEqual(expected);
  });

  it('counts steps and records itself in the report settings', () => {
    const s = new Schedule({});
    s.stepDone();
    s.stepDone();
    expect(s.steps).toBe(2);
    expect(s.settings()).toEqual({
      every: DEFAULT_EVERY,
      activationsEvery: DEFAULT_ACTIVATIONS_EVERY,
      steps: 2,
    });
    expect(new Schedule({ every: 3, validation: { every: 7 } }).settings()).toEqual({
      every: 3,
      activationsEvery: DEFAULT_ACTIVATIONS_EVERY,
      validationEvery: 7,
      steps: 0,
    });
  });

  it.each([
    [{ every: 0 }, /options\.every/],
    [{ activationsEvery: 1.5 }, /options\.activationsEvery/],
    [{ validation: { every: -1 } }, /options\.validation\.every/],
  ])('refuses %j', (options, message) => {
    expect(() => new Schedule(options)).toThrow(message);
  });
});

describe('ReadbackQueue', () => {
  it('hands the values on, frees the tensor, and marks a non-finite readback urgent', async () => {
    const calls: boolean[] = [];
    const queue = new ReadbackQueue((urgent) => calls.push(urgent));
    const before = tf.memory().numTensors;
    const got: number[][] = [];
    queue.read(tf.tensor1d([1, 2]), (v) => got.push([...v]));
    queue.read(tf.tensor1d([Number.NaN]), (v) => got.push([...v]));
    queue.read(tf.tensor1d([3]), (v) => got.push([...v]), true);
    await queue.settle();
    expect(got).toEqual([[1, 2], [Number.NaN], [3]]);
    expect(calls).toEqual([false, true, true]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('waits for readbacks queued while it waits, and uses nothing after close', async () => {
    const got: number[] = [];
    const queue = new ReadbackQueue(() => {
      if (got.length === 1) queue.read(tf.tensor1d([2]), (v) => got.push(v[0]));
    });
    queue.read(tf.tensor1d([1]), (v) => got.push(v[0]));
    await queue.settle();
    expect(got).toEqual([1, 2]);
    const before = tf.memory().numTensors;
    queue.read(tf.tensor1d([3]), (v) => got.push(v[0]));
    queue.close();
    await queue.settle();
    expect(got).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
