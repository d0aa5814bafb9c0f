// What the model is trained to do, read from its compiled loss and output layer, and the
// labels converted to what that loss expects.
import type * as tf from '@tensorflow/tfjs';
import type { Dataset, LabelView } from '../core/dataset.ts';
import { UsageError } from '../core/errors.ts';
import type { TaskEvidence } from '../core/evidence.ts';
import { normalizeLossName } from '../core/names.ts';
import { layerActivation } from './model-info.ts';

export const CLASSIFICATION_LOSSES = new Set([
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'binary_crossentropy',
  'categorical_hinge',
  'hinge',
  'squared_hinge',
  'kullback_leibler_divergence',
]);

/** Activations applied at the output, innermost first: `[Dense softmax, Activation softmax]` → `['softmax','softmax']`. */
export function outputActivations(model: tf.LayersModel): string[] {
  const chain: string[] = [];
  const passThrough = new Set(['Activation', 'Softmax', 'ReLU', 'Dropout', 'Flatten', 'Reshape']);
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i];
    const act = layerActivation(layer);
    if (act) chain.unshift(act);
    if (!passThrough.has(layer.getClassName())) break;
  }
  return chain.length ? chain : ['linear'];
}

export function outputUnits(model: tf.LayersModel): number {
  const shape = model.outputs[0].shape;
  return shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
}

/** Training targets in the layout the compiled loss expects, plus a label view for statistics. */
export interface PreparedLabels {
  task: Omit<TaskEvidence, 'optimizer' | 'learningRate' | 'batchSize'>;
  /** Record-major targets fed to the loss. */
  targets: Float32Array;
  /** Per-record target shape (without the batch dimension). */
  targetShape: number[];
  view: LabelView;
}

function isIntegerVector(y: Float32Array): boolean {
  for (const v of y) if (Number.isFinite(v) && v !== Math.round(v)) return false;
  return true;
}

/**
 * Targets that read as class labels under a non-classification loss (MSE on a softmax or sigmoid):
 * 0/1 per unit, or class ids below the unit count. Integers outside that (counts 0–9 under one
 * sigmoid, scores 1–5) are a regression target the output cannot reach, not classes.
 */
function isClassLabels(y: Float32Array, units: number, width: number): boolean {
  if (!isIntegerVector(y)) return false;
  const ids = width === 1 && units > 1;
  for (const v of y) if (Number.isFinite(v) && (v < 0 || v > (ids ? units - 1 : 1))) return false;
  return true;
}

/** Labels of a binary cross-entropy model with several sigmoid units: one 0/1 (or soft) target per unit. */
function isMultiHot(loss: string, units: number, width: number, integerLabels: boolean): boolean {
  return loss === 'binary_crossentropy' && units > 1 && width === units && !integerLabels;
}

/** Outputs from which continuous targets in [0, 1] read as a reconstruction, not as labels. */
export const RECONSTRUCTION_MIN_OUTPUTS = 16;
/**
 * Distinct target values above which targets in [0, 1] are continuous (pixels, intensities), not
 * soft labels: label smoothing gives 2 values, annotator agreement a handful.
 */
const CONTINUOUS_MIN_VALUES = 16;

/** Whether the targets are the inputs themselves, value for value. */
function equalsInputs(data: Dataset): boolean {
  if (data.x.length !== data.y.length) return false;
  for (let i = 0; i < data.x.length; i++) {
    const a = data.x[i];
    const b = data.y[i];
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) return false;
  }
  return true;
}

/**
 * A reconstruction task: many outputs, one target per output, and targets that are the inputs
 * or continuous values in [0, 1] (an autoencoder of images under binary cross-entropy, whose
 * always-black pixels are not "labels that never occur"). Null otherwise.
 */
