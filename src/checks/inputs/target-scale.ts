import { firstSentence, sig } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { NEEDS_EXPERIMENT } from '../../core/live.ts';
import { edgeMeans } from '../../core/stats.ts';
import { fmt, pct, trainingCurve } from '../helpers.ts';

/**
 * Regression targets: finite, and on a scale a network can reach. A freshly initialized network
 * outputs values of order 1 around 0, and an optimizer moves them by about its learning rate per
 * step: a target in raw units (a price of 22,500) is out of reach of Adam at 1e-3, and under SGD
 * its squared error makes gradients in the millions. Standardized targets (mean 0, std 1) are
 * the standard practice (LeCun et al. 1998, "Efficient BackProp", on inputs and outputs alike).
 */
export default defineCheck({
  id: 'inputs/target-scale',
  section: 'inputs',
  title: 'Regression targets are finite and on a unit-like scale',
  why: 'A network starts with outputs near 0 of order 1 and moves them by about the learning rate per step: targets in the thousands are out of reach and make the squared-error gradients huge, while NaN/Inf targets poison the loss.',
  needs: ['dataset'],
  uses: ['task', 'training'],
  plot: { id: 'loss-curve', lines: {} },
  reasons: ['classification', 'no-targets', 'non-finite', 'too-large', 'too-large-stuck', 'large', 'tiny'],
  // Among causes (core/diagnosis.ts): targets in raw units: loss and gradients on their scale
  causeRank: 30,
  live: NEEDS_EXPERIMENT,
  thresholds: {
    warnScale: {
      value: 10,
      meaning:
        'warn when the targets’ root mean square sqrt(mean² + variance) exceeds this (a fresh network outputs values of order 1)',
      source: 'standardization practice (LeCun et al. 1998, Efficient BackProp); nn-doctor calibration',
    },
    failScale: {
      value: 1000,
      meaning: 'fail when the targets’ root mean square exceeds this',
      source: 'nn-doctor calibration: a mean of 22,500 left Adam 1e-3 and SGD unable to learn',
    },
    flatDrop: {
      value: 0.1,
      meaning:
        'fail already above warnScale when the training loss dropped by less than this fraction over the run (the scale stops learning)',
      source: 'loss/learning-rate flatDrop',
    },
    minScale: {
      value: 1e-3,
      meaning: 'warn when the targets’ root mean square is below this (tiny units make tiny gradients)',
      source: 'nn-doctor calibration',
    },
  },
  evaluate({ dataset, task, training }, t) {
    const scale = dataset.targetScale;
    if (task && task.kind !== 'regression') return { status: 'skip', measured: {}, reason: 'classification' };
    if (!scale) return { status: 'skip', measured: {}, reason: 'no-targets' };
    let runDrop: number | null = null;
    let runNonFinite = false;
    if (training) {
      const values = trainingCurve(training).series.values;
      runNonFinite = training.nonFiniteStep !== null || values.some((v) => !Number.isFinite(v));
      if (values.length >= 2 && !runNonFinite) {
        const { first, last } = edgeMeans(values, 0.1);
        runDrop = first > 0 ? (first - last) / first : null;
      }
    }
    const measured = {
      mean: scale.mean,
      std: scale.std,
      min: scale.min,
      max: scale.max,
      rms: scale.rms,
      output: scale.output,
      nonFiniteTargets: dataset.nonFiniteLabels,
      runDrop,
      runNonFinite,
    };
    if (dataset.nonFiniteLabels > 0) return { status: 'fail', measured, reason: 'non-finite' };
    if (scale.rms > t.failScale) return { status: 'fail', measured, reason: 'too-large' };
    if (scale.rms > t.warnScale) {
      return runNonFinite || (runDrop !== null && runDrop < t.flatDrop)
        ? { status: 'fail', measured, reason: 'too-large-stuck' }
        : { status: 'warn', measured, reason: 'large' };
    }
    if (scale.rms < t.minScale) return { status: 'warn', measured, reason: 'tiny' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _evidence, t) {
    if (reason === 'classification')
      return { summary: 'Classification labels: no regression targets to scale.', remedy: null };
    if (reason === 'no-targets')
      return { summary: 'No regression target statistics were recorded.', remedy: null };
    const mean = Number(measured.mean);
    const std = Number(measured.std);
    const stats = `mean ${fmt(mean)}, std ${fmt(std)}, range ${fmt(Number(measured.min))} to ${fmt(Number(measured.max))}`;
    const standardize = `Standardize the targets: train on (y − ${fmt(mean)}) / ${fmt(std > 0 ? std : 1)} and map predictions back with ŷ·${fmt(std > 0 ? std : 1)} + ${fmt(mean)} (or scale them to a range near [−1, 1]); alternatively initialize the output bias at the target mean.`;
    if (reason === 'non-finite') {
      return {
        summary: `${measured.nonFiniteTargets} target value(s) are NaN or ±Inf; every loss that touches them is NaN.`,
        remedy:
          'Drop or impute the records with NaN/Inf targets (and see inputs/non-finite), then standardize the rest.',
      };
    }
    const summary = `Targets: ${stats}; root mean square ${fmt(Number(measured.rms))} (warn > ${fmt(t.warnScale)}, fail > ${fmt(t.failScale)}${reason === 'too-large-stuck' || reason === 'large' ? `, or above ${fmt(t.warnScale)} when the loss stays flat` : ''}).`;
    if (status === 'pass') return { summary, remedy: null };
    if (reason === 'tiny') {
      return {
        summary: `${summary} Below ${fmt(t.minScale)}: the squared errors and their gradients are tiny.`,
        remedy: `Rescale the targets to unit size: divide by ${fmt(std > 0 ? std : Number(measured.rms))} (map predictions back afterwards).`,
      };
    }
    const stuck =
      reason === 'too-large-stuck'
        ? measured.runNonFinite
          ? ' The training loss became NaN/Inf during the run: squared errors at this scale blow the gradients up.'
          : ` The training loss dropped by only ${pct(Number(measured.runDrop))} over the run (flat below ${pct(t.flatDrop)}): the scale is what holds it.`
        : '';
    return { summary: `${summary}${stuck}`, remedy: standardize };
  },
  causes: {
    effects: [
      'loss/initial-loss',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/label-signal',
      'other/exploding-gradients',
      'loss/non-finite',
      'other/update-ratio',
      'activations/dead-relu',
      'loss/steep-drop',
    ],
    generic: (c) =>
      c.measured.rms !== undefined
        ? `the regression targets have mean ${sig(c.measured.mean)} and root mean square ${sig(c.measured.rms)}, far beyond the order-1 outputs a network starts with: the squared error and its gradients are on that scale`
        : firstSentence(c.summary),
  },
});
