// One training loop for every experiment: the same step TF.js `fit` runs (forward in training
// mode, data loss + regularization losses, gradients, optimizer update), written out so that the
// data and regularization losses, each variable's gradient and each update can be measured.
// All per-step statistics are reduced on the backend and read back in one transfer per step.
import * as tf from '@tensorflow/tfjs';
import { createRng, permutation, subSeed, withSeededMathRandom } from '../core/random.ts';
import { setLearningRate } from './clone.ts';

/**
 * Lets the event loop run (timers, I/O, signal handlers) once per step. TF.js on the cpu and wasm
 * backends resolves `data()` at once, so without this a whole checkup runs as one chain of
 * microtasks and Ctrl-C is only handled when it ends. Costs a few microseconds per step.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate : setTimeout)(resolve));
}

export interface TrainingData {
  x: Float32Array;
  featureShape: number[];
  /** Record-major targets in the layout the loss expects. */
  targets: Float32Array;
  targetShape: number[];
  /** Class id per record (single-label classification), else null. */
  classIds: Int32Array | null;
  /** Targets are independent 0/1 labels (sigmoid units under binary cross-entropy): accuracy per label. */
  multiLabel?: boolean;
}

export interface TrainOptions {
  steps: number;
  batchSize: number;
  seed: number;
  /** Record indices to draw batches from (in seeded epochs). */
  pool: Int32Array;
  /** Replace the targets (e.g. shuffled labels); same layout as data.targets. */
  targets?: Float32Array;
  /** Per-class loss weight (class weighting). */
  classWeights?: Float32Array;
  /** Measure gradients and updates per variable. */
  instrument?: boolean;
  /** Rescale each step's gradients so that their global L2 norm is at most this (gradient clipping). */
  clipNorm?: number;
  /** Learning rate to set before each step (LR range test). */
  lrAt?: (step: number) => number;
  /** Stop after this step's record when it returns true. */
  stopWhen?: (record: StepRecord) => boolean;
  onStep?: (step: number) => void;
}

export interface StepRecord {
  step: number;
  loss: number;
  dataLoss: number;
  regLoss: number;
  accuracy: number | null;
  /** Per trainable variable (instrumented runs): gradient L2 norm, NO_GRADIENT when it got none. */
  gradNorms?: number[];
  updateNorms?: number[];
  weightNorms?: number[];
  weightStds?: number[];
  globalGradNorm?: number;
}

export interface TrainResult {
  records: StepRecord[];
  variables: { name: string; layer: string; shortName: string }[];
  /** Variables that never received a gradient. */
  noGradient: string[];
}

/** Marks a variable that received no gradient at a step (a norm is never negative). */
export const NO_GRADIENT = -1;

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export function lossFunctionOf(model: tf.LayersModel): LossFn {
  // A Sequential delegates compile() to an inner functional model, which holds the loss.
  type Compiled = { lossFunctions?: LossFn[]; model?: Compiled };
  const m = model as unknown as Compiled;
  const fns = m.lossFunctions ?? m.model?.lossFunctions;
  if (!fns?.length) throw new Error('the model is not compiled (no loss function)');
  return fns[0];
}

/**
 * L2 norm as sqrt(sum(x²)). With tf.norm and tf.moments the instrumented step cost ~2.4× a
 * plain model.fit step on wasm; with these plain reductions ~1.1× (measured side by side).
 */
function l2(x: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(x)));
}

/**
 * The gradients scaled by min(1, maxNorm / global norm), as Keras' `global_clipnorm` does (TF.js
 * optimizers have no clipping). The originals are disposed here; the caller disposes the result.
 */
function clipped(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const names = Object.keys(grads);
  const scaled = tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
    const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norm, 1e-12)));
    return names.map((k) => tf.mul(grads[k], scale));
  });
  tf.dispose(names.map((k) => grads[k]));
  return Object.fromEntries(names.map((k, i) => [k, scaled[i]]));
}

/** Copies the chosen records into batch tensors. */
export function batchTensors(
  data: TrainingData,
  ids: ArrayLike<number>,
  targets: Float32Array = data.targets,
): { x: tf.Tensor; y: tf.Tensor } {
  const fx = data.featureShape.reduce((a, b) => a * b, 1);
  const fy = data.targetShape.reduce((a, b) => a * b, 1);
  const xb = new Float32Array(ids.length * fx);
  const yb = new Float32Array(ids.length * fy);
  for (let i = 0; i < ids.length; i++) {
    xb.set(data.x.subarray(ids[i] * fx, ids[i] * fx + fx), i * fx);
    yb.set(targets.subarray(ids[i] * fy, ids[i] * fy + fy), i * fy);
  }
  return {
    x: tf.tensor(xb, [ids.length, ...data.featureShape]),
    y: tf.tensor(yb, [ids.length, ...data.targetShape]),
  };
}

