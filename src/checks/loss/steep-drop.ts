import { fmt, pct, trainingCurve } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { mean, windowSize } from '../../core/stats.ts';

/** What `evaluate` may give as its reason (declared below as `reasons`). */
const REASONS = ['too-few-points', 'non-finite', 'no-drop'] as const;

export default defineCheck({
  id: 'loss/steep-drop',
  section: 'loss',
  title: 'Loss keeps falling after the first steep drop',
  why: 'A loss that falls steeply in the first few steps and then stalls usually means the initial weights were poorly scaled: the first updates only undo the bad init, then units are stuck (saturated or dead).',
  needs: ['training'],
  plot: { id: 'loss-curve', lines: {} },
  reasons: REASONS,
  causeRank: 240,
  live: {
    kind: 'final',
    words: 'judged on the whole run only: mid-run every healthy curve has just dropped steeply',
  },
  thresholds: {
    minPoints: {
      value: 20,
      meaning: 'judge only curves with at least this many loss values',
      source: 'checklist',
    },
    earlyFraction: {
      value: 0.1,
      meaning: 'the "early" part of the run, as a fraction of its steps',
      source: 'checklist',
    },
    earlyShare: {
      value: 0.8,
      meaning: 'warn when the early part holds at least this share of the total drop (and the rest is flat)',
      source: 'checklist',
    },
    minDrop: {
      value: 0.05,
      meaning:
        'judge the shape only when the loss fell overall by at least this fraction of its first value (a share of a near-zero drop means nothing)',
      source:
        'nn-doctor calibration: a real Keras regression that learned nothing (loss 1.02e5 → 1.02e5, 0.1% lower) read as "169% of the drop in the first 10% of steps"',
    },
    flatRest: {
      value: 0.05,
      meaning:
        'the rest is flat when it drops less than this fraction of the loss at the end of the early part',
      source: 'checklist',
    },
  },
  evaluate({ training }, t) {
    const { series, name } = trainingCurve(training);
    const values = series.values;
    const n = values.length;
    if (n < t.minPoints) return { status: 'skip', measured: { points: n }, reason: 'too-few-points' };
    if (values.some((v) => !Number.isFinite(v)))
      return { status: 'skip', measured: { points: n }, reason: 'non-finite' };
    // Loss "at 10%": mean of a window centred there, half a window (5% of steps) either side.
    const at = Math.round(n * t.earlyFraction);
    const half = Math.max(1, Math.round((n * t.earlyFraction) / 2));
    const lossAtEarly = mean(values.slice(Math.max(1, at - half), Math.min(n, at + half + 1)));
    const startLoss = values[0];
    const endLoss = mean(values.slice(n - windowSize(n, t.earlyFraction)));
    const totalDrop = startLoss - endLoss;
    if (!(totalDrop > 0) || totalDrop < t.minDrop * Math.abs(startLoss))
      return { status: 'skip', measured: { startLoss, endLoss, curve: name }, reason: 'no-drop' };
    const earlyShare = (startLoss - lossAtEarly) / totalDrop;
    const restRelativeDrop = lossAtEarly !== 0 ? (lossAtEarly - endLoss) / Math.abs(lossAtEarly) : 0;
    const measured = { earlyShare, restRelativeDrop, startLoss, lossAtEarly, endLoss, curve: name };
    if (earlyShare >= t.earlyShare && restRelativeDrop < t.flatRest) return { status: 'warn', measured };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _evidence, t) {
    if (reason === 'too-few-points') {
      return {
        summary: `Only ${measured.points} loss values were recorded (needs ≥ ${t.minPoints}) to judge the curve's shape.`,
        remedy: null,
      };
    }
    if (reason === 'non-finite')
      return { summary: 'The loss has NaN/Inf values; see loss/non-finite.', remedy: null };
    if (reason === 'no-drop') {
      return {
        summary: `The loss did not drop overall by ${pct(t.minDrop)} or more (first training step ${fmt(Number(measured.startLoss))} → mean of the last steps ${fmt(Number(measured.endLoss))}), so there is no drop to judge the shape of; see loss/learning-rate.`,
        remedy: null,
      };
    }
    const share = pct(Number(measured.earlyShare));
    const rest = pct(Number(measured.restRelativeDrop));
    const summary = `${share} of the total drop happens in the first ${pct(t.earlyFraction)} of steps (warn ≥ ${pct(t.earlyShare)}), then the loss falls a further ${rest} from ${fmt(Number(measured.lossAtEarly))} to ${fmt(Number(measured.endLoss))} (flat below ${pct(t.flatRest)}).`;
    if (status === 'pass') {
      // Say which half of the rule keeps it a pass, rather than quote a crossed threshold bare.
      const why =
        Number(measured.earlyShare) >= t.earlyShare
          ? ` A steep start alone is normal: the loss keeps falling afterwards (${rest}, flat only below ${pct(t.flatRest)}).`
          : '';
      return { summary: `${summary}${why}`, remedy: null };
    }
    return {
      summary,
      remedy:
        'Re-initialize with a fan-based initializer suited to the activation (heNormal for ReLU, glorotUniform for tanh/sigmoid) and zero biases, normalize the inputs, and look at activations/saturation and activations/dead-relu for units stuck after the first steps; a lower learning rate for the first steps (warmup) also helps.',
    };
  },
  causes: noCauses,
});
