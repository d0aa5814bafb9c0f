import { finiteOrNull, fmt, pct, trainingCurve } from '../../checks/helpers.ts';
import { num, pct0, sig } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { ControlEvidence, TaskEvidence, TrainingEvidence } from '../../core/evidence.ts';
import { immediate, spanOf } from '../../core/live.ts';
import { normalizeLossName } from '../../core/names.ts';
import { edgeMeans } from '../../core/stats.ts';
import type DeadRelu from '../activations/dead-relu.ts';
import type Saturation from '../activations/saturation.ts';
import type OverfitSmall from '../inputs/overfit-small.ts';
import type StandardCorpus from '../inputs/standard-corpus.ts';
import type GradientFlow from '../other/gradient-flow.ts';
import type UpdateRatio from '../other/update-ratio.ts';
import { clipCode, experimentsHint, frameworkOf, learningRateCode } from '../remedy-code.ts';
import type Overfitting from './overfitting.ts';

const CROSS_ENTROPY = new Set([
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'binary_crossentropy',
]);

/**
 * A classifier whose loss sits at ln k (uniform predictions over k classes) with an accuracy near
 * 1/k has learned nothing. k comes from the task when known (cross-entropy losses), else from the
 * loss itself — but then only with an accuracy series to confirm it: a regression loss may sit
 * near ln 2 by chance, an accuracy at 1/k may not.
 */
function atChance(
  training: TrainingEvidence,
  task: TaskEvidence | undefined,
  lastLoss: number,
  t: { chanceTolerance: number; chanceAccuracyMargin: number },
): { classes: number; chanceLoss: number; accuracy: number | null } | null {
  const accuracySeries = training.accuracy ?? training.valAccuracy;
  const accuracies = accuracySeries?.values.filter(Number.isFinite) ?? [];
  const accuracy = accuracies.length ? accuracies[accuracies.length - 1] : null;
  let classes: number | null = null;
  if (task) {
    if (task.kind !== 'classification' || !CROSS_ENTROPY.has(normalizeLossName(task.loss))) return null;
    classes = task.classes && task.classes >= 2 ? task.classes : null;
  } else if (accuracy !== null) {
    const k = Math.round(Math.exp(lastLoss));
    classes = k >= 2 && k <= 10_000 ? k : null;
  }
  if (classes === null || !(lastLoss > 0)) return null;
  const chanceLoss = Math.log(classes);
  if (Math.abs(lastLoss - chanceLoss) > t.chanceTolerance * chanceLoss) return null;
  if (accuracy !== null && accuracy > 1 / classes + t.chanceAccuracyMargin) return null;
  if (accuracy === null && !task) return null;
  return { classes, chanceLoss, accuracy };
}

/**
 * Who learned the control corpus: the user's own setup, or (only tried when it did not) the same
 * architecture with the reference optimizer (Adam 1e-3).
 */
function controlLearning(
  control: ControlEvidence,
): { by: 'own' | 'reference'; step: number; lr: number | null } | null {
  if (control.learnedAtStep !== undefined && control.learnedAtStep !== null)
    return { by: 'own', step: control.learnedAtStep, lr: null };
  const ref = control.reference;
  if (ref && ref.learnedAtStep !== null)
    return { by: 'reference', step: ref.learnedAtStep, lr: ref.learningRate };
  return null;
}

/** What `evaluate` may give as its reason (declared below as `reasons`). */
const REASONS = [
  'too-few-steps',
  'too-high',
  'flat-at-chance',
  'diverged-no-sweep',
  'flat-no-sweep',
  'slow',
  'diverged',
  'flat',
  'no-lr-works',
  'diverged-reference-learns',
  'flat-control-learns',
] as const;

