// The same architecture and training setup on a corpus known to be learnable: real MNIST when
// the model's shapes fit it, otherwise a synthetic corpus of the model's own input/output shape
// (control-corpus.ts). If the control is not learned, the fault is in the model or training
// code, not in the user's data.
//
// Slow is not broken: the run stops once the held-out loss is half the chance loss, and past its
// base budget goes on (up to 4×) while it still makes progress. When the user's setup has not
// learned the control by then, the same architecture is trained once more with a reference
// optimizer (Adam 1e-3): if that learns it, the architecture is fine and the optimizer settings
// are what holds the setup back.
import * as tf from '@tensorflow/tfjs';
import type { ControlEvidence, ControlRun } from '../core/evidence.ts';
import { normalizeLossName } from '../core/names.ts';
import { createRng, permutation, subSeed } from '../core/random.ts';
import { tokenInput } from '../tfjs/model-info.ts';
import type { TrainingData } from '../tfjs/trainer.ts';
import { evaluate } from '../tfjs/trainer.ts';
import { headsFor, inferenceEvaluation, trainUntil } from './adaptive.ts';
import { priorChanceLoss } from './chance.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';
import { type CorpusSpec, syntheticCorpus } from './control-corpus.ts';

export interface ControlCorpus {
  corpus: 'mnist' | 'synthetic';
  data: TrainingData;
  train: Int32Array;
  test: Int32Array;
}

/**
 * MNIST images in [0,1] with integer labels, as the control corpus loader returns them; null when
 * MNIST is not installed (the synthetic corpus is used instead).
 */
export type { MnistLoader } from './context.ts';

import type { MnistLoader } from './context.ts';

const CONTROL_TRAIN = 3000;
const CONTROL_TEST = 500;
/** The control counts as learned at this fraction of the chance loss (inputs/standard-corpus's default). */
export const CONTROL_TARGET_RATIO = 0.5;
/** The run goes on past its base budget, up to this multiple of it, while it makes progress. */
const MAX_BUDGET_FACTOR = 4;
/** Progress worth another chunk: the held-out loss fell by at least this fraction of the chance loss. */
const MIN_CHUNK_PROGRESS = 0.01;
/** …and only while its current rate would reach the target within this many caps. */
const HORIZON_FACTOR = 10;
export const REFERENCE_LR = 1e-3;
/**
 * Held-out evaluation within a chunk once the mean training loss of the last PROBE_WINDOW steps
 * is at the target, at most every PROBE_GAP steps: an evaluation of the 500 held-out records costs
 * about what 2–3 training steps of 64 records do, so the run stops within ~10 steps of learning the
 * control rather than at its chunk's end (up to half the base budget later).
 */
const PROBE_WINDOW = 5;
const PROBE_GAP = 10;
/**
 * Training-mode loss runs above the held-out one where dropout is on (measured on a Keras-style
 * CNN with dropout 0.25/0.5: evaluating only once the training loss itself was at the target
 * stopped at step 27 where 15–20 would do); a wasted evaluation costs 2–3 steps.
 */
const PROBE_SLACK = 1.25;

function fitsMnist(ctx: ProbeContext): boolean {
  const f = ctx.data.featureShape.reduce((a, b) => a * b, 1);
  return (
    f === 784 &&
    ctx.task.kind === 'classification' &&
    ctx.task.classes === 10 &&
    ctx.task.labelEncoding !== 'multi-hot' &&
    !tokenInput(ctx.model)
  );
}

function targetsFor(ctx: ProbeContext, labels: Int32Array): Float32Array {
  const width = ctx.data.targetShape.reduce((a, b) => a * b, 1);
  if (width === 1) return Float32Array.from(labels);
  const t = new Float32Array(labels.length * width);
  labels.forEach((c, r) => {
    t[r * width + c] = 1;
  });
  return t;
}

function split(n: number, seed: number): { train: Int32Array; test: Int32Array } {
  const order = permutation(n, createRng(seed));
  const testSize = Math.min(CONTROL_TEST, Math.floor(n / 5));
  return { train: order.slice(testSize), test: order.slice(0, testSize) };
}

export function corpusSpec(ctx: ProbeContext): CorpusSpec {
  const width = ctx.data.targetShape.reduce((a, b) => a * b, 1);
  const multiLabel = ctx.task.labelEncoding === 'multi-hot';
  const classification = ctx.task.kind === 'classification';
  return {
    featureShape: ctx.data.featureShape,
    kind: ctx.task.kind,
    outputs: classification ? (multiLabel ? width : (ctx.task.classes ?? 2)) : width,
    multiLabel,
    targetWidth: width,
    vocabulary: tokenInput(ctx.model)?.vocabulary ?? null,
    reconstruction: ctx.task.reconstruction ?? null,
    outputActivation: ctx.task.kind === 'regression' ? (ctx.task.outputActivations.at(-1) ?? null) : null,
  };
}

export function controlCorpus(ctx: ProbeContext, loadMnist: MnistLoader): ControlCorpus {
  const seed = subSeed(ctx.seed, 'control');
  const mnist = fitsMnist(ctx) ? loadMnist(CONTROL_TRAIN + CONTROL_TEST) : null;
  if (mnist) {
    const { x, labels } = mnist;
    const data: TrainingData = {
      x,
      featureShape: ctx.data.featureShape,
      targets: targetsFor(ctx, labels),
      targetShape: ctx.data.targetShape,
      classIds: labels,
    };
    return { corpus: 'mnist', data, ...split(labels.length, seed) };
  }
  const n = CONTROL_TRAIN + CONTROL_TEST;
  const data = syntheticCorpus(corpusSpec(ctx), n, seed);
  return { corpus: 'synthetic', data, ...split(n, seed) };
}