/** Draws batches from a pool in seeded epochs (reshuffled each pass). */
export function batchSampler(pool: Int32Array, batchSize: number, seed: number): () => Int32Array {
  const rng = createRng(seed);
  const size = Math.min(batchSize, pool.length);
  let order = permutation(pool.length, rng);
  let at = 0;
  return () => {
    if (at + size > order.length) {
      order = permutation(pool.length, rng);
      at = 0;
    }
    const ids = new Int32Array(size);
    for (let i = 0; i < size; i++) ids[i] = pool[order[at + i]];
    at += size;
    return ids;
  };
}

function layerOfVariable(model: tf.LayersModel, v: tf.LayerVariable): string {
  for (const layer of model.layers) if (layer.trainableWeights.includes(v)) return layer.name;
  return v.name.split('/')[0];
}

/** Class predicted per record: argmax, or p > 0.5 for a single sigmoid unit. */
function predictedClass(out: tf.Tensor): tf.Tensor {
  return out.shape[out.shape.length - 1] === 1
    ? tf.cast(tf.greater(out.reshape([-1]), 0.5), 'int32')
    : tf.argMax(out.reshape([out.shape[0], -1]), -1);
}

function accuracyTensor(
  out: tf.Tensor,
  classIds: tf.Tensor | null,
  multiHot: tf.Tensor | null,
): tf.Tensor | null {
  // Multi-label: the share of (record, label) pairs on the right side of 0.5.
  if (multiHot) return tf.mean(tf.cast(tf.equal(tf.greater(out, 0.5), tf.greater(multiHot, 0.5)), 'float32'));
  if (!classIds) return null;
  return tf.mean(tf.cast(tf.equal(predictedClass(out), classIds), 'float32'));
}

/** Trains `model` (a compiled clone) in place with `optimizer`. */
/**
 * A step's record from the values read back in one go: loss, data loss, regularization loss,
 * accuracy, then (instrumented, `V` variables) V gradient norms, update norms, weight norms and
 * weight stds.
 */
function stepRecord(
  step: number,
  values: number[],
  data: TrainingData,
  instrumented: { V: number } | null,
): StepRecord {
  const record: StepRecord = {
    step,
    loss: values[0],
    dataLoss: values[1],
    regLoss: values[2],
    accuracy: Number.isNaN(values[3]) && !data.classIds && !data.multiLabel ? null : values[3],
  };
  if (instrumented) {
    const { V } = instrumented;
    record.gradNorms = values.slice(4, 4 + V);
    record.updateNorms = values.slice(4 + V, 4 + 2 * V);
    record.weightNorms = values.slice(4 + 2 * V, 4 + 3 * V);
    record.weightStds = values.slice(4 + 3 * V, 4 + 4 * V);
    let sq = 0;
    for (const g of record.gradNorms) if (g !== NO_GRADIENT) sq += g * g;
    record.globalGradNorm = Math.sqrt(sq);
  }
  return record;
}

