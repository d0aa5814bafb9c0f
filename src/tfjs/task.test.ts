// Labels in, targets in the layout the compiled loss expects out — for every label encoding.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../core/dataset.ts';
import { normalizeLossName } from '../core/names.ts';
import { selectBackend } from './backend.ts';
import { outputActivations, prepareLabels } from './task.ts';

function model(units: number, activation: string, extra?: tf.layers.Layer): tf.LayersModel {
  const layers = [tf.layers.dense({ units, activation: activation as 'linear', inputShape: [2] })];
  if (extra) layers.push(extra as never);
  return tf.sequential({ layers });
}

const ds = (y: number[], yShape: number[]): Dataset => ({
  x: new Float32Array(y.length * 2),
  xShape: [yShape[0], 2],
  y: Float32Array.from(y),
  yShape,
  source: 't',
});

describe('prepareLabels', () => {
  beforeAll(() => selectBackend('cpu'));

  it('integer labels under categorical cross-entropy become one-hot', () => {
    const p = prepareLabels(model(3, 'softmax'), 'categoricalCrossentropy', ds([0, 2, 1], [3]), '--labels y');
    expect(p.task).toMatchObject({
      kind: 'classification',
      classes: 3,
      labelEncoding: 'integer',
      loss: 'categorical_crossentropy',
    });
    expect(Array.from(p.targets)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(p.targetShape).toEqual([3]);
    expect(Array.from(p.view.classIds ?? [])).toEqual([0, 2, 1]);
  });

  it('one-hot labels under sparse cross-entropy become class ids', () => {
    const p = prepareLabels(
      model(3, 'softmax'),
      'sparse_categorical_crossentropy',
      ds([0, 0, 1, 1, 0, 0], [2, 3]),
      '--labels y',
    );
    expect(p.task.labelEncoding).toBe('one-hot');
    expect(Array.from(p.targets)).toEqual([2, 0]);
    expect(p.targetShape).toEqual([1]);
  });

  it('one-hot labels of the wrong width are an input error naming the flag', () => {
    expect(() =>
      prepareLabels(
        model(3, 'softmax'),
        'categoricalCrossentropy',
        ds([0, 1, 1, 0], [2, 2]),
        '--labels y.npy',
      ),
    ).toThrow(/--labels y\.npy/);
  });

  it('a single sigmoid unit with binary cross-entropy is a 2-class task', () => {
    const p = prepareLabels(model(1, 'sigmoid'), 'binaryCrossentropy', ds([1, 0, 1], [3]), '--labels y');
    expect(p.task).toMatchObject({ kind: 'classification', classes: 2 });
    expect(Array.from(p.targets)).toEqual([1, 0, 1]);
  });

  it('continuous targets under MSE are regression, passed through', () => {
    const p = prepareLabels(model(2, 'linear'), 'mse', ds([0.5, -1, 2, 3.25], [2, 2]), '--labels y');
    expect(p.task).toMatchObject({
      kind: 'regression',
      classes: null,
      loss: 'mean_squared_error',
      labelEncoding: 'continuous',
    });
    expect(p.targetShape).toEqual([2]);
    expect(p.view.classIds).toBeNull();
  });
});

describe('output activations and loss names', () => {
  beforeAll(() => selectBackend('cpu'));
  it('sees softmax applied twice through an Activation layer', () => {
    expect(outputActivations(model(3, 'softmax', tf.layers.activation({ activation: 'softmax' })))).toEqual([
      'softmax',
      'softmax',
    ]);
    expect(outputActivations(model(3, 'linear'))).toEqual(['linear']);
  });
  it('normalizes TF.js, Keras and short loss names', () => {
    expect(normalizeLossName('categoricalCrossentropy')).toBe('categorical_crossentropy');
    expect(normalizeLossName('CategoricalCrossentropy')).toBe('categorical_crossentropy');
    expect(normalizeLossName('mae')).toBe('mean_absolute_error');
  });

  it('multi-hot labels under binary cross-entropy stay as they are (no argmax)', () => {
    const p = prepareLabels(
      model(3, 'sigmoid'),
      'binaryCrossentropy',
      ds([1, 0, 1, 1, 1, 0], [2, 3]),
      '--labels y',
    );
    expect(p.task).toMatchObject({
      kind: 'classification',
      classes: 3,
      labelEncoding: 'multi-hot',
      outputUnits: 3,
    });
    expect(Array.from(p.targets)).toEqual([1, 0, 1, 1, 1, 0]);
    expect(p.targetShape).toEqual([3]);
    expect(p.view.classIds).toBeNull();
    expect(Array.from(p.view.multiHot ?? [])).toEqual([1, 0, 1, 1, 1, 0]);
  });

  it('soft targets of a single sigmoid unit are kept; the class is the nearer end', () => {
    const p = prepareLabels(
      model(1, 'sigmoid'),
      'binaryCrossentropy',
      ds([0.9, 0.2, 0.6], [3]),
      '--labels y',
    );
    expect(Array.from(p.targets)).toEqual([0.9, 0.2, 0.6].map(Math.fround));
    expect(Array.from(p.view.classIds ?? [])).toEqual([1, 0, 1]);
  });
});

describe('reconstruction and regression on squashing outputs', () => {
  beforeAll(() => selectBackend('cpu'));

  /** `records` rows of `width` values drawn by `value(record, column)`, as inputs and targets. */
  const table = (records: number, width: number, value: (r: number, k: number) => number, sameX = false) => {
    const y = Float32Array.from({ length: records * width }, (_, i) =>
      value(Math.floor(i / width), i % width),
    );
    const x = sameX ? y : new Float32Array(records * 2);
    return {
      x,
      xShape: sameX ? [records, width] : [records, 2],
      y,
      yShape: [records, width],
      source: 't',
    } satisfies Dataset;
  };
  const wide = (units: number, activation: string, inputs: number) =>
    tf.sequential({
      layers: [tf.layers.dense({ units, activation: activation as 'linear', inputShape: [inputs] })],
    });
  /** Pixel-like values: mostly 0, some 1, some in between (many distinct values). */
  const pixel = (r: number, k: number) => ((r * 7 + k * 13) % 10 < 6 ? 0 : ((r + k) % 50) / 49);

  it('an autoencoder (targets = inputs, 32 sigmoid outputs, BCE) is a reconstruction, not 32 labels', () => {
    const data = table(40, 32, pixel, true);
    const p = prepareLabels(wide(32, 'sigmoid', 32), 'binaryCrossentropy', data, '--labels y');
    expect(p.task).toMatchObject({
      kind: 'regression',
      classes: null,
      labelEncoding: 'continuous',
      reconstruction: 'inputs',
    });
    expect(p.view.multiHot ?? null).toBeNull();
    expect(p.view.targets).toBe(data.y);
  });

  it('continuous targets in [0, 1] over many outputs (denoising) are a reconstruction', () => {
    const p = prepareLabels(wide(20, 'sigmoid', 2), 'binaryCrossentropy', table(40, 20, pixel), '--labels y');
    expect(p.task).toMatchObject({ kind: 'regression', reconstruction: 'continuous' });
  });

  it('multi-hot labels (and label-smoothed ones: 2 values) over many outputs stay multi-label', () => {
    for (const [on, off] of [
      [1, 0],
      [0.95, 0.05],
    ]) {
      const data = table(40, 20, (r, k) => ((r + k) % 3 === 0 ? on : off));
      const p = prepareLabels(wide(20, 'sigmoid', 2), 'binaryCrossentropy', data, '--labels y');
      expect(p.task).toMatchObject({ kind: 'classification', labelEncoding: 'multi-hot' });
      expect(p.task.reconstruction).toBeUndefined();
    }
  });

  it('few outputs are never a reconstruction (soft targets of 4 labels stay multi-label)', () => {
    const p = prepareLabels(wide(4, 'sigmoid', 2), 'binaryCrossentropy', table(40, 4, pixel), '--labels y');
    expect(p.task).toMatchObject({ kind: 'classification', labelEncoding: 'multi-hot' });
  });

  it('integer targets a sigmoid cannot hold (0–9 under MSE) are a regression, not 2 classes', () => {
    const p = prepareLabels(model(1, 'sigmoid'), 'mse', ds([0, 3, 9, 5], [4]), '--labels y');
    expect(p.task).toMatchObject({ kind: 'regression', labelEncoding: 'continuous' });
    const labels = prepareLabels(model(1, 'sigmoid'), 'mse', ds([0, 1, 1, 0], [4]), '--labels y');
    expect(labels.task).toMatchObject({ kind: 'classification', classes: 2 });
  });
});
