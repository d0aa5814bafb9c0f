import { fmt, pct, trainingCurve } from '../../checks/helpers.ts';
import { firstSentence } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { Series, TrainingEvidence } from '../../core/evidence.ts';
import { immediate, spanOf } from '../../core/live.ts';
import { mean, windowSize } from '../../core/stats.ts';
import { maxOf } from '../../shared/array.ts';
import { batchNormCode, clipCode, frameworkOf } from '../remedy-code.ts';

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

/** What `evaluate` may give as its reason (declared below as `reasons`). */
const REASONS = [
  'not-logged',
  'non-finite',
  'all-zero',
  'growth-while-learning',
  'growth',
  'doubling',
] as const;

export default defineCheck({
  id: 'other/exploding-gradients',
  section: 'other',
  title: 'Gradients do not explode',
  why: 'Exploding gradients throw the weights far off in one step: the loss spikes or turns NaN and training never settles.',
  needs: ['training'],
  plot: { id: 'gradient-norms', lines: {} },
  reasons: REASONS,
  causeRank: 130,
  live: (detection) =>
    detection.reason === 'non-finite'
      ? immediate('a non-finite gradient is a fact: raised at once')
      : {
          kind: 'confirmed',
          counter: 'telemetryPoints',
          minPoints: 10,
          fresh: 2,
          span: spanOf(0, 0),
          words: 'held on ≥ 10 gradient measurements and on 2 more taken after it was first seen',
        },
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
    learningDrop: {
      value: 0.3,
      meaning:
        'growth while the training loss falls by at least this fraction over the same steps (from the last window with the norm near its initial value to the peak) is a model leaving a flat start, not an explosion: warn at most',
      source:
        'nn-doctor calibration: a healthy Embedding+LSTM grew its gradient norm 913× from 0.06 while its loss fell from 0.69 to 0.1',
    },
  },
  evaluate({ training }, t) {
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
    const max = maxOf(values);
    const maxStep = series.steps[values.indexOf(max)] ?? values.indexOf(max);
    const growthFactor = max / initial;
    const doublingRun = longestDoublingRun(windows);
    // Growth while the loss falls steeply over the same steps is a model leaving a flat start
    // (gradients begin near 0 and grow as it starts to learn), not an explosion: compare the loss
    // from the last window where the norm was still near its initial value to the peak's window.
    const maxWindow = Math.floor(values.indexOf(max) / w);
    let calm = 0;
    for (let k = 0; k < maxWindow; k++) if (windows[k] <= 2 * initial) calm = k;
    const curve = trainingCurve(training).series;
    const lossIn = (k: number) => {
      const lo = series.steps[k * w] ?? k * w;
      const hi = series.steps[Math.min(values.length, (k + 1) * w) - 1] ?? (k + 1) * w - 1;
      const inside = curve.values.filter(
        (_v, i) => (curve.steps[i] ?? i) >= lo && (curve.steps[i] ?? i) <= hi,
      );
      return inside.length && inside.every(Number.isFinite) ? mean(inside) : Number.NaN;
    };
    const before = lossIn(calm);
    const during = lossIn(maxWindow);
    const lossDrop =
      maxWindow > calm && Number.isFinite(before) && Number.isFinite(during) && before > 0
        ? (before - during) / before
        : null;
    const learning = lossDrop !== null && lossDrop >= t.learningDrop;
    const measured = { growthFactor, max, maxStep, initial, doublingRun, source, lossDrop };
    const exploding = growthFactor > t.failGrowth || doublingRun >= t.doublingWindows;
    if (learning && (exploding || growthFactor > t.warnGrowth))
      return { status: exploding ? 'warn' : 'pass', measured, reason: 'growth-while-learning' };
    if (growthFactor > t.failGrowth) return { status: 'fail', measured, reason: 'growth' };
    if (doublingRun >= t.doublingWindows) return { status: 'fail', measured, reason: 'doubling' };
    if (growthFactor > t.warnGrowth) return { status: 'warn', measured, reason: 'growth' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, evidence, t) {
    const fw = frameworkOf(evidence);
    if (reason === 'not-logged') {
      return {
        summary:
          'No gradient norms were recorded; log the global or per-layer gradient norms to judge explosion.',
        remedy: null,
      };
    }
    if (reason === 'all-zero')
      return { summary: 'Every recorded gradient norm is 0; see other/gradient-flow.', remedy: null };
    const remedy = `Clip the gradients at about 1–5× the initial norm (${clipCode(fw)}), lower the learning rate 3–10×, and normalize the inputs; batch normalization (${batchNormCode(fw)}) also tames gradient growth in deep stacks.`;
    if (reason === 'non-finite') {
      return {
        summary: `The gradient norm became ${measured.value} at step ${measured.nonFiniteStep}; expected finite norms throughout.`,
        remedy,
      };
    }
    const growth = `The gradient norm peaked at ${fmt(Number(measured.max))} (step ${measured.maxStep}), ${fmt(Number(measured.growthFactor))}× its initial ${fmt(Number(measured.initial))} (warn > ${fmt(t.warnGrowth)}×, fail > ${fmt(t.failGrowth)}×)`;
    if (reason === 'growth-while-learning') {
      return {
        summary: `${growth}${Number(measured.doublingRun) >= t.doublingWindows ? `, doubling ${measured.doublingRun} windows in a row` : ''}, while the training loss fell by ${pct(Number(measured.lossDrop))} over the same steps: the model is leaving a flat start, where gradients begin near 0, rather than exploding (judged as growth only when the loss does not fall by ${pct(t.learningDrop)}).`,
        remedy:
          status === 'pass'
            ? null
            : `Nothing is diverging now; if loss spikes appear later in training, clip gradients at a few times the typical norm (${fmt(Number(measured.max))} here): ${clipCode(fw, fmt(Number(measured.max)))}.`,
      };
    }
    if (reason === 'doubling') {
      return {
        summary: `${growth}, and it doubled ${measured.doublingRun} windows in a row (fail at ${t.doublingWindows}).`,
        remedy,
      };
    }
    const summary = `${growth}.`;
    return { summary, remedy: status === 'pass' ? null : remedy };
  },
  causes: {
    effects: ['loss/non-finite'],
    generic: (c) => `exploding gradients (${firstSentence(c.summary)}) overflow the weights`,
  },
});