export async function train(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: TrainingData,
  options: TrainOptions,
): Promise<TrainResult> {
  const lossFn = lossFunctionOf(model);
  const layerVars = model.trainableWeights;
  const vars = layerVars.map((w) => w.read() as tf.Variable);
  // originalName (`dense_1/kernel`), not name: TF.js suffixes a clone's variable names with a
  // process-wide counter (`dense_1/kernel_7`), which would make reports differ run to run.
  const variables = layerVars.map((w) => ({
    name: w.originalName,
    layer: layerOfVariable(model, w),
    shortName: w.originalName.split('/').pop() ?? w.originalName,
  }));
  const gotGradient = new Array<boolean>(vars.length).fill(false);
  const nextBatch = batchSampler(options.pool, options.batchSize, options.seed);
  const records: StepRecord[] = [];
  const V = vars.length;

  for (let step = 0; step < options.steps; step++) {
    await yieldToEventLoop();
    if (options.lrAt) setLearningRate(optimizer, options.lrAt(step));
    const ids = nextBatch();
    const { x, y } = batchTensors(data, ids, options.targets);
    const classIds = data.classIds
      ? tf.tensor1d(
          Int32Array.from(ids, (i) => data.classIds?.[i] ?? 0),
          'int32',
        )
      : null;
    const sampleWeights =
      options.classWeights && classIds
        ? tf.tidy(() => tf.gather(tf.tensor1d(options.classWeights as Float32Array), classIds))
        : null;

    let dataLoss: tf.Tensor | undefined;
    let regLoss: tf.Tensor | undefined;
    let accuracy: tf.Tensor | null = null;
    // The step's random ops (dropout masks, noise layers) draw from a per-step seed, inside this
    // synchronous call only: the same seed gives the same run, and nothing outside sees the seeding.
    const { value, grads } = withSeededMathRandom(subSeed(options.seed, `step-${step}`), () =>
      tf.variableGrads(() => {
        const out = model.apply(x, { training: true }) as tf.Tensor;
        const perSample = lossFn(y, out);
        const meanLoss = sampleWeights
          ? tf.div(tf.sum(tf.mul(perSample.reshape([-1]), sampleWeights)), tf.sum(sampleWeights))
          : tf.mean(perSample);
        const regs = model.calculateLosses();
        const reg = regs.length ? tf.addN(regs) : tf.scalar(0);
        dataLoss = tf.keep(meanLoss as tf.Scalar);
        regLoss = tf.keep(reg as tf.Scalar);
        accuracy = accuracyTensor(out, classIds, data.multiLabel ? y : null);
        if (accuracy) tf.keep(accuracy);
        return tf.add(meanLoss, reg) as tf.Scalar;
      }, vars),
    );

    const before = options.instrument ? vars.map((v) => tf.keep(v.clone())) : [];
    const gradList = vars.map((v) => grads[v.name] as tf.Tensor | undefined);
    gradList.forEach((g, i) => {
      if (g) gotGradient[i] = true;
    });
    const gradStats = options.instrument
      ? tf.tidy(() => gradList.map((g) => (g ? l2(g) : tf.scalar(NO_GRADIENT))))
      : [];
    const applied = options.clipNorm ? clipped(grads, options.clipNorm) : grads;
    optimizer.applyGradients(applied);

    const parts: tf.Tensor[] = [
      value,
      dataLoss as tf.Tensor,
      regLoss as tf.Tensor,
      accuracy ?? tf.scalar(Number.NaN),
    ];
    if (options.instrument) {
      const extra = tf.tidy(() => {
        const upd = vars.map((v, i) => l2(tf.sub(v, before[i])));
        const sumSq = before.map((w) => tf.sum(tf.square(w)));
        const wn = sumSq.map((s) => tf.sqrt(s));
        // std from the sums already at hand: sqrt(E[w²] − E[w]²) of the weights before the step.
        const ws = before.map((w, i) =>
          tf.sqrt(tf.relu(tf.sub(tf.div(sumSq[i], w.size), tf.square(tf.mean(w))))),
        );
        return [...gradStats, ...upd, ...wn, ...ws];
      });
      parts.push(...extra);
    }
    const flat = tf.tidy(() => tf.stack(parts.map((p) => p.reshape([]))));
    const values = Array.from(await flat.data());
    tf.dispose([flat, ...parts, ...before, x, y, ...Object.values(grads), ...Object.values(applied)]);
    if (classIds) classIds.dispose();
    if (sampleWeights) sampleWeights.dispose();

    const record = stepRecord(step, values, data, options.instrument ? { V } : null);
    records.push(record);
    options.onStep?.(step);
    if (!Number.isFinite(record.loss)) break;
    if (options.stopWhen?.(record)) break;
  }
  return {
    records,
    variables,
    noGradient: variables.filter((_, i) => !gotGradient[i]).map((v) => v.name),
  };
}

/** Records per forward pass when evaluating: bounds memory for wide conv layers. */
const EVAL_CHUNK = 256;

/** Mean loss (and accuracy, predicted classes) of `model` in inference mode on the given records. */
export function evaluate(
  model: tf.LayersModel,
  data: TrainingData,
  ids: Int32Array,
): { loss: number; accuracy: number | null; predictions: Int32Array | null } {
  const lossFn = lossFunctionOf(model);
  const predictions = data.classIds ? new Int32Array(ids.length) : null;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < ids.length; start += EVAL_CHUNK) {
    const chunk = ids.subarray(start, start + EVAL_CHUNK);
    const { x, y } = batchTensors(data, chunk);
    const [loss, pred, hits] = tf.tidy(() => {
      const out = model.apply(x, { training: false }) as tf.Tensor;
      // mean over every loss element × records: chunks of different sizes weigh right.
      return [
        tf.mul(tf.mean(lossFn(y, out)), chunk.length),
        data.classIds ? predictedClass(out) : tf.scalar(0),
        data.multiLabel ? tf.mul(accuracyTensor(out, null, y) as tf.Tensor, chunk.length) : tf.scalar(0),
      ];
    });
    lossSum += loss.dataSync()[0];
    if (predictions && data.classIds) {
      const p = pred.dataSync();
      for (let i = 0; i < chunk.length; i++) {
        predictions[start + i] = p[i];
        if (p[i] === data.classIds[chunk[i]]) correct++;
      }
    } else if (data.multiLabel) correct += hits.dataSync()[0];
    tf.dispose([x, y, loss, pred, hits]);
  }
  return {
    loss: lossSum / Math.max(1, ids.length),
    accuracy: predictions || data.multiLabel ? correct / Math.max(1, ids.length) : null,
    predictions,
  };
}
