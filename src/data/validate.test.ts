import { describe, expect, it } from 'vitest';
import type { Dataset } from '../core/dataset.ts';
import { UsageError } from '../core/errors.ts';
import { type DataFlags, fitDatasetToModel, lossKind, type ModelIO, validateDataset } from './validate.ts';

function ds(xShape: number[], y: number[], yShape: number[] = [y.length]): Dataset {
  const n = xShape.reduce((a, b) => a * b, 1);
  return { x: new Float32Array(n), xShape, y: Float32Array.from(y), yShape, source: 'x.npy' };
}

const FLAGS: DataFlags = { data: 'x.npy', labels: 'y.npy' };
const mnistModel: ModelIO = {
  inputShape: [null, 28, 28, 1],
  outputUnits: 10,
  loss: 'categoricalCrossentropy',
};
const mlp: ModelIO = { inputShape: [null, 784], outputUnits: 10, loss: 'sparse_categorical_crossentropy' };

function expectUsage(fn: () => unknown, message: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const msg = (caught as Error).message;
  expect(msg).not.toContain('\n');
  if (typeof message === 'string') expect(msg).toBe(message);
  else expect(msg).toMatch(message);
}

describe('lossKind', () => {
  it('classifies loss names in any spelling', () => {
    expect(lossKind('categoricalCrossentropy')).toBe('classes');
    expect(lossKind('sparse_categorical_crossentropy')).toBe('classes');
    expect(lossKind('SparseCategoricalCrossentropy')).toBe('classes');
    expect(lossKind('binaryCrossentropy')).toBe('binary');
    expect(lossKind('mse')).toBe('targets');
    expect(lossKind('meanAbsoluteError')).toBe('targets');
  });
});

