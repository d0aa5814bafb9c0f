// The library entry point: runs the probes a selection of checks needs on clones of the user's
// model, then builds the report. The user's model, its weights and its optimizer are only read.
import * as tf from '@tensorflow/tfjs';
import { ALL_CHECKS } from './checks/index.ts';
import { buildReport } from './core/build-report.ts';
import type { CheckId } from './core/check.ts';
import type { Dataset } from './core/dataset.ts';
import { diagnose } from './core/diagnosis.ts';
import { UsageError } from './core/errors.ts';
import type { Evidence, EvidenceKey, Framework } from './core/evidence.ts';
import { validateRunOptions } from './core/options.ts';
import { createRng, permutation, subSeed } from './core/random.ts';
import type { Report } from './core/report.ts';
import { isSelected, runChecks } from './core/runner.ts';
import { type DataFlags, fitDatasetToModel, labelsWhere } from './data/validate.ts';
import { type Budget, DEFAULT_BUDGET, type ProbeContext } from './probes/context.ts';
import { gatherEvidence } from './probes/gather.ts';
import {
  DEFAULT_REMEDY_BUDGET,
  type RemedyBudget,
  type RemedyProbeInput,
  runRemedyProbe,
} from './probes/remedies.ts';
import { backendForCall } from './tfjs/backend.ts';
import { learningRateOf, optimizerByName } from './tfjs/clone.ts';
import { outputUnits, prepareLabels } from './tfjs/task.ts';

export interface ProgressEvent {
  probe: string;
  done: number;
  total: number;
}

export interface CheckupOptions {
  /** A TF.js Layers model, compiled (or give `loss`). Never modified. */
  model: tf.LayersModel;
  /**
   * Training records: a Dataset, tensors (features `[n, ...]`, labels `[n]` or `[n, k]`), or a
   * finite tf.data.Dataset of `{xs, ys}` elements (batched or not), read once into memory.
   */
  data: DataInput;
  /** Validation records (same forms). Without them, part of `data` is held out. */
  validation?: DataInput;
  /** Override the compiled loss (TF.js name, e.g. `categoricalCrossentropy`). */
  loss?: string;
  /** Override the optimizer by name (`adam`, `sgd`, `rmsprop`…). */
  optimizer?: string;
  /** Override the learning rate. */
  lr?: number;
  batchSize?: number;
  /**
   * Per-class loss weights the model is trained with (Keras/TF.js `fit` `classWeight`): an array
   * indexed by class, or `{ class: weight }`. Every experiment trains with them.
   */
  classWeights?: number[] | Record<number, number>;
  seed?: number;
  /**
   * `tensorflow` | `wasm` | `cpu`: run on this TF.js backend and switch back to yours afterwards.
   * Default: your active backend, never switched.
   */
  backend?: string;
  only?: string[];
  skip?: string[];
  thresholds?: Partial<Record<CheckId, Record<string, number>>>;
  budget?: Partial<Budget>;
  /**
   * Verified remedies: try candidate fixes on clones and keep those that verifiably help (report
   * `remedies`). `never` (default: the experiments cost several times the checkup): no fix
   * experiments and no `remedies` section; `auto`: when a check failed; `always`: also for warnings.
   */
  verify?: VerifyMode;
  /** Cost of the fix experiments: seeds per arm, random-fix draws, candidates and chained fixes. */
  remedyBudget?: Partial<RemedyBudget>;
  onProgress?: (event: ProgressEvent) => void;
  /** How the data was named by the user (file names and flags), for error messages. */
  dataFlags?: DataFlags;
  /** Lines about how the inputs were read (assumptions, what was dropped), shown in the report. */
  notes?: string[];
  /** The framework the user writes the model in (default TF.js): remedies are written in its code. */
  framework?: Framework;
  validationFlags?: DataFlags;
}

export const VERIFY_MODES = ['auto', 'always', 'never'] as const;
export type VerifyMode = (typeof VERIFY_MODES)[number];

const DEFAULT_BATCH_SIZE = 64;
const DEFAULT_SEED = 42;
const DEFAULT_LR = 1e-3;

export type DataInput =
  | Dataset
  | { x: tf.Tensor; y: tf.Tensor }
  | tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;

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

