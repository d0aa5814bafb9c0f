import { firstSentence } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { NEEDS_EXPERIMENT } from '../../core/live.ts';
import { fmt as num } from '../../shared/format.ts';

export default defineCheck({
  id: 'inputs/mean-centering',
  section: 'inputs',
  title: 'Inputs are zero-mean and sanely scaled',
  why: 'Off-center or large inputs push units into saturation and make the gradients of the first layer all share one sign; tiny inputs give the first layer almost nothing to learn from.',
  needs: ['dataset'],
  reasons: ['tokens', 'no-finite-values', 'raw-scale', 'tiny-scale', 'off-center'],
  // Among causes (core/diagnosis.ts): raw pixels saturate units and blow up gradients
  causeRank: 50,
  live: NEEDS_EXPERIMENT,
  thresholds: {
    warnMeanAbs: {
      value: 0.2,
      meaning: 'warn when the mean over features of |per-feature mean| exceeds this',
      source: 'SageMaker Debugger CheckInputImages (abs(mean) > 0.2)',
    },
    failMeanAbs: {
      value: 1,
      meaning: 'fail when the mean over features of |per-feature mean| exceeds this',
      source: 'checklist',
    },
    maxStd: {
      value: 10,
      meaning: 'fail when the std of all input values exceeds this (raw 0–255 pixels have std ≈ 80)',
      source: 'checklist; UMLAUT / DeepDiagnosis input range',
    },
    minStd: {
      value: 1e-2,
      meaning:
        'fail when the std of all input values is below this ([0,1] pixels divided by 255 again have std ≈ 1e-3)',
      source: 'checklist; UMLAUT / DeepDiagnosis input range',
    },
  },
  evaluate({ dataset }, t) {
    const { mean, std, meanAbsFeatureMean, min, max } = dataset;
    const measured = { mean, std, meanAbsFeatureMean, min, max };
    if (dataset.inputKind === 'tokens') return { status: 'skip', measured, reason: 'tokens' };
    if (!Number.isFinite(std) || !Number.isFinite(meanAbsFeatureMean)) {
      return { status: 'skip', measured, reason: 'no-finite-values' };
    }
    if (std > t.maxStd) return { status: 'fail', measured, reason: 'raw-scale' };
    if (std < t.minStd) return { status: 'fail', measured, reason: 'tiny-scale' };
    if (meanAbsFeatureMean > t.failMeanAbs) return { status: 'fail', measured, reason: 'off-center' };
    if (meanAbsFeatureMean > t.warnMeanAbs) return { status: 'warn', measured, reason: 'off-center' };
    return { status: 'pass', measured };
  },
  explain({ status, reason }, { dataset }, t) {
    const { std, meanAbsFeatureMean, min, max } = dataset;
    if (reason === 'tokens') {
      return {
        summary: `The inputs are token ids (${num(min)}–${num(max)}) read by an Embedding layer: centering and scale do not apply.`,
        remedy: null,
      };
    }
    if (status === 'skip') {
      return {
        summary: 'The inputs hold no finite values to measure (see inputs/non-finite).',
        remedy: null,
      };
    }
    const range = `values in [${num(min)}, ${num(max)}]`;
    const images = dataset.featureShape.length >= 2;
    const pixelRange = min >= 0 && max > 1 && max <= 255;
    if (reason === 'raw-scale') {
      return {
        summary: `Input std is ${num(std)} (fail > ${t.maxStd}), ${range}: the inputs are not scaled.`,
        remedy: pixelRange
          ? 'These look like raw 0–255 pixels: divide by 255 (then optionally subtract the mean image), or standardize per feature with (x − μ) / σ computed on the training set and reused unchanged for validation and test.'
          : 'Standardize every feature with (x − μ) / σ, with μ and σ computed per feature on the training set and reused unchanged for validation and test data.',
      };
    }
    if (reason === 'tiny-scale') {
      return {
        summary: `Input std is ${num(std)} (fail < ${t.minStd}), ${range}: the inputs are nearly constant.`,
        remedy:
          max > 0 && max <= 1 / 255 + 1e-9
            ? 'The inputs look normalized twice ([0,1] pixels divided by 255 again): apply the scaling once, either /255 or the (x − μ) / σ standardization, not both.'
            : std === 0
              ? 'Every input value is the same: check that the features were loaded from the right file/columns and not overwritten during preprocessing.'
              : 'The inputs look normalized twice (e.g. already-scaled values divided by 255 or by σ again): apply the scaling once, then standardize per feature with (x − μ) / σ computed on the training set.',
      };
    }
    const summary = `Mean |per-feature mean| of the inputs is ${num(meanAbsFeatureMean)} (warn > ${t.warnMeanAbs}, fail > ${t.failMeanAbs}); std ${num(std)}, ${range}.`;
    if (status === 'pass') return { summary, remedy: null };
    return {
      summary,
      remedy: `Center the inputs: standardize per feature with (x − μ) / σ, with μ and σ computed on the training set and reused unchanged for validation and test${images ? ' (for images, subtract the mean image or the per-channel mean and divide by the std)' : ''}.`,
    };
  },
  causes: {
    effects: [
      'activations/saturation',
      'activations/dead-relu',
      'other/exploding-gradients',
      'loss/learning-rate',
      'loss/initial-loss',
      'inputs/overfit-small',
      'inputs/label-signal',
      'loss/non-finite',
      'other/update-ratio',
      'loss/steep-drop',
    ],
    generic: (c) =>
      `unscaled inputs (${firstSentence(c.summary)}) push pre-activations and gradients far off their working range`,
  },
});
