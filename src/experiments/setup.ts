// The checkup's setup, in one place: the data read into memory and fitted to the model, the
// labels converted to what the loss expects, the training setup (loss, optimizer template, the one
// learning-rate field, batch size, class weights) and the split into training pool and held-out
// records. What comes out is the probe context every experiment starts from.
import * as tf from '@tensorflow/tfjs';
import type { CheckupOptions, DataInput } from '../checkup.ts';
import type { Dataset } from '../core/dataset.ts';
import { UsageError } from '../core/errors.ts';
import { createRng, permutation, subSeed } from '../core/random.ts';
import { type DataFlags, fitDatasetToModel, labelsWhere } from '../data/validate.ts';
import { type Budget, DEFAULT_BUDGET, type ProbeContext } from '../probes/context.ts';
import type { LabelView } from '../probes/dataset-stats.ts';
import { learningRateOf, optimizerByName } from '../tfjs/clone.ts';
import { outputUnits, prepareLabels } from '../tfjs/task.ts';

export const DEFAULT_BATCH_SIZE = 64;
export const DEFAULT_SEED = 42;
export const DEFAULT_LR = 1e-3;

export interface CheckupSetup {
  /** The context every experiment starts from (the user's model, only read). */
  ctx: ProbeContext;
  /** The training records only (no validation), for dataset statistics and the fix experiments. */
  training: Dataset;
  /** The training records' labels as the statistics read them. */
  labels: LabelView;
  budget: Budget;
  /** Disposes what the setup created (an optimizer built from `options.optimizer`). */
  dispose(): void;
}

async function toDataset(data: DataInput): Promise<Dataset> {
  if ('xShape' in data) return data;
  if (data instanceof tf.data.Dataset) {
    const elements = await data.toArray();
    if (!elements.length) throw new UsageError('options.data: the tf.data.Dataset yielded no elements');
    // Unbatched elements have no batch dimension: stack them; batched ones: concatenate.
    const batched =
      elements[0].xs.rank > 1 && elements.every((e) => e.xs.shape[0] === e.ys.shape[0] && e.ys.rank >= 1);
    const x = batched ? tf.concat(elements.map((e) => e.xs)) : tf.stack(elements.map((e) => e.xs));
    const y = batched ? tf.concat(elements.map((e) => e.ys)) : tf.stack(elements.map((e) => e.ys));
    tf.dispose(elements.flatMap((e) => [e.xs, e.ys]));
    try {
      return await toDataset({ x, y });
    } finally {
      tf.dispose([x, y]);
    }
  }
  return {
    x: Float32Array.from(data.x.dataSync()),
    xShape: data.x.shape,
    y: Float32Array.from(data.y.dataSync()),
    yShape: data.y.shape,
    source: 'tensors',
  };
}

function concatDatasets(a: Dataset, b: Dataset): Dataset {
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Float32Array(a.y.length + b.y.length);
  y.set(a.y);
  y.set(b.y, a.y.length);
  const n = a.xShape[0] + b.xShape[0];
  return { x, xShape: [n, ...a.xShape.slice(1)], y, yShape: [n, ...a.yShape.slice(1)], source: a.source };
}

