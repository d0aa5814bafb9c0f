import { finiteOrNull, fmt, pct, trainingCurve } from '../../checks/helpers.ts';
import { defineCheck } from '../../core/check.ts';
import { edgeMeans } from '../../core/stats.ts';

export default defineCheck({
  id: 'loss/learning-rate',
  section: 'loss',
  title: 'Loss drops at the configured learning rate',
  why: 'Too high a learning rate makes the loss diverge or bounce; too low leaves it flat. An LR range test shows where a working rate lies.',
  needs: ['training'],
  uses: ['lrSweep', 'overfit'],
  plot: 'lr-sweep',
  thresholds: {
    windowFraction: {
      value: 0.1,
      meaning: 'fraction of the steps averaged at the start and at the end of the run',
      source: 'checklist',
    },
    divergeFactor: {
      value: 1.5,
      meaning: 'diverged when the end-of-run loss exceeds this multiple of the start-of-run loss',
      source: 'checklist',
    },
    flatDrop: {
      value: 0.1,
      meaning: 'flat when the loss drops by less than this fraction of its start value',
      source: 'checklist; SageMaker Debugger LossNotDecreasing',
    },
    workingLossRatio: {
      value: 0.8,
      meaning: 'the sweep found a working LR when its lowest loss is below this fraction of its start loss',
      source: 'LR range test (Smith 2017)',
    },
  },
  evaluate({ training, lrSweep, overfit }, t) {
    const { series, name } = trainingCurve(training);
    const values = series.values;
    const firstBad = values.findIndex((v) => !Number.isFinite(v));
    const nonFiniteStep =
      training.nonFiniteStep ?? (firstBad >= 0 ? (series.steps[firstBad] ?? firstBad) : null);
    const configuredLr = training.learningRate ?? lrSweep?.configuredLr ?? null;
    const suggestedLr = lrSweep?.suggestedLr ?? null;
    const sweepMinRatio = lrSweep && lrSweep.startLoss > 0 ? lrSweep.minLoss / lrSweep.startLoss : null;
    if (values.length < 2 && nonFiniteStep === null) {
      return { status: 'skip', measured: { points: values.length }, reason: 'too-few-steps' };
    }
    const { first, last } = edgeMeans(values, t.windowFraction);
    const relativeDrop = first !== 0 ? (first - last) / Math.abs(first) : 0;
    // The sweep's best LR (lowest loss; the suggestion is a decade under it): past it the loss
    // climbs toward divergence.
    const bestLr = lrSweep?.suggestedLr ? lrSweep.suggestedLr * 10 : null;
    const diverged = nonFiniteStep !== null || !Number.isFinite(last) || last > t.divergeFactor * first;
    const flat = !diverged && relativeDrop < t.flatDrop;
    const trend = diverged ? 'diverged' : flat ? 'flat' : 'decreasing';
    const measured = {
      trend,
      relativeDrop: finiteOrNull(relativeDrop),
      firstLoss: finiteOrNull(first),
      lastLoss: finiteOrNull(last),
      curve: name,
      nonFiniteStep,
      configuredLr,
      suggestedLr,
      sweepMinRatio,
      sweepBestLr: bestLr,
      sweepDivergedAtLr: lrSweep?.divergedAtLr ?? null,
    };
    // The loss falls, but the LR sits past the range test's best, where the sweep's loss climbs
    // toward divergence: too high (units die, updates overshoot), a warn.
    const pastBest =
      configuredLr !== null &&
      bestLr !== null &&
      lrSweep !== undefined &&
      lrSweep.divergedAtLr !== null &&
      configuredLr >= bestLr;
    if (!diverged && !flat)
      return pastBest ? { status: 'warn', measured, reason: 'too-high' } : { status: 'pass', measured };
    if (!lrSweep) return { status: diverged ? 'fail' : 'warn', measured, reason: `${trend}-no-sweep` };
    const sweepWorks = suggestedLr !== null && lrSweep.minLoss < t.workingLossRatio * lrSweep.startLoss;
    // Flat over this short run, but the same setup fits the 50-record set (or still is when its
    // budget ran out): the LR is slow for this data, not broken — a warn with the sweep's LR.
    const learnsElsewhere =
      overfit !== undefined && (overfit.stopped === 'target' || overfit.stopped === 'cap');
    if (sweepWorks && flat && learnsElsewhere) return { status: 'warn', measured, reason: 'slow' };
    if (sweepWorks) return { status: 'fail', measured, reason: trend };
    return { status: 'warn', measured, reason: 'no-lr-works' };
  },
  explain({ measured, reason }, { training, overfit }, t) {
    const optimizer = (training.optimizer ?? 'adam').toLowerCase();
    if (reason === 'too-few-steps') {
      return {
        summary: 'Fewer than 2 loss values were recorded, so the loss trend cannot be judged.',
        remedy: null,
      };
    }
    const lr =
      measured.configuredLr === null ? 'the configured LR' : `LR ${fmt(Number(measured.configuredLr))}`;
    const suggested = measured.suggestedLr === null ? null : fmt(Number(measured.suggestedLr));
    const drop = measured.relativeDrop === null ? 'n/a' : pct(Number(measured.relativeDrop));
    // Not the initial loss of loss/initial-loss (one inference pass before any update): the
    // training loss averaged over the first and the last windows of the run.
    const span = `${fmt(Number(measured.firstLoss))} to ${fmt(Number(measured.lastLoss))} (training loss, mean of the first and last ${pct(t.windowFraction)} of steps)`;
    const trend =
      measured.trend === 'diverged'
        ? measured.nonFiniteStep !== null
          ? `the loss became NaN/Inf at step ${measured.nonFiniteStep}`
          : `the loss rose from ${span} (diverged: above ${t.divergeFactor}× the start)`
        : Number(measured.relativeDrop) < 0
          ? `the loss rose by ${pct(-Number(measured.relativeDrop))} from ${span} (not decreasing; diverged above ${t.divergeFactor}×)`
          : `the loss fell by only ${drop} (flat: below ${pct(t.flatDrop)})`;
    const sweepNote =
      measured.sweepMinRatio === null
        ? ''
        : ` The LR range test reached ${pct(Number(measured.sweepMinRatio))} of its start loss (working below ${pct(t.workingLossRatio)}).`;
    switch (reason) {
      case 'too-high':
        return {
          summary: `At ${lr} the loss fell by ${drop} from ${span}, but ${lr} is at or past the LR range test's best ${fmt(Number(measured.sweepBestLr))} (the sweep diverged at LR ${fmt(Number(measured.sweepDivergedAtLr))}): on the edge of divergence.`,
          remedy: `Lower the learning rate to about ${suggested ?? fmt(Number(measured.sweepBestLr) / 10)} (the range test's pick, a decade under its best) — e.g. tf.train.${optimizer}(${suggested ?? fmt(Number(measured.sweepBestLr) / 10)}); a rate this close to divergence overshoots, kills ReLU units and makes training erratic.`,
          details: sweepNote.trim(),
        };
      case 'diverged':
      case 'flat':
        return {
          summary: `At ${lr} ${trend}; the LR range test finds a working LR at ${suggested}.`,
          remedy: `Set the learning rate to about ${suggested}${measured.configuredLr === null ? '' : ` (now ${fmt(Number(measured.configuredLr))})`} — the optimizer's learningRate, e.g. tf.train.${optimizer}(${suggested}) — and re-run; decay it later in training if needed.`,
          details: sweepNote.trim(),
        };
      case 'slow':
        return {
          summary: `At ${lr} ${trend}, though the same setup does fit 50 records (${overfit ? `in ${overfit.steps} steps` : 'see inputs/overfit-small'}): slow on the full data, not stuck; the LR range test finds a working LR at ${suggested}.`,
          remedy: `Training will take many steps at ${lr}: try about ${suggested} (tf.train.${optimizer}(${suggested})), or keep the rate and budget more epochs.`,
          details: sweepNote.trim(),
        };
      case 'diverged-no-sweep':
        return {
          summary: `At ${lr} ${trend}.`,
          remedy:
            'Lower the learning rate 3–10× (or run nn-doctor check to get an LR range test), add gradient clipping (clipnorm / tf.clipByGlobalNorm), and make sure the inputs are normalized.',
        };
      case 'flat-no-sweep':
        return {
          summary: `At ${lr} ${trend}.`,
          remedy:
            'Raise the learning rate 3–10× (or run nn-doctor check to get an LR range test); if the loss still does not move, look at gradient flow and the data.',
        };
      case 'no-lr-works':
        return {
          summary: `At ${lr} ${trend}, and no LR in the range test does better (lowest sweep loss ${measured.sweepMinRatio === null ? 'n/a' : pct(Number(measured.sweepMinRatio))} of start, working below ${pct(t.workingLossRatio)}).`,
          remedy:
            'The learning rate is not the cause: look at the data (labels, normalization), the loss/output pairing, initialization and gradient flow.',
        };
    }
    const tail = suggested ? ` The LR range test suggests ${suggested}.` : '';
    return {
      summary: `At ${lr} the loss fell by ${drop} from ${span} (flat below ${pct(t.flatDrop)}, diverged above ${t.divergeFactor}×).${tail}`,
      remedy: null,
    };
  },
});