/** Evidence keys the selected checks need or use. */
function wantedEvidence(options: CheckupOptions): Set<EvidenceKey> {
  const keys = new Set<EvidenceKey>();
  for (const check of ALL_CHECKS) {
    if (!isSelected(check.id, options)) continue;
    for (const k of [...check.needs, ...(check.uses ?? [])]) keys.add(k as EvidenceKey);
  }
  return keys;
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

/**
 * Runs the checklist on clones of `options.model` and returns the report. Reproducible: the same
 * `seed` gives the same report (up to timings). Leaves no global state behind: Math.random is never
 * replaced while other code can run, and the caller's TF.js backend is the active one afterwards.
 */
export async function checkup(options: CheckupOptions): Promise<Report> {
  validateRunOptions(options);
  if (options.verify !== undefined && !(VERIFY_MODES as readonly string[]).includes(options.verify))
    throw new UsageError(`options.verify: must be one of ${VERIFY_MODES.join(', ')}`);
  for (const [key, value] of Object.entries(options.remedyBudget ?? {}))
    if (!Object.hasOwn(DEFAULT_REMEDY_BUDGET, key))
      throw new UsageError(
        `options.remedyBudget.${key}: unknown (use ${Object.keys(DEFAULT_REMEDY_BUDGET).join(', ')})`,
      );
    else if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 20)
      throw new UsageError(
        `options.remedyBudget.${key}: must be a whole number from 1 to 20, got ${String(value)}`,
      );
  const backend = await backendForCall(options.backend);
  try {
    return await runCheckup(options, backend.name);
  } finally {
    await backend.restore();
  }
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

/**
 * The fix experiments, when the verify mode asks for them: they need the checks' findings, so the
 * checks run here on the evidence gathered so far (the report runs them again, on the same evidence).
 */
async function verifyRemedies(
  options: CheckupOptions,
  ctx: ProbeContext,
  evidence: Evidence,
  data: Pick<RemedyProbeInput, 'training' | 'labels'>,
): Promise<void> {
  const unavailable = evidence.unavailable as NonNullable<Evidence['unavailable']>;
  const mode = options.verify ?? 'never';
  if (mode === 'never') return;
  const notRun = (reason: string) => {
    unavailable.remedies = { status: 'skip', reason };
  };
  const runOptions = { only: options.only, skip: options.skip, thresholds: options.thresholds };
  const results = runChecks(ALL_CHECKS, evidence, runOptions);
  const open = results.filter((r) => r.status === 'fail' || (mode === 'always' && r.status === 'warn'));
  if (!open.length)
    return notRun(
      mode === 'always' ? 'no check failed or warned: nothing to fix' : 'no check failed: nothing to fix',
    );
  if (!ctx.heldOut.length)
    return notRun(
      'too few records to hold some out (needs ≥ 100, or validation data): a fix cannot be judged on held-out records',
    );
  evidence.remedies = await runRemedyProbe({
    ctx,
    evidence,
    results,
    diagnosis: diagnose(results),
    runOptions,
    ...data,
    budget: options.remedyBudget,
    progress: (label, done, total) => options.onProgress?.({ probe: label, done, total }),
  });
}

async function runCheckup(options: CheckupOptions, backend: string): Promise<Report> {
  const startedAt = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const budget = { ...DEFAULT_BUDGET, ...options.budget };
  const user = options.model;
  const flags: DataFlags = options.dataFlags ?? { data: '(in memory)', dataFlag: 'options.data' };
  const valFlags: DataFlags = options.validationFlags ?? {
    data: '(in memory)',
    dataFlag: 'options.validation',
  };
  const setup = trainingSetup(options);

  const io = { inputShape: user.inputs[0].shape, outputUnits: outputUnits(user), loss: setup.lossName };
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
  const labels = prepareLabels(user, setup.lossName, dataset, labelsWhere(flags));
  const classWeights = classWeightsFor(
    options.classWeights,
    labels.task.labelEncoding === 'multi-hot' ? null : labels.task.classes,
  );
  const task = {
    ...labels.task,
    optimizer: setup.optimizer.getClassName(),
    learningRate: setup.learningRate,
    batchSize,
    ...(classWeights ? { classWeights: Array.from(classWeights) } : {}),
  };

  const records = training.xShape[0];
  const order = permutation(records, createRng(subSeed(seed, 'split')));
  const heldOutSize =
    validation || records < 100 ? 0 : Math.min(budget.heldOutRecords, Math.floor(records / 5));
  const heldOut = validation
    ? Int32Array.from(
        { length: Math.min(budget.heldOutRecords, validation.xShape[0]) },
        (_, i) => records + i,
      )
    : order.slice(0, heldOutSize);
  const ctx: ProbeContext = {
    model: user,
    loss: setup.loss,
    optimizer: setup.optimizer,
    learningRate: setup.learningRate,
    batchSize,
    seed,
    budget,
    task,
    data: {
      x: dataset.x,
      featureShape: dataset.xShape.slice(1),
      targets: labels.targets,
      targetShape: labels.targetShape,
      classIds: labels.view.classIds,
      multiLabel: labels.task.labelEncoding === 'multi-hot',
    },
    pool: order.slice(heldOutSize),
    heldOut,
    classWeights,
    progress: () => {},
  };

  try {
    const trainingLabels = {
      classIds: labels.view.classIds?.subarray(0, records) ?? null,
      classes: labels.view.classes,
      targets: labels.view.targets?.subarray(0, training.y.length) ?? null,
      multiHot: labels.view.multiHot?.subarray(0, training.y.length) ?? null,
    };
    const { evidence, probeTimings, warnings } = await gatherEvidence({
      ctx,
      wanted: wantedEvidence(options),
      training,
      labels: trainingLabels,
      onProgress: (probe, done, total) => options.onProgress?.({ probe, done, total }),
      afterExperiments: (c, evidence) =>
        verifyRemedies(options, c, evidence, {
          training: { records, source: training.source, y: training.y, yShape: training.yShape },
          labels: trainingLabels,
        }),
    });
    if (options.framework && options.framework !== 'tfjs') evidence.framework = options.framework;
    return buildReport({
      evidence,
      options: { only: options.only, skip: options.skip, thresholds: options.thresholds },
      settings: {
        seed,
        batchSize,
        learningRate: setup.learningRate,
        optimizer: task.optimizer,
        loss: task.loss,
        budget,
      },
      backend,
      probeTimings,
      warnings: [...(options.notes ?? []), ...warnings],
      startedAt,
    });
  } finally {
    if (setup.ownOptimizer) setup.optimizer.dispose();
  }
}