/** The user's class weights as one weight per class (1 where none is given). */
function classWeightsFor(given: CheckupOptions['classWeights'], classes: number | null): Float32Array | null {
  if (given === undefined) return null;
  if (classes === null)
    throw new UsageError(
      'options.classWeights: class weights need a classification task (the labels are regression targets)',
    );
  const weights = new Float32Array(classes).fill(1);
  for (const [key, value] of Object.entries(given)) {
    const c = Number(key);
    if (!Number.isInteger(c) || c < 0 || c >= classes)
      throw new UsageError(`options.classWeights: class ${key} is outside the model's ${classes} classes`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new UsageError(`options.classWeights: the weight of class ${key} must be a finite number ≥ 0`);
    weights[c] = value;
  }
  return weights;
}

/** The loss and optimizer to train with: the compiled ones, or those the options name. */
function trainingSetup(options: CheckupOptions) {
  const user = options.model;
  const lossSpec = options.loss ?? (user.loss as unknown);
  if (!lossSpec || (Array.isArray(lossSpec) && lossSpec.length !== 1)) {
    throw new UsageError(
      options.loss === undefined && !lossSpec
        ? '--loss: the model has no training config (not compiled); give --loss'
        : '--loss: models with several outputs are not supported',
    );
  }
  const loss = (Array.isArray(lossSpec) ? lossSpec[0] : lossSpec) as ProbeContext['loss'];
  const lossName = typeof loss === 'string' ? loss : loss.name || 'custom';
  const learningRate = options.lr ?? learningRateOf(user.optimizer) ?? DEFAULT_LR;
  let optimizer = user.optimizer;
  if (options.optimizer || !optimizer) {
    const name = options.optimizer ?? 'adam';
    const named = optimizerByName(name, learningRate);
    if (!named) {
      throw new UsageError(
        `--optimizer: unknown optimizer '${name}' (use adam, sgd, momentum, rmsprop, adagrad, adadelta or adamax)`,
      );
    }
    optimizer = named;
  }
  // Probes build fresh optimizers from this template; one made here is ours to dispose.
  return { loss, lossName, learningRate, optimizer, ownOptimizer: optimizer !== user.optimizer };
}

/** The training data fitted to the model, with the validation records (if any) after it. */
async function readData(options: CheckupOptions, lossName: string) {
  const user = options.model;
  const flags: DataFlags = options.dataFlags ?? { data: '(in memory)', dataFlag: 'options.data' };
  const valFlags: DataFlags = options.validationFlags ?? {
    data: '(in memory)',
    dataFlag: 'options.validation',
  };
  const io = { inputShape: user.inputs[0].shape, outputUnits: outputUnits(user), loss: lossName };
  const training = fitDatasetToModel(await toDataset(options.data), io, flags);
  const validation = options.validation
    ? fitDatasetToModel(await toDataset(options.validation), io, valFlags)
    : null;
  if (validation && validation.yShape.length !== training.yShape.length) {
    const kind = (d: Dataset) => (d.yShape.length === 1 ? 'class ids' : 'one-hot/targets');
    throw new UsageError(
      `${labelsWhere(valFlags)}: labels are encoded differently from the training labels (${kind(validation)} vs ${kind(training)})`,
    );
  }
  // Training and validation records side by side: experiments train on the first part only.
  const dataset = validation ? concatDatasets(training, validation) : training;
  return { training, validation, dataset, flags };
}

/** Training pool and held-out records: the validation records when given, else a seeded share of the data. */
function split(records: number, validation: Dataset | null, budget: Budget, seed: number) {
  const order = permutation(records, createRng(subSeed(seed, 'split')));
  const heldOutSize =
    validation || records < 100 ? 0 : Math.min(budget.heldOutRecords, Math.floor(records / 5));
  const heldOut = validation
    ? Int32Array.from(
        { length: Math.min(budget.heldOutRecords, validation.xShape[0]) },
        (_, i) => records + i,
      )
    : order.slice(0, heldOutSize);
  return { pool: order.slice(heldOutSize), heldOut };
}

/** Reads and checks the data against the model and builds the experiments' starting context. */
export async function prepareCheckup(options: CheckupOptions): Promise<CheckupSetup> {
  const seed = options.seed ?? DEFAULT_SEED;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const budget = { ...DEFAULT_BUDGET, ...options.budget };
  const setup = trainingSetup(options);
  const dispose = () => {
    if (setup.ownOptimizer) setup.optimizer.dispose();
  };
  try {
    const { training, validation, dataset, flags } = await readData(options, setup.lossName);
    const labels = prepareLabels(options.model, setup.lossName, dataset, labelsWhere(flags));
    const classWeights = classWeightsFor(
      options.classWeights,
      labels.task.labelEncoding === 'multi-hot' ? null : labels.task.classes,
    );
    const records = training.xShape[0];
    const ctx: ProbeContext = {
      model: options.model,
      loss: setup.loss,
      optimizer: setup.optimizer,
      learningRate: setup.learningRate,
      batchSize,
      seed,
      budget,
      task: labels.task,
      data: {
        x: dataset.x,
        featureShape: dataset.xShape.slice(1),
        targets: labels.targets,
        targetShape: labels.targetShape,
        classIds: labels.view.classIds,
        multiLabel: labels.task.labelEncoding === 'multi-hot',
      },
      ...split(records, validation, budget, seed),
      classWeights,
      progress: () => {},
    };
    const trainingLabels: LabelView = {
      classIds: labels.view.classIds?.subarray(0, records) ?? null,
      classes: labels.view.classes,
      targets: labels.view.targets?.subarray(0, training.y.length) ?? null,
      multiHot: labels.view.multiHot?.subarray(0, training.y.length) ?? null,
    };
    return { ctx, training, labels: trainingLabels, budget, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}
