import { firstSentence, sig, num as toNumber } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { ActivationStats, ModelEvidence } from '../../core/evidence.ts';
import { AT_START } from '../../core/live.ts';
import { fmt as num } from '../../shared/format.ts';
import type StandardCorpus from '../inputs/standard-corpus.ts';
import type InitialLoss from '../loss/initial-loss.ts';
import type ExplodingGradients from '../other/exploding-gradients.ts';
import type GradientFlow from '../other/gradient-flow.ts';
import { batchNormCode, frameworkOf, initializerCode } from '../remedy-code.ts';

/**
 * The hidden layers among the measured activations: entries at or after the output layer (the
 * last layer that owns a kernel, else the model's last layer) are dropped. Entries naming a layer
 * the model does not list are kept.
 */
export function hiddenActivations(stats: ActivationStats[], model: ModelEvidence): ActivationStats[] {
  const depthOf = new Map(model.layers.map((l) => [l.name, l.depth]));
  const lastKernel = model.kernels.reduce<(typeof model.kernels)[number] | null>(
    (a, k) => (a === null || k.depth > a.depth ? k : a),
    null,
  );
  const lastLayerDepth = model.layers.reduce((m, l) => Math.max(m, l.depth), Number.NEGATIVE_INFINITY);
  const outputDepth = (lastKernel ? depthOf.get(lastKernel.layer) : undefined) ?? lastLayerDepth;
  return stats.filter((s) => {
    const depth = depthOf.get(s.layer);
    return depth === undefined || depth < outputDepth;
  });
}

const RELU_LIKE = new Set([
  'relu',
  'relu6',
  'elu',
  'selu',
  'leakyrelu',
  'leaky_relu',
  'prelu',
  'swish',
  'gelu',
]);

/** What `evaluate` may give as its reason (declared below as `reasons`). */
const REASONS = [
  'no-activations',
  'too-shallow',
  'non-finite',
  'vanished',
  'shrinking',
  'growing',
  'small-batch',
] as const;

