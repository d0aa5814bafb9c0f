import { fmt } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { KernelStats } from '../../core/evidence.ts';
import { AT_START } from '../../core/live.ts';
import { frameworkOf, initializerCode, kernelOf, kernelWord } from '../remedy-code.ts';

/**
 * How far a kernel's variance sits from the band the standard fan-based initializers span:
 * LeCun 1/fanIn, Glorot 2/(fanIn+fanOut), He 2/fanIn. 1 inside the band, var/upper above it,
 * var/lower below it. A plain var × fanIn would flag healthy setups: a first conv layer on one
 * input channel has fanOut = 8·fanIn, so its Glorot variance is ~5× below 1/fanIn while the
 * dense layers' sit near it (a default-initialized small MNIST CNN measured an 11.7× skew).
 */
export function distanceFromStandardBand(k: Pick<KernelStats, 'variance' | 'fanIn' | 'fanOut'>): number {
  const fanOut = k.fanOut > 0 ? k.fanOut : k.fanIn;
  const lower = Math.min(1 / k.fanIn, 2 / (k.fanIn + fanOut));
  const upper = 2 / k.fanIn;
  if (k.variance > upper) return k.variance / upper;
  if (k.variance < lower) return k.variance / lower;
  return 1;
}

export default defineCheck({
  id: 'other/weight-variance',
  section: 'other',
  title: 'Weight variance is consistent across layers',
  why: 'Each layer should start near the variance its fans call for (between LeCun/Glorot and He: 1/fanIn … 2/fanIn); a layer far off the others scales the signal up or down at that depth, so activations and gradients vanish or explode there.',
  needs: ['model'],
  atInitialization: true,
  plot: { id: 'weight-variance', lines: {} },
  reasons: ['too-few-kernels', 'trained'],
  causeRank: 170,
  live: AT_START,
  thresholds: {
    warnSkew: {
      value: 10,
      meaning:
        "warn when the largest/smallest kernel variance, each relative to its fans' standard band, exceeds this",
      source: 'checklist; SageMaker Debugger PoorWeightInitialization (ratio 10)',
    },
    failSkew: {
      value: 100,
      meaning:
        "fail when the largest/smallest kernel variance, each relative to its fans' standard band, exceeds this",
      source: 'checklist',
    },
  },
  evaluate({ model }, t) {
    // Frozen (pretrained) layers keep their trained weights and are no initialization to judge:
    // only the layers that train are compared (issue 20, class 6).
    const frozen = new Set(model.layers.filter((l) => !l.trainable).map((l) => l.name));
    const frozenKernels = model.kernels.filter((k) => frozen.has(k.layer)).map((k) => k.layer);
    const kernels = model.kernels.filter((k) => !frozen.has(k.layer)).sort((a, b) => a.depth - b.depth);
    const frozenPart: Record<string, string> = frozenKernels.length
      ? { frozenKernels: frozenKernels.join(',') }
      : {};
    if (kernels.length < 2)
      return {
        status: 'skip',
        measured: { kernels: kernels.length, ...frozenPart },
        reason: 'too-few-kernels',
      };
    // Normalize only when every fan-in is known: mixing normalized and raw variances compares nothing.
    const normalized = kernels.every((k) => k.fanIn > 0);
    const r = kernels.map((k) => (normalized ? distanceFromStandardBand(k) : k.variance));
    const zeroVariance = kernels.filter((k) => !(k.variance > 0)).map((k) => k.layer);
    const judged = kernels.flatMap((k, i) =>
      k.variance > 0 && Number.isFinite(r[i]) ? [{ layer: k.layer, r: r[i] }] : [],
    );
    const base = {
      mode: normalized ? 'relative to fan band' : 'raw variance',
      zeroVariance: zeroVariance.join(','),
      ...frozenPart,
    };
    if (judged.length < 2)
      return { status: 'skip', measured: { ...base, kernels: judged.length }, reason: 'too-few-kernels' };
    const hi = judged.reduce((a, b) => (b.r > a.r ? b : a));
    const lo = judged.reduce((a, b) => (b.r < a.r ? b : a));
    const skew = hi.r / lo.r;
    const measured = {
      skew,
      maxLayer: hi.layer,
      maxValue: hi.r,
      minLayer: lo.layer,
      minValue: lo.r,
      values: judged.map((j) => j.r),
      layers: judged.map((j) => j.layer).join(','),
      ...base,
    };
    // Weights logged after training began have learned their scale: a skew is a warning, not
    // proof of a bad initialization.
    const trained = (model.loggedAtStep ?? 0) > 0;
    const withStep = {
      ...measured,
      ...(model.loggedAtStep !== undefined ? { loggedAtStep: model.loggedAtStep } : {}),
    };
    if (skew > t.failSkew)
      return trained
        ? { status: 'warn', measured: withStep, reason: 'trained' }
        : { status: 'fail', measured: withStep };
    if (skew > t.warnSkew)
      return { status: 'warn', measured: withStep, reason: trained ? 'trained' : undefined };
    return { status: 'pass', measured: withStep };
  },
  explain({ status, measured, reason }, evidence, t) {
    const { model } = evidence;
    // In the framework's words: PyTorch's parameters (`fc1.weight`, as logged), else the layers' kernels.
    const fw = frameworkOf(evidence);
    const word = kernelWord(fw);
    const Word = word === 'weight' ? 'Weight' : 'Kernel';
    const name = (layer: unknown) =>
      fw === 'pytorch'
        ? kernelOf(fw, String(layer), model.kernels.find((k) => k.layer === layer)?.weight)
        : String(layer);
    const zero =
      [
        measured.zeroVariance
          ? `${Word}s with zero variance (${String(measured.zeroVariance).split(',').map(name).join(',')}) are left out; see model/init-shallow.`
          : '',
        measured.frozenKernels
          ? `Frozen layers keep their trained weights and are not compared (${measured.frozenKernels}).`
          : '',
      ]
        .filter(Boolean)
        .join(' ') || undefined;
    if (reason === 'too-few-kernels') {
      return {
        summary: `Fewer than 2 ${word}s with non-zero variance, so there is nothing to compare across depth.`,
        remedy: null,
        details: zero,
      };
    }
    const what =
      measured.mode === 'raw variance'
        ? 'variance (fan-in unknown, raw)'
        : "variance relative to its fans' standard band (1 = within LeCun/Glorot … He)";
    if (measured.mode !== 'raw variance' && Number(measured.skew) === 1) {
      return {
        summary: `Every ${word}'s variance lies within its fans' standard band (LeCun/Glorot … He): no skew across depth (warn > ${t.warnSkew}×, fail > ${t.failSkew}×).`,
        remedy: null,
        details: zero,
      };
    }
    const summary = `${Word} ${what} ranges from ${fmt(Number(measured.minValue))} (${name(measured.minLayer)}) to ${fmt(Number(measured.maxValue))} (${name(measured.maxLayer)}), a ${fmt(Number(measured.skew))}× skew (warn > ${t.warnSkew}×, fail > ${t.failSkew}×).`;
    if (status === 'pass') return { summary, remedy: null, details: zero };
    const outliers = `${name(measured.maxLayer)}, ${name(measured.minLayer)}`;
    const fanBased = `${initializerCode(fw, 'heNormal')} for ReLU, ${initializerCode(fw, 'glorotUniform')} for tanh/sigmoid/softmax`;
    if (reason === 'trained') {
      return {
        summary: `${summary} These weights were logged at step ${measured.loggedAtStep}, after training began.`,
        remedy: `Trained weights have learned their scale, so this is no proof of a bad initialization: compare with the weights before the first update (log their histograms at step 0), and look at the gradient flow and update ratios of ${outliers}.`,
        details: zero,
      };
    }
    if (model.loggedAtStep !== undefined) {
      return {
        summary,
        remedy: `These are the weights first logged (step ${measured.loggedAtStep}). If that was before the first update, initialize ${outliers} with a fan-based initializer matched to their activation (${fanBased}); if training had already begun (Keras logs weights at the end of each epoch), log them before the first update to tell initialization from training.`,
        details: zero,
      };
    }
    return {
      summary,
      remedy: `Re-initialize the outlying layers (${outliers}) with a fan-based initializer matched to their activation (${fanBased}), or check whether their weights were loaded or set by hand at a different scale.`,
      details: zero,
    };
  },
  causes: noCauses,
});