export function reconstructionOf(
  data: Dataset,
  loss: string,
  units: number,
  width: number,
): TaskEvidence['reconstruction'] | null {
  if (units < RECONSTRUCTION_MIN_OUTPUTS || width !== units) return null;
  if (loss === 'categorical_crossentropy' || loss === 'sparse_categorical_crossentropy') return null;
  if (equalsInputs(data)) return 'inputs';
  const values = new Set<number>();
  for (const v of data.y) {
    if (!Number.isFinite(v)) continue;
    if (v < 0 || v > 1) return null;
    if (values.size <= CONTINUOUS_MIN_VALUES) values.add(v);
  }
  return values.size > CONTINUOUS_MIN_VALUES ? 'continuous' : null;
}

export function prepareLabels(
  model: tf.LayersModel,
  lossName: string,
  data: Dataset,
  labelsFlag: string,
): PreparedLabels {
  const loss = normalizeLossName(lossName);
  const units = outputUnits(model);
  const acts = outputActivations(model);
  const last = acts[acts.length - 1];
  const records = data.xShape[0];
  const width = data.y.length / Math.max(1, records);
  const integerLabels = data.yShape.length === 1 || (width === 1 && units > 1);
  const probabilistic = last === 'softmax' || last === 'sigmoid';
  const reconstruction = reconstructionOf(data, loss, units, width);
  const kind =
    !reconstruction &&
    (CLASSIFICATION_LOSSES.has(loss) || (probabilistic && isClassLabels(data.y, units, width)))
      ? 'classification'
      : 'regression';

  if (kind === 'regression') {
    return {
      task: {
        kind,
        classes: null,
        loss,
        outputActivations: acts,
        outputUnits: units,
        labelEncoding: 'continuous',
        ...(reconstruction ? { reconstruction } : {}),
      },
      targets: data.y,
      targetShape: [width],
      view: { classIds: null, classes: null, targets: data.y, multiHot: null },
    };
  }

  // Multi-label: several sigmoid units under binary cross-entropy, each its own yes/no. The rows
  // are the targets as they are (several 1s per row, or soft labels); an argmax would keep one.
  if (isMultiHot(loss, units, width, integerLabels)) {
    return {
      task: {
        kind,
        classes: units,
        loss,
        outputActivations: acts,
        outputUnits: units,
        labelEncoding: 'multi-hot',
      },
      targets: data.y,
      targetShape: [units],
      view: { classIds: null, classes: units, targets: null, multiHot: data.y },
    };
  }

  const classes = units === 1 ? 2 : units;
  const classIds = new Int32Array(records);
  if (integerLabels) {
    // A single sigmoid unit may be trained on soft targets in [0, 1]: its class is the nearer end.
    for (let r = 0; r < records; r++)
      classIds[r] = units === 1 ? (data.y[r] > 0.5 ? 1 : 0) : data.y[r * width];
  } else {
    if (width !== units) {
      throw new UsageError(
        `${labelsFlag}: one-hot labels have ${width} columns but the model outputs ${units} classes`,
      );
    }
    for (let r = 0; r < records; r++) {
      let best = 0;
      for (let k = 1; k < width; k++) if (data.y[r * width + k] > data.y[r * width + best]) best = k;
      classIds[r] = best;
    }
  }

  let targets: Float32Array;
  let targetShape: number[];
  if (units === 1) {
    // The labels themselves (0/1 or soft, NaN kept): what the loss compares the one unit with.
    targets = Float32Array.from({ length: records }, (_, r) => data.y[r * width]);
    targetShape = [1];
  } else if (loss === 'sparse_categorical_crossentropy') {
    targets = Float32Array.from(classIds);
    targetShape = [1];
  } else {
    targets = new Float32Array(records * units);
    for (let r = 0; r < records; r++) targets[r * units + classIds[r]] = 1;
    // Keep NaN labels visible to the loss (inputs/non-finite reports them; training shows their effect).
    if (!integerLabels)
      for (let i = 0; i < data.y.length; i++) if (!Number.isFinite(data.y[i])) targets[i] = data.y[i];
    targetShape = [units];
  }
  return {
    task: {
      kind,
      classes,
      loss,
      outputActivations: acts,
      outputUnits: units,
      labelEncoding: integerLabels ? 'integer' : 'one-hot',
    },
    targets,
    targetShape,
    view: { classIds, classes, targets: null, multiHot: null },
  };
}