export default defineCheck({
  id: 'model/init-deep',
  section: 'model',
  title: 'Activations keep their scale through depth',
  why: 'When activations shrink layer after layer, the deep layers see (and pass back) almost nothing, so the gradients of the early layers vanish and the network stops learning; batch norm and a healthy batch size keep the scale in check.',
  needs: ['training', 'model'],
  atInitialization: true,
  plot: { id: 'activations', lines: {} },
  reasons: REASONS,
  // Among causes (core/diagnosis.ts): activations vanish with depth
  causeRank: 120,
  live: AT_START,
  thresholds: {
    failRatio: {
      value: 10,
      meaning:
        'fail when activation std shrinks by more than this factor from the first to the last hidden layer',
      source: 'checklist; SageMaker Debugger PoorWeightInitialization (variance ratio 10)',
    },
    minLastStd: {
      value: 1e-3,
      meaning: 'fail when the last hidden layer’s activation std is below this',
      source: 'checklist',
    },
    warnShrinkPerLayer: {
      value: 3,
      meaning:
        'warn when activation std shrinks by more than this factor per layer on average (geometric mean); Glorot-initialized ReLU layers shrink ≈ 1.4× per layer, He-initialized ≈ 1×, and PyTorch’s default Linear/Conv init (kaiming_uniform, a = √5: Var(w) = 1/(3·fanIn)) ≈ √6 ≈ 2.45× — healthy, trainable setups',
      source:
        'nn-doctor calibration on Glorot/He MLPs of 2–6 hidden layers and on PyTorch-default MLPs (2.2× measured across two ReLU layers of a healthy run)',
    },
    maxGrowthRatio: {
      value: 10,
      meaning:
        'warn when activation std grows by more than this factor from the first to the last hidden layer',
      source: 'checklist (scale kept through depth, either way)',
    },
    minBatchSize: {
      value: 8,
      meaning: 'warn when the training batch size is below this (and nothing else is wrong)',
      source: 'checklist (batch-norm statistics and gradients get noisy on tiny batches)',
    },
  },
  evaluate({ training, model }, t) {
    const batchSize = training.batchSize;
    const start = training.activations?.start;
    if (!start || start.length === 0) {
      return {
        status: 'skip',
        measured: { hasBatchNorm: model.hasBatchNorm, batchSize },
        reason: 'no-activations',
      };
    }
    const hidden = hiddenActivations(start, model);
    const stds = hidden.map((a) => a.std);
    if (hidden.length < 2) {
      return {
        status: 'skip',
        measured: { hiddenLayers: hidden.length, stds, hasBatchNorm: model.hasBatchNorm, batchSize },
        reason: 'too-shallow',
      };
    }
    const first = stds[0];
    const last = stds[stds.length - 1];
    const ratio = last > 0 ? first / last : first > 0 ? Number.POSITIVE_INFINITY : 1;
    const growth = first > 0 ? last / first : last > 0 ? Number.POSITIVE_INFINITY : 1;
    const shrinkPerLayer = ratio ** (1 / (hidden.length - 1));
    const measured = {
      firstStd: first,
      lastStd: last,
      ratio,
      shrinkPerLayer,
      firstLayer: hidden[0].layer,
      lastLayer: hidden[hidden.length - 1].layer,
      hiddenLayers: hidden.length,
      stds,
      hasBatchNorm: model.hasBatchNorm,
      batchSize,
    };
    if (!stds.every(Number.isFinite)) return { status: 'fail', measured, reason: 'non-finite' };
    if (last < t.minLastStd) return { status: 'fail', measured, reason: 'vanished' };
    if (ratio > t.failRatio) return { status: 'fail', measured, reason: 'shrinking' };
    if (shrinkPerLayer > t.warnShrinkPerLayer) return { status: 'warn', measured, reason: 'shrinking' };
    if (growth > t.maxGrowthRatio) return { status: 'warn', measured, reason: 'growing' };
    if (batchSize !== null && batchSize < t.minBatchSize)
      return { status: 'warn', measured, reason: 'small-batch' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, evidence, t) {
    const { training, model } = evidence;
    const fw = frameworkOf(evidence);
    const batchSize = training.batchSize;
    const bn = model.hasBatchNorm
      ? 'The model uses batch normalization.'
      : 'The model has no batch normalization; BatchNormalization after dense/conv layers keeps activations at unit scale through depth.';
    const batch =
      batchSize === null
        ? 'The batch size is unknown.'
        : `Batch size ${batchSize}${batchSize < t.minBatchSize ? ` is small (< ${t.minBatchSize}): gradients are noisy${model.hasBatchNorm ? ' and batch-norm statistics are unreliable' : ''}` : ' is healthy'}.`;
    const details = `${bn} ${batch}`;
    if (reason === 'no-activations') {
      return { summary: 'No activation statistics at initialization were recorded.', remedy: null, details };
    }
    if (reason === 'too-shallow') {
      return {
        summary: `Only ${measured.hiddenLayers} hidden layer${measured.hiddenLayers === 1 ? ' was' : 's were'} measured: scale through depth needs at least 2.`,
        remedy: null,
        details,
      };
    }
    const n = Number(measured.hiddenLayers);
    const from = `from ${num(Number(measured.firstStd))} (${measured.firstLayer}) to ${num(Number(measured.lastStd))} (${measured.lastLayer}) over ${n} hidden layers`;
    const hidden = hiddenActivations(training.activations?.start ?? [], model);
    const relu = hidden.some((a) => RELU_LIKE.has(a.activation.toLowerCase()));
    const init = relu
      ? `He initialization (${initializerCode(fw, 'heNormal')}) for the ReLU layers`
      : `Glorot initialization (${initializerCode(fw, 'glorotUniform')})`;
    const normalize = model.hasBatchNorm
      ? 'check that batch normalization sits between every dense/conv layer and its activation'
      : `add batch normalization (${batchNormCode(fw)}) after each dense/conv layer`;
    const ratio = Number(measured.ratio);
    switch (reason) {
      case 'non-finite':
        return {
          summary: `Activation std at initialization is not finite (${(measured.stds as number[]).map((x) => num(x)).join(', ')}) across ${n} hidden layers.`,
          remedy:
            'Look for NaN/Inf in the inputs (inputs/non-finite) and in the initial weights (model/init-shallow); activations at initialization must be finite before anything can be learned.',
          details,
        };
      case 'vanished':
      case 'shrinking':
        return {
          summary: `Activation std shrinks ${num(ratio)}× ${from} (${num(Number(measured.shrinkPerLayer))}× per layer; fail > ${t.failRatio}× overall or last std < ${t.minLastStd}, warn > ${t.warnShrinkPerLayer}× per layer).`,
          remedy: `Keep the scale through depth: use ${init}, ${normalize}, or add residual connections around deep blocks; avoid sigmoid in hidden layers.`,
          details,
        };
      case 'growing':
        return {
          summary: `Activation std grows ${num(1 / ratio)}× ${from} (warn > ${t.maxGrowthRatio}×).`,
          remedy: `The initial weights are too large for this depth: use ${init} instead of a fixed-scale initializer, and ${normalize}.`,
          details,
        };
      case 'small-batch':
        return {
          summary: `Activation scale holds (${num(ratio)}× ${from}), but the batch size ${batchSize} is below ${t.minBatchSize}.`,
          remedy: `Raise the batch size to ${t.minBatchSize} or more (32–256 is typical); if memory forbids it, accumulate gradients over several batches${model.hasBatchNorm ? ', and replace BatchNormalization by LayerNormalization, which does not depend on the batch' : ''}.`,
          details,
        };
    }
    return {
      summary: `Activation std goes ${from}, a first/last ratio of ${num(ratio)} (fail > ${t.failRatio}, warn > ${t.warnShrinkPerLayer}× per layer; last std fail < ${t.minLastStd}).`,
      remedy: status === 'pass' ? null : `Use ${init} and ${normalize}.`,
      details,
    };
  },
  causes: {
    effects: [
      'other/gradient-flow',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'model/simplify',
    ],
    generic: (c) =>
      `activations vanish with depth at initialization (${firstSentence(c.summary)}), and so do the gradients of the early layers`,
    // Activations that grow through depth at initialization only warn here, yet they explain an
    // initial loss far above chance, outputs confidently wrong on a learnable corpus and gradients
    // that saturate to nothing (issue 20, class 3: deep ReLU nets whose activations explode).
    measured: (link) => [
      link<typeof InitialLoss>('loss/initial-loss', (c, e) =>
        growing(c) && toNumber(e.measured.ratio) > 1
          ? `${growthWords(c)}: the outputs start saturated, and the initial loss is ${sig(e.measured.ratio)}× the ${sig(e.measured.expectedLoss)} of chance`
          : null,
      ),
      link<typeof GradientFlow>('other/gradient-flow', (c) =>
        growing(c) ? `${growthWords(c)}: saturated outputs pass back almost no gradient` : null,
      ),
      link<typeof StandardCorpus>('inputs/standard-corpus', (c, e) =>
        growing(c) && toNumber(e.measured.lossRatio) > 2
          ? `${growthWords(c)}: on the control corpus the same architecture ends confidently wrong, its held-out loss ${sig(e.measured.lossRatio)}× chance`
          : null,
      ),
      link<typeof ExplodingGradients>('other/exploding-gradients', (c) =>
        growing(c) ? `${growthWords(c)}, and the gradients scale with them` : null,
      ),
    ],
  },
});

// Causal links (core/causes.ts): what they read of this check's numbers.
interface DepthNumbers {
  firstStd: unknown;
  lastStd: unknown;
  firstLayer: unknown;
  lastLayer: unknown;
}

/** Activations that grow through depth past this check's own threshold. */
function growing(c: { measured: DepthNumbers; thresholds: Record<string, number> }): boolean {
  return toNumber(c.measured.lastStd) / toNumber(c.measured.firstStd) > c.thresholds.maxGrowthRatio;
}

const growthWords = (c: { measured: DepthNumbers }) =>
  `the activations' std grows ${sig(toNumber(c.measured.lastStd) / toNumber(c.measured.firstStd))}× from ${String(c.measured.firstLayer)} to ${String(c.measured.lastLayer)} at initialization`;
