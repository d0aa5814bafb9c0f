// The library entry point: runs the probes a selection of checks needs on clones of the user's
// model, then builds the report. The user's model, its weights and its optimizer are only read.
import * as tf from '@tensorflow/tfjs';
import { ALL_CHECKS } from './checks/index.ts';
import { buildReport } from './core/build-report.ts';
import type { CheckId } from './core/check.ts';
import type { Dataset } from './core/dataset.ts';
import { UsageError } from './core/errors.ts';
import type { Evidence, EvidenceKey } from './core/evidence.ts';
import { createRng, permutation, subSeed, withSeededMathRandom } from './core/random.ts';
import type { Report } from './core/report.ts';
import { isSelected } from './core/runner.ts';
import { loadMnist } from './data/mnist.ts';
import { type DataFlags, fitDatasetToModel, labelsWhere } from './data/validate.ts';
import { type Budget, chanceLoss, DEFAULT_BUDGET, type ProbeContext } from './probes/context.ts';
import { runControlProbe } from './probes/control.ts';
import { datasetStats } from './probes/dataset-stats.ts';
import { runLabelSignalProbe } from './probes/label-signal.ts';
import { runLrSweepProbe } from './probes/lr-sweep.ts';
import { runOverfitProbe } from './probes/overfit.ts';
import { runRebalancingProbe } from './probes/rebalancing.ts';
import { runSimplifiedProbe } from './probes/simplified.ts';
import { runTrainingProbe } from './probes/training-run.ts';
import { selectBackend } from './tfjs/backend.ts';
import { learningRateOf, optimizerByName } from './tfjs/clone.ts';
import { describeModel } from './tfjs/model-info.ts';
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
  seed?: number;
  /** `tensorflow` | `wasm` | `cpu`; default: the fastest available. */
  backend?: string;
  only?: string[];
  skip?: string[];
  thresholds?: Partial<Record<CheckId, Record<string, number>>>;
  budget?: Partial<Budget>;
  onProgress?: (event: ProgressEvent) => void;
  /** How the data was named by the user (file names and flags), for error messages. */
  dataFlags?: DataFlags;
  validationFlags?: DataFlags;
}

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

function mnistControl(records: number): { x: Float32Array; labels: Int32Array } {
  const ds = loadMnist('train', records);
  return { x: ds.x, labels: Int32Array.from(ds.y) };
}

export async function checkup(options: CheckupOptions): Promise<Report> {
  return withSeededMathRandom(options.seed ?? DEFAULT_SEED, () => runCheckup(options));
}

