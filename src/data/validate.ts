// Checks a loaded dataset against the model it will train, and fits its shapes to the model.
// Each problem is a UsageError with one line naming the flag, the file and what is wrong.
import type { Dataset } from '../core/dataset.ts';
import { normalizeLossName } from '../core/names.ts';
import { formatShape, inputError, sizeOf } from './common.ts';

/** What the dataset must fit. */
export interface ModelIO {
  /** The model's input shape including the leading batch dimension, e.g. `model.inputs[0].shape`. */
  inputShape: (number | null)[];
  /** Values per record in the model's output (product of the output shape without the batch dimension). */
  outputUnits: number;
  /** Loss name in any spelling: `categoricalCrossentropy`, `categorical_crossentropy`, `mse`, … */
  loss: string;
}

/** The `--data` / `--labels` values as the user gave them (for messages). */
export interface DataFlags {
  data: string;
  labels?: string;
  /** Flag names for messages (defaults `--data`, `--labels`; e.g. `--val`, `--val-labels`). */
  dataFlag?: string;
  labelsFlag?: string;
}

/**
 * How a loss reads its targets.
 * - `classes`: class labels: integer class ids ([records]) or one-hot rows ([records, outputUnits]).
 * - `binary`: binary cross-entropy: targets in [0, 1], one per output unit (integer class ids are
 *   also accepted when the model has several output units).
 * - `targets`: regression and the rest: outputUnits values per record.
 */
export type LossKind = 'classes' | 'binary' | 'targets';

const CLASS_LOSSES = new Set([
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'categorical_hinge',
  'kullback_leibler_divergence',
  'kld',
  'hinge',
  'squared_hinge',
]);

export function lossKind(loss: string): LossKind {
  const s = normalizeLossName(loss);
  if (s === 'binary_crossentropy') return 'binary';
  if (CLASS_LOSSES.has(s)) return 'classes';
  return 'targets';
}

function dataWhere(flags: DataFlags): string {
  return `${flags.dataFlag ?? '--data'} ${flags.data}`;
}

/** Where the labels came from: their own file, or the data file (npz `y`, CSV label column). */
export function labelsWhere(flags: DataFlags): string {
  return flags.labels !== undefined ? `${flags.labelsFlag ?? '--labels'} ${flags.labels}` : dataWhere(flags);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Data and labels must describe the same records. */
export function checkRecordCounts(ds: Dataset, flags: DataFlags): void {
  const records = ds.xShape[0] ?? 0;
  const labelRows = ds.yShape[0] ?? 0;
  if (labelRows === records) return;
  if (flags.labels !== undefined) {
    throw inputError(
      labelsWhere(flags),
      `${count(labelRows, 'label')} for ${count(records, 'record')} in ${dataWhere(flags)}`,
    );
  }
  throw inputError(dataWhere(flags), `${count(labelRows, 'label')} for ${count(records, 'record')}`);
}

function fitsWithWildcards(shape: readonly number[], target: readonly (number | null)[]): boolean {
  return shape.length === target.length && target.every((d, i) => d == null || d === shape[i]);
}

function featureShapeFor(ds: Dataset, model: ModelIO, flags: DataFlags): number[] {
  const featureShape = ds.xShape.slice(1);
  const target = model.inputShape.slice(1);
  if (fitsWithWildcards(featureShape, target)) return featureShape;
  const values = sizeOf(featureShape);
  if (target.every((d) => d != null)) {
    const concrete = target as number[];
    // Same values per record in another layout (flat ↔ image): reshape (row-major, no copy).
    if (sizeOf(concrete) === values) return concrete;
    throw inputError(
      dataWhere(flags),
      `each record has shape ${formatShape(featureShape)} (${values} values) but the model input is ` +
        `${formatShape(target)} (${sizeOf(concrete)} values)`,
    );
  }
  throw inputError(
    dataWhere(flags),
    `each record has shape ${formatShape(featureShape)} but the model input is ${formatShape(target)}`,
  );
}

function recordOf(i: number, width: number): number {
  return Math.floor(i / width) + 1;
}

/** Integer class ids must lie in 0..classes-1 (non-finite labels are left for the checkup to report). */
function checkClassIds(y: Float32Array, classes: number, loss: string, where: string, min = 0): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) continue;
    if (v !== Math.round(v)) {
      throw inputError(
        where,
        `label ${v} (record ${i + 1}) is not an integer class index; the loss ${loss} needs class ` +
          `indices 0..${classes - 1} or one-hot rows`,
      );
    }
    if (v < min || v >= classes) {
      throw inputError(
        where,
        `label ${v} (record ${i + 1}) is outside the model's ${classes} classes (0..${classes - 1})`,
      );
    }
  }
}

