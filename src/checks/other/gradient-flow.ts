import { finiteValues, fmt } from '../../checks/helpers.ts';
import { firstSentence } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { WeightTelemetry } from '../../core/evidence.ts';
import { spanOf, TREND } from '../../core/live.ts';
import { median } from '../../core/stats.ts';
import { frameworkOf, gradientStopCode } from '../remedy-code.ts';

const received = (w: WeightTelemetry) => w.gradNorm.some((g) => g !== null && g !== 0);

/** Display name of a variable: its full name (`dense_1/kernel`), or layer/weight when the weight name is bare. */
/** A variable's full name: TF.js's `dense_1/kernel`, PyTorch's parameter path as logged (`fc1.weight`, `0.weight`). */
const fullName = (w: WeightTelemetry) =>
  w.weight.includes('/') || w.weight.startsWith(`${w.layer}.`) ? w.weight : `${w.layer}/${w.weight}`;

export default defineCheck({
  id: 'other/gradient-flow',
  section: 'other',
  title: 'Every layer receives gradient',
  why: "A layer that receives no gradient never changes; a first-layer gradient orders of magnitude below the last layer's means the signal vanishes on its way back and the early layers barely learn.",
  needs: ['training'],
  plot: { id: 'gradient-norms', lines: {} },
  reasons: ['no-gradient', 'not-logged', 'single-kernel', 'vanishing'],
  causeRank: 150,
  live: (detection) =>
    detection.reason === 'no-gradient'
      ? {
          kind: 'confirmed',
          counter: 'telemetryPoints',
          minPoints: 3,
          fresh: 2,
          span: spanOf(0, 0),
          words: 'no gradient at every one of ≥ 3 measurements',
        }
      : TREND,
  thresholds: {
    warnRatio: {
      value: 1e-2,
      meaning: 'warn when median first-layer / last-layer gradient norm falls below this',
      source: 'checklist',
    },
    failRatio: {
      value: 1e-3,
      meaning: 'fail when median first-layer / last-layer gradient norm falls below this',
      source: 'AUTOTRAINER vanishing-gradient rule',
    },
  },
  evaluate({ training }, t) {
    const kernels = training.weights.filter((w) => w.kind === 'kernel').sort((a, b) => a.depth - b.depth);
    // Names in noGradient may be full (`dense_1/kernel`) or bare: show them as telemetry does.
    const noGradient = training.noGradient.map((name) => {
      const w = training.weights.find((x) => x.weight === name || `${x.layer}/${x.weight}` === name);
      return w ? fullName(w) : name;
    });
    const zero = kernels.filter((w) => w.gradNorm.length > 0 && !received(w)).map(fullName);
    const missing = [...new Set([...noGradient, ...zero])];
    const medians = kernels.map((w) => median(finiteValues(w.gradNorm)));
    const first = medians[0];
    const last = medians[medians.length - 1];
    const ratio = kernels.length >= 2 && last > 0 && Number.isFinite(first) ? first / last : null;
    const measured = {
      ratio,
      medians: medians.map((m) => (Number.isFinite(m) ? m : 0)),
      layers: kernels.map((w) => w.layer).join(','),
      zeroGradient: missing.join(','),
      zeroGradientCount: missing.length,
    };
    if (missing.length > 0) return { status: 'fail', measured, reason: 'no-gradient' };
    if (kernels.length === 0) return { status: 'skip', measured: {}, reason: 'not-logged' };
    if (ratio === null) return { status: 'skip', measured, reason: 'single-kernel' };
    if (ratio < t.failRatio) return { status: 'fail', measured, reason: 'vanishing' };
    if (ratio < t.warnRatio) return { status: 'warn', measured, reason: 'vanishing' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, evidence, t) {
    const { training } = evidence;
    if (reason === 'not-logged') {
      return {
        summary:
          'No per-layer gradient norms were recorded; log gradient norms (or histograms) per weight to judge gradient flow.',
        remedy: null,
      };
    }
    if (reason === 'single-kernel') {
      return {
        summary: 'Only one kernel has gradient norms, so first/last layer gradients cannot be compared.',
        remedy: null,
      };
    }
    if (reason === 'no-gradient') {
      const layers = String(measured.zeroGradient);
      const disconnected = training.noGradient.length > 0;
      return {
        summary: `${measured.zeroGradientCount} trainable variable(s) received zero or no gradient at every step (${layers}); expected a non-zero gradient for every trainable weight.`,
        remedy: disconnected
          ? `Connect ${layers} to the loss: check that the layer's output is used by the model output (not a dangling branch), that nothing stops the gradient (${gradientStopCode(frameworkOf(evidence))}), and that the layer is meant to be trainable.`
          : `Check the layers downstream of ${layers}: all-zero weights (see model/init-shallow) or dead ReLUs (see activations/dead-relu) block the gradient; re-initialize with a fan-based initializer.`,
      };
    }
    const layers = String(measured.layers).split(',');
    const summary = `The median gradient norm of the first layer (${layers[0]}) is ${fmt(Number(measured.ratio))}× the last layer's (${layers.at(-1)}) (warn < ${fmt(t.warnRatio)}, fail < ${fmt(t.failRatio)}).`;
    if (status === 'pass') return { summary, remedy: null };
    return {
      summary,
      remedy:
        'The gradient vanishes on its way to the input: use ReLU-family activations instead of sigmoid/tanh in hidden layers, heNormal initialization, batchNormalization between layers, or residual (skip) connections; a shallower model also helps.',
    };
  },
  causes: {
    effects: [
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'loss/learning-rate',
      'other/update-ratio',
      'inputs/label-signal',
      'model/simplify',
    ],
    generic: (c) => `layers that get no or vanishing gradient do not learn (${firstSentence(c.summary)})`,
  },
});
