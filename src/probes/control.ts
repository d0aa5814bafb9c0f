// The same architecture and training setup on a corpus known to be learnable: real MNIST when
// the model's shapes fit it, otherwise a synthetic corpus with the model's own input/output
// shape (labels from a random linear teacher). If the control is not learned, the fault is in
// the model or training code, not in the user's data.
import type { ControlEvidence } from '../core/evidence.ts';
import { createRng, gaussian, permutation, subSeed } from '../core/random.ts';
import { tokenInput } from '../tfjs/model-info.ts';
import type { TrainingData } from '../tfjs/trainer.ts';
import { evaluate, train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';

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
export type MnistLoader = (records: number) => { x: Float32Array; labels: Int32Array } | null;

const CONTROL_TRAIN = 3000;
const CONTROL_TEST = 500;

function fitsMnist(ctx: ProbeContext): boolean {
  const f = ctx.data.featureShape.reduce((a, b) => a * b, 1);
  return f === 784 && ctx.task.kind === 'classification' && ctx.task.classes === 10;
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
  // Synthetic: a random linear teacher gives the labels (argmax for classification, a scaled
  // projection for regression). Inputs are standard normal in the model's input shape, or, for
  // a model that reads token ids, uniform ids whose bag of words the teacher scores.
  const rng = createRng(seed);
  const n = CONTROL_TRAIN + CONTROL_TEST;
  const f = ctx.data.featureShape.reduce((a, b) => a * b, 1);
  const outputs =
    ctx.task.kind === 'classification'
      ? (ctx.task.classes ?? 2)
      : ctx.data.targetShape.reduce((a, b) => a * b, 1);
  const tokens = tokenInput(ctx.model);
  const x = tokens
    ? Float32Array.from({ length: n * f }, () => Math.floor(rng() * tokens.vocabulary))
    : Float32Array.from({ length: n * f }, () => gaussian(rng));
  const inputs = tokens ? tokens.vocabulary : f;
  const teacher = Float32Array.from({ length: inputs * outputs }, () => gaussian(rng) / Math.sqrt(inputs));
  const scores = new Float32Array(n * outputs);
  for (let r = 0; r < n; r++)
    for (let o = 0; o < outputs; o++) {
      let s = 0;
      for (let i = 0; i < f; i++) {
        const v = x[r * f + i];
        s += tokens ? teacher[v * outputs + o] : v * teacher[i * outputs + o];
      }
      scores[r * outputs + o] = s;
    }
  if (ctx.task.kind === 'classification') {
    const labels = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      let best = 0;
      for (let o = 1; o < outputs; o++) if (scores[r * outputs + o] > scores[r * outputs + best]) best = o;
      labels[r] = outputs === 2 ? (scores[r * outputs + 1] > scores[r * outputs] ? 1 : 0) : best;
    }
    const data: TrainingData = {
      x,
      featureShape: ctx.data.featureShape,
      targets: targetsFor(ctx, labels),
      targetShape: ctx.data.targetShape,
      classIds: labels,
    };
    return { corpus: 'synthetic', data, ...split(n, seed) };
  }
  const data: TrainingData = {
    x,
    featureShape: ctx.data.featureShape,
    targets: scores,
    targetShape: ctx.data.targetShape,
    classIds: null,
  };
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

export async function runControlProbe(ctx: ProbeContext, loadMnist: MnistLoader): Promise<ControlEvidence> {
  const corpus = controlCorpus(ctx, loadMnist);
  const { model, optimizer } = await trainableClone(ctx);
  try {
    const initial = evaluate(model, corpus.data, corpus.test);
    const result = await train(model, optimizer, corpus.data, {
      steps: ctx.budget.controlSteps,
      batchSize: ctx.batchSize,
      seed: subSeed(ctx.seed, 'control-batches'),
      pool: corpus.train,
      onStep: (s) => ctx.progress(s + 1, ctx.budget.controlSteps),
    });
    const final = evaluate(model, corpus.data, corpus.test);
    const classes = ctx.task.classes;
    return {
      corpus: corpus.corpus,
      steps: result.records.length,
      loss: { steps: result.records.map((r) => r.step), values: result.records.map((r) => r.dataLoss) },
      initialLoss: initial.loss,
      finalLoss: final.loss,
      chanceLoss:
        ctx.task.kind === 'classification' && classes ? Math.log(classes) : variance(corpus.data.targets),
      finalAccuracy: final.accuracy,
      chanceAccuracy: ctx.task.kind === 'classification' && classes ? 1 / classes : null,
    };
  } finally {
    disposeModel(model, optimizer);
  }
}