export default defineCheck({
  id: 'loss/learning-rate',
  section: 'loss',
  title: 'Loss drops at the configured learning rate',
  why: 'Too high a learning rate makes the loss diverge or bounce; too low leaves it flat. An LR range test shows where a working rate lies.',
  needs: ['training'],
  // Also reads `overfit` (a flat run whose setup fits 50 records is slow, not broken) and `control`
  // (a sweep that found no working rate must not contradict a control corpus learned at a rate):
  // declared, so that --only loss/learning-rate judges on the same evidence as the full checkup.
  uses: ['lrSweep', 'task', 'overfit', 'control'],
  plot: { id: 'lr-sweep', lines: {} },
  reasons: REASONS,
  // Among causes (core/diagnosis.ts): Above the unit checks: a diverging LR also kills ReLUs and
  // saturates units during training, while units that are dead from the start leave no LR working
  // (learning-rate then only warns).
  causeRank: 80,
  live: ({ measured: m }) => {
    if (m.nonFiniteStep !== null && m.nonFiniteStep !== undefined)
      return immediate('the loss became NaN/Inf: raised at once');
    if (m.trend === 'diverged')
      return {
        kind: 'confirmed',
        counter: 'lossPoints',
        minPoints: 50,
        fresh: 10,
        span: spanOf(20, 0.1),
        words:
          'the loss stayed above 1.5× its start for max(20 steps, 10% of the run) after it was first seen',
      };
    // Flat: every run is flat for a while; only a loss flat for half again as long counts. The
    // words do not call a loss that rose "flat" (issue 20, class 10), and stay one rule's words
    // whichever way it wobbles (a change of words restarts the wait, live-checks.ts).
    return {
      kind: 'confirmed',
      counter: 'lossPoints',
      minPoints: 200,
      fresh: 50,
      span: spanOf(200, 0.5),
      words:
        'the loss did not decrease (flat, or above its start) on ≥ 200 steps, from the step it was first seen until 50% (at least 200 steps) later',
    };
  },
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
    chanceTolerance: {
      value: 0.03,
      meaning:
        'a flat cross-entropy within this relative distance of ln(classes) sits at chance (fail: nothing is learned)',
      source: 'uniform predictions over k classes give cross-entropy ln k (TheDeepChecker initial-loss test)',
    },
    chanceAccuracyMargin: {
      value: 0.1,
      meaning: 'an accuracy at most this far above 1/classes confirms the loss sits at chance',
      source: 'uniform predictions over k classes give accuracy 1/k',
    },
  },
  evaluate({ training, lrSweep, task, overfit, control }, t) {
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
    // A rate far too high blows the loss up within the first steps: the first window's mean is
    // then already far above the loss before any update, and a run that never comes back below
    // that loss diverged, however flat it looks from its first window on.
    const initialLoss =
      training.initialLoss !== undefined && Number.isFinite(training.initialLoss) && training.initialLoss > 0
        ? training.initialLoss
        : null;
    // Against the larger of that loss and a classifier's chance loss: a trained model being
    // fine-tuned (watch) starts near 0, where a small rise is no blow-up.
    const chanceScale =
      task?.kind === 'classification' && task.classes && task.classes >= 2 ? Math.log(task.classes) : 0;
    const blewUpEarly =
      initialLoss !== null &&
      first > t.divergeFactor * Math.max(initialLoss, chanceScale) &&
      !(last < initialLoss);
    // The sweep's best LR (lowest loss; the suggestion is a decade under it): past it the loss
    // climbs toward divergence.
    const bestLr = lrSweep?.suggestedLr ? lrSweep.suggestedLr * 10 : null;
    const diverged =
      nonFiniteStep !== null || !Number.isFinite(last) || last > t.divergeFactor * first || blewUpEarly;
    const flat = !diverged && relativeDrop < t.flatDrop;
    const trend = diverged ? 'diverged' : flat ? 'flat' : 'decreasing';
    const measured = {
      trend,
      relativeDrop: finiteOrNull(relativeDrop),
      firstLoss: finiteOrNull(first),
      lastLoss: finiteOrNull(last),
      initialLoss,
      blewUpEarly,
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
    // Without an LR range test (a training log), a flat loss at chance is a learning failure to
    // fail on. With one, the sweep says whether the LR is the cause: when no LR works, the other
    // experiments (overfit-50, control corpus, shuffled labels) name the cause, and this only warns.
    const chance = flat && !lrSweep ? atChance(training, task, last, t) : null;
    if (chance) {
      return {
        status: 'fail',
        measured: {
          ...measured,
          classes: chance.classes,
          chanceLoss: chance.chanceLoss,
          finalAccuracy: chance.accuracy,
        },
        reason: 'flat-at-chance',
      };
    }
    if (!lrSweep)
      return {
        status: diverged ? 'fail' : 'warn',
        measured,
        reason: diverged ? 'diverged-no-sweep' : 'flat-no-sweep',
      };
    const sweepWorks = suggestedLr !== null && lrSweep.minLoss < t.workingLossRatio * lrSweep.startLoss;
    // Flat over this short run, but the same setup fits the 50-record set (or still is when its
    // budget ran out): the LR is slow for this data, not broken — a warn with the sweep's LR.
    const learnsElsewhere =
      overfit !== undefined && (overfit.stopped === 'target' || overfit.stopped === 'cap');
    if (sweepWorks && flat && learnsElsewhere) return { status: 'warn', measured, reason: 'slow' };
    if (sweepWorks) return { status: 'fail', measured, reason: diverged ? 'diverged' : 'flat' };
    // The sweep found no working rate within its budget, but the control corpus says otherwise:
    // the verdict must not contradict it.
    const learnedControl = control ? controlLearning(control) : null;
    if (diverged && learnedControl?.by === 'reference')
      return {
        status: 'fail',
        measured: { ...measured, controlLearnedAtStep: learnedControl.step, referenceLr: learnedControl.lr },
        reason: 'diverged-reference-learns',
      };
    if (flat && learnedControl?.by === 'own')
      return {
        status: 'warn',
        measured: { ...measured, controlLearnedAtStep: learnedControl.step },
        reason: 'flat-control-learns',
      };
    return { status: 'warn', measured, reason: 'no-lr-works' };
  },
  explain({ measured, reason }, evidence, t) {
    const { training, overfit } = evidence;
    const fw = frameworkOf(evidence);
    const setLr = (lr: string) => learningRateCode(fw, training.optimizer ?? null, lr);
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
        ? measured.blewUpEarly === true && measured.nonFiniteStep === null
          ? `the loss blew up within the first ${pct(t.windowFraction)} of steps, from ${fmt(Number(measured.initialLoss))} before any update to a mean of ${fmt(Number(measured.firstLoss))}, and ended at ${fmt(Number(measured.lastLoss))}, never back below its start (diverged: above ${t.divergeFactor}× the start)`
          : measured.nonFiniteStep !== null
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
          remedy: `Lower the learning rate to about ${suggested ?? fmt(Number(measured.sweepBestLr) / 10)} (the range test's pick, a decade under its best) — e.g. ${setLr(suggested ?? fmt(Number(measured.sweepBestLr) / 10))}; a rate this close to divergence overshoots, kills ReLU units and makes training erratic.`,
          details: sweepNote.trim(),
        };
      case 'flat-at-chance': {
        const k = Number(measured.classes);
        const acc =
          measured.finalAccuracy === null || measured.finalAccuracy === undefined
            ? ''
            : ` and accuracy ${pct(Number(measured.finalAccuracy))} (chance ${pct(1 / k)})`;
        return {
          summary: `At ${lr} the loss stays flat at ${fmt(Number(measured.lastLoss))} ≈ ln ${k} = ${fmt(Number(measured.chanceLoss))}${acc}: the model predicts at chance over ${k} classes and learns nothing (fell by only ${drop}, flat below ${pct(t.flatDrop)}).`,
          remedy: `Nothing is being learned: check that inputs and labels stay aligned (shuffled together, right label column), that the output layer matches the loss (softmax/sigmoid with cross-entropy), and that the learning rate is neither far too low (raise it 10×) nor so high that the model collapses to the prior; ${experimentsHint(fw, 'the controlled experiments (overfit 50 records, a control corpus, an LR range test)')}.`,
          details: sweepNote.trim() || undefined,
        };
      }
      case 'diverged':
      case 'flat':
        return {
          summary: `At ${lr} ${trend}; the LR range test finds a working LR at ${suggested}.`,
          remedy: `Set the learning rate to about ${suggested}${measured.configuredLr === null ? '' : ` (now ${fmt(Number(measured.configuredLr))})`} — e.g. ${setLr(String(suggested))} — and re-run; decay it later in training if needed.`,
          details: sweepNote.trim(),
        };
      case 'slow':
        return {
          summary: `At ${lr} ${trend}, though the same setup does fit 50 records (${overfit ? `in ${overfit.steps} steps` : 'see inputs/overfit-small'}): slow on the full data, not stuck; the LR range test finds a working LR at ${suggested}.`,
          remedy: `Training will take many steps at ${lr}: try about ${suggested} (${setLr(String(suggested))}), or keep the rate and budget more epochs.`,
          details: sweepNote.trim(),
        };
      case 'diverged-no-sweep':
        return {
          summary: `At ${lr} ${trend}.`,
          remedy: `Lower the learning rate 3–10× (or ${experimentsHint(fw)}), clip the gradients (${clipCode(fw)}), and make sure the inputs are normalized.`,
        };
      case 'flat-no-sweep':
        return {
          summary: `At ${lr} ${trend}.`,
          remedy: `Raise the learning rate 3–10× (or ${experimentsHint(fw)}); if the loss still does not move, look at gradient flow and the data.`,
        };
      case 'diverged-reference-learns':
        return {
          summary: `At ${lr} ${trend}. The LR range test found no working rate within its budget, but the same architecture with Adam at ${fmt(Number(measured.referenceLr))} learned the control corpus (in ${measured.controlLearnedAtStep} steps) where your setting did not: the rate is too high.`,
          remedy: `Lower the learning rate — Adam at ${fmt(Number(measured.referenceLr))} trains this architecture (${learningRateCode(fw, 'Adam', fmt(Number(measured.referenceLr)))}); then clip the gradients (${clipCode(fw)}) if the loss still spikes.`,
          details: sweepNote.trim() || undefined,
        };
      case 'flat-control-learns':
        return {
          summary: `At ${lr} ${trend}, yet the same setup learned the control corpus in ${measured.controlLearnedAtStep} steps: slow on this data at this rate, not broken (the LR range test found no better rate within its budget).`,
          remedy:
            measured.configuredLr === null
              ? 'Budget more steps, or try a rate 3× higher and compare.'
              : `Budget more steps at ${lr}, or try a rate 3× higher (${setLr(fmt(Number(measured.configuredLr) * 3))}) and compare.`,
          details: sweepNote.trim() || undefined,
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
  causes: {
    // Dead or saturated units follow from this check only through the measured link below: a loss
    // flat at chance (LR too low) kills no unit, so a failing check alone does not explain them.
    effects: [
      'other/exploding-gradients',
      'loss/non-finite',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'other/update-ratio',
      'loss/steep-drop',
      'loss/overfitting',
      'model/simplify',
    ],
    measured: (link) => [
      link<typeof DeadRelu>('activations/dead-relu', (c, e) => killedDuringRun(c, e, 'dead')),
      link<typeof Saturation>('activations/saturation', (c, e) => killedDuringRun(c, e, 'saturated')),
      link<typeof OverfitSmall>('inputs/overfit-small', (c, e) =>
        lrTooHigh(c) && (num(e.measured.lossRatio) > 1 || !Number.isFinite(num(e.measured.finalLoss)))
          ? `the 50-record run's loss rose from ${sig(e.measured.initialLoss)} to ${sig(e.measured.finalLoss)} at ${lrWords(c)}: updates overshoot`
          : null,
      ),
      link<typeof Overfitting>('loss/overfitting', (c) =>
        lrTooHigh(c)
          ? `the validation loss turned up while training at ${lrWords(c)}, close to divergence`
          : null,
      ),
      // "Updates too small: raise the LR" beside a learning rate too high points the opposite way:
      // the small updates are units the high rate stalled (issue 20, class 10).
      link<typeof UpdateRatio>('other/update-ratio', (c, e) =>
        lrTooHigh(c) && num(e.measured.minMedian) < (e.thresholds.failBelow ?? Number.NEGATIVE_INFINITY)
          ? `at ${lrWords(c)} ${c.measured.trend === 'diverged' ? 'the run diverges' : num(c.measured.relativeDrop) < 0 ? 'the loss rises' : "the run is at or past the range test's best LR"}: the small updates of ${String(e.measured.minLayer)} come from units it stalled, not from a learning rate too low`
          : null,
      ),
      // A rate that blew training up saturates units and gates (an LSTM's sigmoids and tanhs): the
      // early layers' gradient then vanishes as its consequence. Only a failing, diverged LR: a
      // flat loss beside a vanishing gradient is the gradient's doing.
      link<typeof GradientFlow>('other/gradient-flow', (c) =>
        c.status === 'fail' && c.measured.trend === 'diverged'
          ? `training diverged at ${lrWords(c)}: updates that large saturate the units and gates, so the gradient reaching the early layers vanishes`
          : null,
      ),
      link<typeof StandardCorpus>('inputs/standard-corpus', (c, e) =>
        c.status !== 'pass' && typeof e.measured.referenceLearnedAtStep === 'number'
          ? `the same architecture learned the control corpus in ${e.measured.referenceLearnedAtStep} steps with Adam at 1e-3 but not at ${lrWords(c)}: the optimizer setting, not the architecture, holds it back`
          : null,
      ),
    ],
    generic: (c) =>
      `at ${lrWords(c)} ${c.measured.trend === 'diverged' ? 'training diverges' : num(c.measured.relativeDrop) < 0 ? 'the loss rises' : c.measured.trend === 'flat' ? 'the loss barely moves' : 'updates overshoot'}${c.measured.suggestedLr !== null && c.measured.suggestedLr !== undefined ? ` while the range test finds a working LR at ${sig(c.measured.suggestedLr)}` : ''}`,
  },
});

// Causal links (core/causes.ts). The helpers name the measured keys they read: a check whose
// evaluate no longer gives one fails to compile where the link passes its result.

/** What the links read of this check's numbers. */
interface LrNumbers {
  trend: unknown;
  relativeDrop: unknown;
  configuredLr: unknown;
  sweepBestLr: unknown;
}
/** What they read of dead-relu's and saturation's. */
interface UnitNumbers {
  startFraction: unknown;
  endFraction: unknown;
  worstLayer: unknown;
  worstSnapshot: unknown;
}

/** The learning rate is too high or diverges: at or past the range test's best LR. */
function lrTooHigh(r: { status: string; measured: LrNumbers }): boolean {
  return (
    r.measured.trend === 'diverged' ||
    // A loss that rose over the run (not merely flat): updates overshoot, with or without a sweep.
    (r.status !== 'pass' && num(r.measured.relativeDrop) < 0) ||
    (r.status === 'warn' &&
      r.measured.sweepBestLr !== undefined &&
      r.measured.configuredLr !== null &&
      num(r.measured.configuredLr) >= num(r.measured.sweepBestLr))
  );
}

function lrWords(r: { measured: LrNumbers }): string {
  return r.measured.configuredLr === null || r.measured.configuredLr === undefined
    ? 'the configured LR'
    : `LR ${sig(r.measured.configuredLr)}`;
}

/** Units dead or saturated at the end of the run, not at its start: killed by a too-high LR. */
function killedDuringRun(
  c: { status: string; measured: LrNumbers },
  e: { measured: UnitNumbers },
  what: 'dead' | 'saturated',
): string | null {
  if (!lrTooHigh(c)) return null;
  const { startFraction, endFraction, worstLayer, worstSnapshot } = e.measured;
  if (c.measured.trend === 'diverged') {
    return `training diverges at ${lrWords(c)}: the ${what} units of ${String(worstLayer)} are a symptom of the blow-up`;
  }
  if (worstSnapshot !== 'end' || typeof endFraction !== 'number') return null;
  const start = typeof startFraction === 'number' ? startFraction : 0;
  if (endFraction < start + 0.2) return null;
  const best = c.measured.sweepBestLr;
  return `the units of ${String(worstLayer)} were ${pct0(start)} ${what} at the start of the run and ${pct0(endFraction)} at its end: they were ${what === 'dead' ? 'killed' : 'saturated'} by updates at ${lrWords(c)}${best !== undefined && best !== null ? `, at or past the range test's best LR ${sig(best)}` : ''}`;
}