function variance(values: Float32Array): number {
  let s = 0;
  let s2 = 0;
  for (const v of values) {
    s += v;
    s2 += v * v;
  }
  const m = s / Math.max(1, values.length);
  return Math.max(0, s2 / Math.max(1, values.length) - m * m);
}

/** Loss of a constant predictor on the (balanced) control: ln classes, ln 2 per label, target variance. */
function controlChance(ctx: ProbeContext, corpus: ControlCorpus): number {
  // Binary cross-entropy on continuous targets (a reconstruction): the per-output entropy of the mean.
  if (ctx.task.kind !== 'classification' && normalizeLossName(ctx.task.loss) === 'binary_crossentropy')
    return priorChanceLoss(ctx.task.loss, corpus.data, corpus.test, corpus.train) ?? Math.LN2;
  if (ctx.task.kind !== 'classification') return variance(corpus.data.targets);
  if (corpus.data.multiLabel || (ctx.task.classes ?? 2) === 2) return Math.LN2;
  return Math.log(ctx.task.classes ?? 2);
}

/** Whether the setup already is the reference optimizer (Adam at 1e-3). */
export function isReference(optimizer: tf.Optimizer, lr: number | null): boolean {
  return optimizer.getClassName() === 'Adam' && lr !== null && Math.abs(lr - REFERENCE_LR) < 1e-12;
}

async function runOn(
  ctx: ProbeContext,
  corpus: ControlCorpus,
  chance: number,
  reference: boolean,
  progressFrom: number,
): Promise<ControlRun & { loss: ControlEvidence['loss'] }> {
  const { model, optimizer } = await trainableClone(
    ctx,
    reference ? { optimizer: tf.train.adam(REFERENCE_LR) } : {},
  );
  const base = ctx.budget.controlSteps;
  const maxSteps = MAX_BUDGET_FACTOR * base;
  try {
    const calibration = corpus.train.subarray(0, Math.min(256, corpus.train.length));
    const target = CONTROL_TARGET_RATIO * chance;
    const recent: number[] = [];
    const result = await trainUntil(model, optimizer, corpus.data, {
      chunk: Math.max(1, Math.round(base / 2)),
      baseSteps: base,
      maxSteps,
      batchSize: ctx.batchSize,
      seed: subSeed(ctx.seed, reference ? 'control-reference' : 'control-batches'),
      pool: corpus.train,
      evaluate: inferenceEvaluation(
        model,
        corpus.data,
        calibration,
        ctx.batchSize,
        subSeed(ctx.seed, 'control-bn'),
        () => evaluate(model, corpus.data, corpus.test),
      ),
      reached: (c) => c.loss <= target,
      progressed: (a, b) =>
        a.loss - b.loss >= MIN_CHUNK_PROGRESS * chance &&
        headsFor(a, b, target, 0, HORIZON_FACTOR * maxSteps),
      // Near the target by the training loss: the held-out evaluation decides.
      probeWhen: (r) => {
        recent.push(r.dataLoss);
        if (recent.length > PROBE_WINDOW) recent.shift();
        return (
          recent.length === PROBE_WINDOW &&
          recent.reduce((a, b) => a + b, 0) / PROBE_WINDOW <= PROBE_SLACK * target
        );
      },
      probeGap: PROBE_GAP,
      onStep: (s) => ctx.progress(progressFrom + s + 1, (reference ? 2 : 1) * maxSteps),
    });
    const last = result.checkpoints[result.checkpoints.length - 1];
    return {
      optimizer: optimizer.getClassName(),
      learningRate: reference ? REFERENCE_LR : ctx.learningRate,
      steps: result.steps,
      maxSteps,
      finalLoss: last.loss,
      finalAccuracy: last.accuracy,
      learnedAtStep: result.reachedAt,
      stopped: result.stopped,
      checkpoints: result.checkpoints.map((c) => ({ step: c.step, loss: c.loss, accuracy: c.accuracy })),
      loss: { steps: result.records.map((r) => r.step), values: result.records.map((r) => r.dataLoss) },
    };
  } finally {
    disposeModel(model, optimizer);
  }
}

export async function runControlProbe(ctx: ProbeContext, loadMnist: MnistLoader): Promise<ControlEvidence> {
  const corpus = controlCorpus(ctx, loadMnist);
  const chance = controlChance(ctx, corpus);
  const own = await runOn(ctx, corpus, chance, false, 0);
  // Only in doubt: the setup did not learn the control within its budget.
  const reference =
    own.learnedAtStep === null && !isReference(ctx.optimizer, ctx.learningRate)
      ? await runOn(ctx, corpus, chance, true, own.maxSteps)
      : null;
  const classes = ctx.task.classes;
  const { loss, checkpoints, ...run } = own;
  return {
    corpus: corpus.corpus,
    steps: own.steps,
    loss,
    initialLoss: checkpoints[0].loss,
    finalLoss: own.finalLoss,
    chanceLoss: chance,
    targetLoss: CONTROL_TARGET_RATIO * chance,
    finalAccuracy: own.finalAccuracy,
    chanceAccuracy:
      ctx.task.kind !== 'classification' ? null : corpus.data.multiLabel ? 0.5 : classes ? 1 / classes : null,
    learnedAtStep: own.learnedAtStep,
    maxSteps: own.maxSteps,
    checkpoints,
    stopped: run.stopped,
    ...(reference ? { reference: (({ loss: _, ...r }) => r)(reference) } : {}),
  };
}
