import { fmt } from '../../checks/helpers.ts';
import { type Detection, defineCheck } from '../../core/check.ts';
import type { Series, TrainingEvidence } from '../../core/evidence.ts';
import { mean, windowSize } from '../../core/stats.ts';

/** Global gradient norm per step: recorded, or the L2 combination of the per-weight norms. */
function globalNorm(training: TrainingEvidence): { series: Series; source: 'global' | 'per-layer' } | null {
  if (training.gradNorm && training.gradNorm.values.length > 0)
    return { series: training.gradNorm, source: 'global' };
  const sumSquares = new Map<number, number>();
  for (const w of training.weights) {
    w.steps.forEach((step, i) => {
      const g = w.gradNorm[i];
      if (g === null || g === undefined) return;
      sumSquares.set(step, (sumSquares.get(step) ?? 0) + g * g);
    });
  }
  if (sumSquares.size === 0) return null;
  const steps = [...sumSquares.keys()].sort((a, b) => a - b);
  return {
    series: { steps, values: steps.map((s) => Math.sqrt(sumSquares.get(s) ?? 0)) },
    source: 'per-layer',
  };
}

/** Longest run of consecutive windows whose mean at least doubles the previous window's. */
function longestDoublingRun(windows: number[]): number {
  let run = 0;
  let longest = 0;
  for (let i = 1; i < windows.length; i++) {
    run = windows[i - 1] > 0 && windows[i] >= 2 * windows[i - 1] ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

export default defineCheck({
  id: 'other/exploding-gradients',
  section: 'other',
  title: 'Gradients do not explode',
  why: 'Exploding gradients throw the weights far off in one step: the loss spikes or turns NaN and training never settles.',
  needs: ['training'],
  plot: 'gradient-norms',
  thresholds: {
    warnGrowth: {
      value: 1e2,
      meaning: 'warn when the largest gradient norm exceeds this multiple of the initial norm',
      source: 'checklist',
    },
    failGrowth: {
      value: 1e3,
      meaning: 'fail when the largest gradient norm exceeds this multiple of the initial norm',
      source: 'checklist; TheDeepChecker, AUTOTRAINER',
    },
    doublingWindows: {
      value: 3,
      meaning: 'fail when the windowed gradient norm doubles this many windows in a row',
      source: 'checklist',
    },
    windowFraction: {
      value: 0.1,
      meaning: 'window length as a fraction of the recorded steps',
      source: 'checklist',
    },
  },
  evaluate({ training }, t): Detection {
    const norms = globalNorm(training);
    if (!norms) return { status: 'skip', measured: {}, reason: 'not-logged' };
    const { series, source } = norms;
    const values = series.values;
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      return {
        status: 'fail',
        measured: { nonFiniteStep: series.steps[bad] ?? bad, value: String(values[bad]), source },
        reason: 'non-finite',
      };
    }
    const w = windowSize(values.length, t.windowFraction);
    const windows: number[] = [];
    for (let i = 0; i < values.length; i += w) windows.push(mean(values.slice(i, i + w)));
    // The first window with any gradient is the baseline (an all-zero start is gradient-flow's finding).
    const initial = windows.find((m) => m > 0);
    if (initial === undefined) return { status: 'skip', measured: { source }, reason: 'all-zero' };
    const max = Math.max(...values);
    const maxStep = series.steps[values.indexOf(max)] ?? values.indexOf(max);
    const growthFactor = max / initial;
    const doublingRun = longestDoublingRun(windows);
    const measured = { growthFactor, max, maxStep, initial, doublingRun, source };
    if (growthFactor > t.failGrowth) return { status: 'fail', measured, reason: 'growth' };
    if (doublingRun >= t.doublingWindows) return { status: 'fail', measured, reason: 'doubling' };
    if (growthFactor > t.warnGrowth) return { status: 'warn', measured, reason: 'growth' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _evidence, t) {
    if (reason === 'not-logged') {
      return {
        summary:
          'No gradient norms were recorded; log the global or per-layer gradient norms to judge explosion.',
        remedy: null,
      };
    }
    if (reason === 'all-zero')
      return { summary: 'Every recorded gradient norm is 0; see other/gradient-flow.', remedy: null };
    const remedy =
      'Clip gradients (optimizer clipnorm, or tf.clipByGlobalNorm before applyGradients) at about 1–5× the initial norm, lower the learning rate 3–10×, and normalize the inputs; batchNormalization also tames gradient growth in deep stacks.';
    if (reason === 'non-finite') {
      return {
        summary: `The gradient norm became ${measured.value} at step ${measured.nonFiniteStep}; expected finite norms throughout.`,
        remedy,
      };
    }
    const growth = `The gradient norm peaked at ${fmt(Number(measured.max))} (step ${measured.maxStep}), ${fmt(Number(measured.growthFactor))}× its initial ${fmt(Number(measured.initial))} (warn > ${fmt(t.warnGrowth)}×, fail > ${fmt(t.failGrowth)}×)`;
    if (reason === 'doubling') {
      return {
        summary: `${growth}, and it doubled ${measured.doublingRun} windows in a row (fail at ${t.doublingWindows}).`,
        remedy,
      };
    }
    const summary = `${growth}.`;
    return { summary, remedy: status === 'pass' ? null : remedy };
  },
});