function areClassIds(y: Float32Array, classes: number): boolean {
  for (const v of y) if (Number.isFinite(v) && !(v === Math.round(v) && v >= 0 && v < classes)) return false;
  return true;
}

/**
 * Validates `ds` against the model and returns it fitted: features reshaped to the model's input
 * when only the layout differs (e.g. flat 784 ↔ 28×28×1), labels in one of these layouts:
 * class losses: integer ids [records] (from [records] or [records, 1]) or one-hot [records, outputUnits];
 * binary cross-entropy: [records] for one output unit, else [records, outputUnits] (or integer ids);
 * other losses: [records] for one output, else [records, outputUnits], or integer class ids [records]
 * when the model has several output units (e.g. softmax + MSE).
 * The arrays are shared with `ds`, not copied. Throws a UsageError for: no records, records with no
 * values, label count ≠ records, features that don't fit the input, labels outside the output's
 * classes, one-hot / target width ≠ the output's units. NaN/Inf values pass (a check reports them).
 */
export function fitDatasetToModel(ds: Dataset, model: ModelIO, flags: DataFlags): Dataset {
  const records = ds.xShape[0] ?? 0;
  if (records === 0 || ds.x.length === 0) {
    throw inputError(
      dataWhere(flags),
      records === 0
        ? 'no records (the data is empty)'
        : `records have no values (shape ${formatShape(ds.xShape)})`,
    );
  }
  checkRecordCounts(ds, flags);
  const featureShape = featureShapeFor(ds, model, flags);

  const where = labelsWhere(flags);
  const units = model.outputUnits;
  const width = sizeOf(ds.yShape.slice(1));
  const kind = lossKind(model.loss);
  const loss = normalizeLossName(model.loss);
  let yShape: number[];

  if (kind === 'classes' || (kind === 'binary' && units > 1 && width === 1)) {
    if (width === 1) {
      // hinge losses with one output unit take -1/+1 targets.
      const min = units === 1 && loss.endsWith('hinge') ? -1 : 0;
      checkClassIds(ds.y, Math.max(units, 2), loss, where, min);
      yShape = [records];
    } else {
      if (width !== units) {
        throw inputError(
          where,
          `one-hot labels have ${width} columns but the model outputs ${units} ${units === 1 ? 'unit' : 'classes'}`,
        );
      }
      yShape = [records, width];
    }
  } else if (kind === 'targets' && width === 1 && units > 1 && areClassIds(ds.y, units)) {
    // e.g. softmax + MSE with integer labels: class ids, one-hot encoded for the loss downstream.
    yShape = [records];
  } else {
    if (width !== units) {
      const noun = `${kind === 'binary' ? 'binary ' : ''}target${width === 1 ? '' : 's'}`;
      throw inputError(
        where,
        `${width} ${noun} per record (label shape ${formatShape(ds.yShape.slice(1))}) but the model outputs ${units} ` +
          `value${units === 1 ? '' : 's'} per record`,
      );
    }
    if (kind === 'binary') {
      for (let i = 0; i < ds.y.length; i++) {
        const v = ds.y[i];
        if (Number.isFinite(v) && (v < 0 || v > 1)) {
          throw inputError(
            where,
            `label ${v} (record ${recordOf(i, width)}) is outside [0, 1]; binary cross-entropy needs 0/1 targets`,
          );
        }
      }
    }
    yShape = width === 1 ? [records] : [records, width];
  }
  return { ...ds, xShape: [records, ...featureShape], yShape };
}

/** fitDatasetToModel, for callers that only need the checks. */
export function validateDataset(ds: Dataset, model: ModelIO, flags: DataFlags): void {
  fitDatasetToModel(ds, model, flags);
}