describe('fitDatasetToModel', () => {
  it('passes a fitting dataset through unchanged', () => {
    const d = ds([3, 28, 28, 1], [0, 9, 4]);
    const fit = fitDatasetToModel(d, mnistModel, FLAGS);
    expect(fit.xShape).toEqual([3, 28, 28, 1]);
    expect(fit.yShape).toEqual([3]);
    expect(fit.x).toBe(d.x);
  });

  it('reshapes flat records to an image input and back', () => {
    expect(fitDatasetToModel(ds([2, 784], [1, 2]), mnistModel, FLAGS).xShape).toEqual([2, 28, 28, 1]);
    expect(fitDatasetToModel(ds([2, 28, 28], [1, 2]), mnistModel, FLAGS).xShape).toEqual([2, 28, 28, 1]);
    expect(fitDatasetToModel(ds([2, 28, 28, 1], [1, 2]), mlp, FLAGS).xShape).toEqual([2, 784]);
  });

  it('matches unknown (null) input dimensions', () => {
    const conv: ModelIO = {
      inputShape: [null, null, null, 3],
      outputUnits: 2,
      loss: 'sparseCategoricalCrossentropy',
    };
    expect(fitDatasetToModel(ds([2, 8, 8, 3], [0, 1]), conv, FLAGS).xShape).toEqual([2, 8, 8, 3]);
    expectUsage(
      () => fitDatasetToModel(ds([2, 192], [0, 1]), conv, FLAGS),
      '--data x.npy: each record has shape [192] but the model input is [?, ?, 3]',
    );
  });

  it('rejects features that do not fit the input', () => {
    expectUsage(
      () => fitDatasetToModel(ds([2, 100], [0, 1]), mlp, FLAGS),
      '--data x.npy: each record has shape [100] (100 values) but the model input is [784] (784 values)',
    );
  });

  it('rejects empty data', () => {
    expectUsage(
      () => fitDatasetToModel(ds([0, 784], []), mlp, FLAGS),
      '--data x.npy: no records (the data is empty)',
    );
    expectUsage(
      () => fitDatasetToModel(ds([3, 0], [0, 1, 2]), mlp, FLAGS),
      /--data x\.npy: records have no values/,
    );
  });

  it('rejects a label count different from the record count', () => {
    expectUsage(
      () => fitDatasetToModel(ds([999, 784], new Array(1000).fill(0)), mlp, FLAGS),
      '--labels y.npy: 1000 labels for 999 records in --data x.npy',
    );
    expectUsage(
      () => fitDatasetToModel(ds([3, 784], [0, 1]), mlp, { data: 'd.csv' }),
      '--data d.csv: 2 labels for 3 records',
    );
  });

  it('rejects class labels outside the output classes', () => {
    expectUsage(
      () => fitDatasetToModel(ds([3, 784], [0, 10, 3]), mlp, FLAGS),
      "--labels y.npy: label 10 (record 2) is outside the model's 10 classes (0..9)",
    );
    expectUsage(
      () => fitDatasetToModel(ds([2, 784], [-1, 3]), mlp, FLAGS),
      /label -1 \(record 1\) is outside/,
    );
    expectUsage(
      () => fitDatasetToModel(ds([2, 784], [0.5, 3]), mnistModel, FLAGS),
      /label 0\.5 \(record 1\) is not an integer/,
    );
  });

  it('accepts one-hot labels of the right width and integer labels as [records, 1]', () => {
    const oneHot = ds([2, 784], [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [2, 10]);
    expect(fitDatasetToModel(oneHot, mnistModel, FLAGS).yShape).toEqual([2, 10]);
    expect(fitDatasetToModel(ds([2, 784], [3, 4], [2, 1]), mlp, FLAGS).yShape).toEqual([2]);
    expectUsage(
      () => fitDatasetToModel(ds([2, 784], new Array(10).fill(0), [2, 5]), mnistModel, FLAGS),
      '--labels y.npy: one-hot labels have 5 columns but the model outputs 10 classes',
    );
  });

  it('lets NaN labels through (a check reports them)', () => {
    expect(fitDatasetToModel(ds([2, 784], [Number.NaN, 3]), mlp, FLAGS).yShape).toEqual([2]);
  });

  it('checks binary cross-entropy targets', () => {
    const bin: ModelIO = { inputShape: [null, 4], outputUnits: 1, loss: 'binaryCrossentropy' };
    expect(fitDatasetToModel(ds([3, 4], [0, 1, 1], [3, 1]), bin, FLAGS).yShape).toEqual([3]);
    expectUsage(
      () => fitDatasetToModel(ds([3, 4], [0, 2, 1]), bin, FLAGS),
      '--labels y.npy: label 2 (record 2) is outside [0, 1]; binary cross-entropy needs 0/1 targets',
    );
    const softmax2: ModelIO = { inputShape: [null, 4], outputUnits: 2, loss: 'binary_crossentropy' };
    expect(fitDatasetToModel(ds([2, 4], [0, 1]), softmax2, FLAGS).yShape).toEqual([2]);
  });

  it('checks the width of regression targets', () => {
    const reg: ModelIO = { inputShape: [null, 4], outputUnits: 2, loss: 'meanSquaredError' };
    expect(fitDatasetToModel(ds([2, 4], [0.5, 1, 2, 3], [2, 2]), reg, FLAGS).yShape).toEqual([2, 2]);
    expectUsage(
      () => fitDatasetToModel(ds([2, 4], [0.5, 1, 2, 3, 4, 5], [2, 3]), reg, FLAGS),
      '--labels y.npy: 3 targets per record (label shape [3]) but the model outputs 2 values per record',
    );
    const reg1: ModelIO = { inputShape: [null, 4], outputUnits: 1, loss: 'mae' };
    expect(fitDatasetToModel(ds([2, 4], [0.5, -7.25]), reg1, FLAGS).yShape).toEqual([2]);
    expectUsage(
      () => fitDatasetToModel(ds([2, 4], [0.5, 1, 2, 3], [2, 2]), reg1, { data: 'r.csv' }),
      /^--data r\.csv: 2 targets per record/,
    );
  });

  it('accepts integer class ids under MSE for a multi-unit output (softmax + MSE)', () => {
    const m: ModelIO = { inputShape: [null, 784], outputUnits: 10, loss: 'mse' };
    expect(fitDatasetToModel(ds([2, 784], [3, 9]), m, FLAGS).yShape).toEqual([2]);
    expectUsage(() => fitDatasetToModel(ds([2, 784], [3.5, 9]), m, FLAGS), /1 target per record/);
  });

  it('names other flags when told (e.g. --val)', () => {
    expectUsage(
      () =>
        fitDatasetToModel(ds([3, 784], [0, 1]), mlp, {
          data: 'v.npy',
          labels: 'vy.npy',
          dataFlag: '--val',
          labelsFlag: '--val-labels',
        }),
      '--val-labels vy.npy: 2 labels for 3 records in --val v.npy',
    );
  });

  it('validateDataset throws the same errors', () => {
    expect(() => validateDataset(ds([2, 784], [0, 1]), mlp, FLAGS)).not.toThrow();
    expectUsage(() => validateDataset(ds([2, 784], [0, 11]), mlp, FLAGS), /outside/);
  });
});