async function runCheckup(options: CheckupOptions): Promise<Report> {
  const startedAt = performance.now();
  const backend = await selectBackend(options.backend);
  const seed = options.seed ?? DEFAULT_SEED;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const budget = { ...DEFAULT_BUDGET, ...options.budget };
  const user = options.model;
  const flags: DataFlags = options.dataFlags ?? { data: '(in memory)', dataFlag: 'options.data' };
  const valFlags: DataFlags = options.validationFlags ?? {
    data: '(in memory)',
    dataFlag: 'options.validation',
  };

  const lossSpec = options.loss ?? (user.loss as unknown);
  if (!lossSpec || (Array.isArray(lossSpec) && lossSpec.length !== 1)) {
    throw new UsageError(
      options.loss === undefined
        ? '--loss: the model has no training config (not compiled); give --loss'
        : '--loss: models with several outputs are not supported',
    );
  }
  const loss = (Array.isArray(lossSpec) ? lossSpec[0] : lossSpec) as ProbeContext['loss'];
  const configuredLr = options.lr ?? learningRateOf(user.optimizer) ?? DEFAULT_LR;
  let optimizer: tf.Optimizer;
  const ownOptimizer = Boolean(options.optimizer) || !user.optimizer;
  if (options.optimizer) {
    const named = optimizerByName(options.optimizer, configuredLr);
    if (!named)
      throw new UsageError(
        `--optimizer: unknown optimizer '${options.optimizer}' (use adam, sgd, momentum, rmsprop, adagrad, adadelta or adamax)`,
      );
    optimizer = named;
  } else {
    optimizer = user.optimizer ?? (optimizerByName('adam', configuredLr) as tf.Optimizer);
  }
  const lossName = typeof loss === 'string' ? loss : loss.name || 'custom';
  const io = { inputShape: user.inputs[0].shape, outputUnits: outputUnits(user), loss: lossName };
  const training = fitDatasetToModel(await toDataset(options.data), io, flags);
  const validation = options.validation
    ? fitDatasetToModel(await toDataset(options.validation), io, valFlags)
    : null;
  if (validation && validation.yShape.length !== training.yShape.length) {
    throw new UsageError(
      `${labelsWhere(valFlags)}: labels are encoded differently from the training labels (${validation.yShape.length === 1 ? 'class ids' : 'one-hot/targets'} vs ${training.yShape.length === 1 ? 'class ids' : 'one-hot/targets'})`,
    );
  }
  // Training and validation records side by side: experiments draw from the first part only.
  const dataset = validation ? concatDatasets(training, validation) : training;
  const trainRecords = training.xShape[0];

  const probeTimings: Record<string, number> = {};
  const progress = (probe: string) => (done: number, total: number) =>
    options.onProgress?.({ probe, done, total });
  const timed = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    progress(name)(0, 1);
    try {
      return await run();
    } finally {
      probeTimings[name] = performance.now() - t0;
    }
  };

  const labels = prepareLabels(user, lossName, dataset, labelsWhere(flags));
  const task = { ...labels.task, optimizer: optimizer.getClassName(), learningRate: configuredLr, batchSize };
  const records = trainRecords;
  const order = permutation(records, createRng(subSeed(seed, 'split')));
  const heldOutSize = validation
    ? 0
    : records >= 100
      ? Math.min(budget.heldOutRecords, Math.floor(records / 5))
      : 0;
  const validationIds = validation
    ? Int32Array.from(
        { length: Math.min(budget.heldOutRecords, validation.xShape[0]) },
        (_, i) => trainRecords + i,
      )
    : null;
  const ctx: ProbeContext = {
    model: user,
    loss,
    optimizer,
    learningRate: configuredLr,
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
    },
    pool: order.slice(heldOutSize),
    heldOut: validationIds ?? order.slice(0, heldOutSize),
    progress: () => {},
  };
  const withProgress = (name: string): ProbeContext => ({ ...ctx, progress: progress(name) });

  const wanted = wantedEvidence(options);
  const evidence: Evidence = { source: 'tfjs', task, unavailable: {} };
  const unavailable = evidence.unavailable as NonNullable<Evidence['unavailable']>;
  const attempt = async (key: EvidenceKey, name: string, run: () => Promise<void> | void): Promise<void> => {
    try {
      await timed(name, run);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      unavailable[key] = {
        status: 'error',
        reason: `the ${name} probe failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  };

  await attempt('dataset', 'dataset', () => {
    const view = {
      classIds: labels.view.classIds?.subarray(0, trainRecords) ?? null,
      classes: labels.view.classes,
      targets: labels.view.targets?.subarray(0, training.y.length) ?? null,
    };
    evidence.dataset = datasetStats(training.x, training.xShape, training.y, view, training.source);
  });
  await attempt('model', 'model', () => {
    evidence.model = describeModel(user);
  });

  const needsTraining = ['training', 'labelSignal', 'simplified', 'rebalancing'].some((k) =>
    wanted.has(k as EvidenceKey),
  );
  let heldOut: Awaited<ReturnType<typeof runTrainingProbe>>['heldOut'] = null;
  if (needsTraining) {
    await attempt('training', 'training', async () => {
      const run = await runTrainingProbe(withProgress('training'));
      evidence.training = run.training;
      heldOut = run.heldOut;
    });
  }
  if (wanted.has('overfit')) {
    await attempt('overfit', 'overfit-small', async () => {
      evidence.overfit = await runOverfitProbe(withProgress('overfit-small'));
    });
  }
  if (wanted.has('control')) {
    await attempt('control', 'control-corpus', async () => {
      evidence.control = await runControlProbe(withProgress('control-corpus'), mnistControl);
    });
  }
  if (wanted.has('lrSweep')) {
    await attempt('lrSweep', 'lr-sweep', async () => {
      evidence.lrSweep = await runLrSweepProbe(withProgress('lr-sweep'));
    });
  }
  if (wanted.has('simplified') && evidence.training && evidence.model) {
    const hidden = evidence.model.hiddenLayers;
    if (hidden <= 2) {
      unavailable.simplified = {
        status: 'skip',
        reason: `the model already has ${hidden} hidden layer${hidden === 1 ? '' : 's'} (≤ 2): nothing simpler to compare`,
      };
    } else {
      const userLoss = evidence.training.dataLoss ?? evidence.training.loss;
      await attempt('simplified', 'simplified-model', async () => {
        evidence.simplified = await runSimplifiedProbe(withProgress('simplified-model'), userLoss, hidden);
      });
    }
  }
  const trained = heldOut as Awaited<ReturnType<typeof runTrainingProbe>>['heldOut'];
  if (wanted.has('labelSignal')) {
    if (!trained)
      unavailable.labelSignal = {
        status: 'skip',
        reason: `too few records (${records}) to hold some out for the shuffled-label control (needs ≥ 100)`,
      };
    else
      await attempt('labelSignal', 'shuffled-labels', async () => {
        evidence.labelSignal = await runLabelSignalProbe(
          withProgress('shuffled-labels'),
          trained,
          chanceLoss(task, evidence.dataset?.targetVariance ?? null),
        );
      });
  }
  if (wanted.has('rebalancing')) {
    const counts = evidence.dataset?.classCounts;
    const imbalanced = counts && Math.max(...counts) > 3 * Math.min(...counts);
    if (!counts)
      unavailable.rebalancing = { status: 'skip', reason: 'regression: there are no classes to rebalance' };
    else if (!imbalanced)
      unavailable.rebalancing = {
        status: 'skip',
        reason: 'the classes are balanced (largest/smallest ≤ 3): nothing to rebalance',
      };
    else if (!trained?.predictions)
      unavailable.rebalancing = {
        status: 'skip',
        reason: `too few records (${records}) for a held-out comparison`,
      };
    else {
      const predictions = trained.predictions;
      await attempt('rebalancing', 'rebalancing', async () => {
        evidence.rebalancing = await runRebalancingProbe(withProgress('rebalancing'), counts, predictions);
      });
    }
  }
  if (ownOptimizer) optimizer.dispose();

  return buildReport({
    evidence,
    options: { only: options.only, skip: options.skip, thresholds: options.thresholds },
    settings: {
      seed,
      batchSize,
      learningRate: configuredLr,
      optimizer: task.optimizer,
      loss: task.loss,
      budget,
    },
    backend,
    probeTimings,
    startedAt,
  });
}
