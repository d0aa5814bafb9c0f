import { fmt, pct, trainingCurve } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { spanOf } from '../../core/live.ts';
import { mean, windowSize } from '../../core/stats.ts';

/** What `evaluate` may give as its reason (declared below as `reasons`). */
const REASONS = ['no-validation', 'too-few-points', 'negligible', 'both-rose'] as const;

export default defineCheck({
  id: 'loss/overfitting',
  section: 'loss',
  title: 'Validation loss follows the training loss',
  why: 'When the validation loss climbs while the training loss keeps falling, the model memorizes the training records instead of learning what generalizes.',
  needs: ['training'],
  plot: { id: 'loss-curve', lines: {} },
  reasons: REASONS,
  causeRank: 220,
  live: {
    kind: 'confirmed',
    counter: 'valPoints',
    minPoints: 4,
    fresh: 2,
    span: spanOf(0, 0),
    words: 'the validation loss stayed above its minimum at the next 2 validation measurements too',
  },
  thresholds: {
    riseRatio: {
      value: 0.1,
      meaning:
        'warn when the final validation loss is this fraction above its minimum while training loss still falls',
      source: 'checklist; early-stopping practice',
    },
    windowFraction: {
      value: 0.1,
      meaning: 'fraction of the training steps averaged to read the training loss at a point',
      source: 'checklist',
    },
    minAbsoluteRise: {
      value: 0.02,
      meaning:
        'ignore a rise smaller than this fraction of the run’s starting training loss (a validation loss near 0 doubles on noise)',
      source: 'nn-doctor calibration: healthy recurrent models fitted to ~0.003 showed +250% rises of 0.004',
    },
  },
  evaluate({ training }, t) {
    const val = training.valLoss;
    if (!val) return { status: 'skip', measured: {}, reason: 'no-validation' };
    const points = val.values.flatMap((v, i) =>
      Number.isFinite(v) ? [{ step: val.steps[i] ?? i, value: v }] : [],
    );
    if (points.length < 2)
      return { status: 'skip', measured: { valPoints: points.length }, reason: 'too-few-points' };
    const best = points.reduce((a, b) => (b.value < a.value ? b : a));
    const valEnd = points[points.length - 1].value;
    const valMin = best.value;
    const rise =
      valMin !== 0 ? (valEnd - valMin) / Math.abs(valMin) : valEnd > 0 ? Number.POSITIVE_INFINITY : 0;
    // Training loss around the step of the validation minimum, and at the end of the run.
    const { series } = trainingCurve(training);
    const train = series.values.flatMap((v, i) =>
      Number.isFinite(v) ? [{ step: series.steps[i] ?? i, value: v }] : [],
    );
    const w = windowSize(train.length, t.windowFraction);
    const upToBest = train.filter((p) => p.step <= best.step);
    const atBest = (upToBest.length ? upToBest.slice(-w) : train.slice(0, w)).map((p) => p.value);
    const trainAtValMin = atBest.length ? mean(atBest) : null;
    const trainEnd = train.length ? mean(train.slice(-w).map((p) => p.value)) : null;
    const trainFalling = trainAtValMin !== null && trainEnd !== null && trainEnd < trainAtValMin;
    const trainStart = train.length ? mean(train.slice(0, w).map((p) => p.value)) : null;
    const absoluteRise = valEnd - valMin;
    const negligible = trainStart !== null && trainStart > 0 && absoluteRise < t.minAbsoluteRise * trainStart;
    const measured = {
      rise,
      valMin,
      valMinStep: best.step,
      valEnd,
      trainAtValMin,
      trainEnd,
      trainFalling,
      absoluteRise,
      trainStart,
    };
    if (rise > t.riseRatio && trainFalling && !negligible) return { status: 'warn', measured };
    return {
      status: 'pass',
      measured,
      reason: rise > t.riseRatio ? (negligible ? 'negligible' : 'both-rose') : undefined,
    };
  },
  explain({ status, measured, reason }, _evidence, t) {
    if (reason === 'no-validation') {
      return {
        summary:
          'No validation loss was recorded; pass validation data (--val, or validationSplit) to judge overfitting.',
        remedy: null,
      };
    }
    if (reason === 'too-few-points') {
      return {
        summary: `Only ${measured.valPoints} finite validation loss values were recorded (needs ≥ 2).`,
        remedy: null,
      };
    }
    const rise = pct(Number(measured.rise));
    const summary = `Validation loss ends ${rise} above its minimum ${fmt(Number(measured.valMin))} at step ${measured.valMinStep} (warn > ${pct(t.riseRatio)} while training loss falls; training loss ${fmt(Number(measured.trainAtValMin))} → ${fmt(Number(measured.trainEnd))}).`;
    if (status === 'pass') {
      if (reason === 'negligible') {
        return {
          summary: `Validation loss ends ${rise} above its minimum ${fmt(Number(measured.valMin))}, but that is a rise of only ${fmt(Number(measured.absoluteRise))}, under ${pct(t.minAbsoluteRise)} of the starting training loss ${fmt(Number(measured.trainStart))}: noise around a loss near 0, not overfitting.`,
          remedy: null,
        };
      }
      if (reason === 'both-rose') {
        return {
          summary: `Validation loss ends ${rise} above its minimum ${fmt(Number(measured.valMin))} at step ${measured.valMinStep}, but the training loss rose too (${fmt(Number(measured.trainAtValMin))} → ${fmt(Number(measured.trainEnd))}): that is divergence, not overfitting (see loss/learning-rate).`,
          remedy: null,
        };
      }
      return { summary, remedy: null };
    }
    return {
      summary,
      remedy: `Stop training near step ${measured.valMinStep} (early stopping on val_loss, restoring the best weights), and add regularization (dropout, L2 weight decay), data augmentation or more training records; a smaller model also overfits less.`,
    };
  },
  causes: noCauses,
});
