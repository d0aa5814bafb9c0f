import { finiteValues, fmt, pct } from '../../checks/helpers.ts';
import { firstSentence } from '../../core/causes.ts';
import { defineCheck, type Measured } from '../../core/check.ts';
import type {
  ControlEvidence,
  OverfitEvidence,
  TaskEvidence,
  TrainingEvidence,
} from '../../core/evidence.ts';
import { spanOf } from '../../core/live.ts';
import { mean } from '../../core/stats.ts';

type Penalty =
  | { reason: 'not-logged' | 'no-regularization' | 'no-data-loss'; measured: null }
  | { reason: null; measured: { ratio: number; meanRegLoss: number; meanDataLoss: number } };

/** Mean regularization loss / mean data loss, or why it cannot be measured. */
function penaltyRatio(training: TrainingEvidence): Penalty {
  const regLoss = training.regLoss;
  if (!regLoss || regLoss.values.length === 0) return { reason: 'not-logged', measured: null };
  const reg = finiteValues(regLoss.values);
  if (reg.every((v) => v === 0)) return { reason: 'no-regularization', measured: null };
  const data = finiteValues(dataLossValues(training));
  if (data.length === 0) return { reason: 'no-data-loss', measured: null };
  const meanRegLoss = mean(reg);
  const meanDataLoss = mean(data);
  const ratio = meanDataLoss > 0 ? meanRegLoss / meanDataLoss : Number.POSITIVE_INFINITY;
  return { reason: null, measured: { ratio, meanRegLoss, meanDataLoss } };
}

/** Data loss per step: recorded, or total loss minus regularization loss at the same steps. */
function dataLossValues(training: TrainingEvidence): number[] {
  if (training.dataLoss && training.dataLoss.values.length > 0) return training.dataLoss.values;
  const regLoss = training.regLoss ?? { steps: [], values: [] };
  const reg = new Map(regLoss.steps.map((s, i) => [s, regLoss.values[i]] as const));
  return training.loss.steps.flatMap((s, i) => {
    const r = reg.get(s);
    return r === undefined ? [] : [training.loss.values[i] - r];
  });
}

/** Dropout layers and rates the overfit test switched off (`dropout_1 (rate 0.9)`), by layer. */
export function dropoutRates(removed: readonly string[]): { layer: string; rate: number }[] {
  return removed.flatMap((r) => {
    const m = /^(.*) \(rate ([\d.eE+-]+)\)$/.exec(r);
    return m && Number(m[2]) > 0 ? [{ layer: m[1], rate: Number(m[2]) }] : [];
  });
}

/** The overfit test (regularization off) memorized its records, as inputs/overfit-small judges it. */
function memorized(overfit: OverfitEvidence, task: TaskEvidence | undefined): boolean {
  if (!Number.isFinite(overfit.finalLoss)) return false;
  if (task?.kind === 'classification' && overfit.finalAccuracy !== null)
    return overfit.finalAccuracy >= Math.min(1, overfit.achievableAccuracy ?? 1) - 1e-9;
  return overfit.initialLoss > 0 && overfit.finalLoss / overfit.initialLoss <= 0.05;
}

/**
 * The control corpus stayed near chance with regularization on (a slow run that learns part of
 * it is not this), and the reference optimizer did not learn it either.
 */
function controlNotLearned(
  control: ControlEvidence,
  t: { controlLossRatio: number; nearChance: number },
): boolean {
  const learned = (loss: number) => loss <= t.controlLossRatio * control.chanceLoss;
  const nearChance = !(control.finalLoss < t.nearChance * control.chanceLoss);
  return nearChance && !(control.reference && learned(control.reference.finalLoss));
}

/**
 * Dropout judged by contrast: the overfit test (dropout off) memorizes its records, the control
 * corpus (dropout on) is not learned. Null when the evidence for the contrast is missing.
 */
function judgeDropout(
  overfit: OverfitEvidence | undefined,
  control: ControlEvidence | undefined,
  task: TaskEvidence | undefined,
  t: { controlLossRatio: number; nearChance: number; minDropout: number },
) {
  const rates = dropoutRates(overfit?.removed ?? []);
  if (!overfit || !control || rates.length === 0) return null;
  const offLearns = memorized(overfit, task);
  const onFails = controlNotLearned(control, t);
  const measured = {
    dropoutLayers: rates.map((r) => r.layer).join(', '),
    dropoutRates: rates.map((r) => r.rate),
    maxDropout: Math.max(...rates.map((r) => r.rate)),
    overfitLossRatio: overfit.initialLoss > 0 ? overfit.finalLoss / overfit.initialLoss : null,
    overfitAccuracy: overfit.finalAccuracy,
    controlLossRatio: control.chanceLoss > 0 ? control.finalLoss / control.chanceLoss : null,
    controlAccuracy: control.finalAccuracy,
    controlChanceAccuracy: control.chanceAccuracy,
    offLearns,
    onLearns: !onFails,
  };
  return { failing: offLearns && onFails && measured.maxDropout >= t.minDropout, measured };
}

const rateList = (rates: unknown) =>
  Array.isArray(rates) ? rates.map((r) => fmt(Number(r))).join(', ') : '?';

/** The dropout contrast in words: overfit test (dropout off) against the control corpus (dropout on). */
function explainDropout(
  measured: Measured,
  reason: 'dropout' | 'dropout-fine',
  t: { controlLossRatio: number; nearChance: number; minDropout: number },
) {
  const rates = rateList(measured.dropoutRates);
  const off =
    measured.overfitAccuracy !== null
      ? `train accuracy ${pct(Number(measured.overfitAccuracy))}`
      : `loss at ${pct(Number(measured.overfitLossRatio))} of its start`;
  const on =
    measured.controlAccuracy !== null
      ? `held-out accuracy ${pct(Number(measured.controlAccuracy))} (chance ${pct(Number(measured.controlChanceAccuracy))})`
      : `held-out loss at ${pct(Number(measured.controlLossRatio))} of chance (learned ≤ ${pct(t.controlLossRatio)})`;
  if (reason === 'dropout-fine') {
    const why = measured.onLearns
      ? `with it on, the control corpus reached ${on}`
      : !measured.offLearns
        ? `with it off, the overfit test does not memorize its records either (${off})`
        : `a rate of ${fmt(Number(measured.maxDropout))} is below ${fmt(t.minDropout)}, too low to stop learning`;
    return {
      summary: `Dropout ${rates} (${measured.dropoutLayers}) is not what keeps the model from learning: ${why}.`,
      remedy: null,
    };
  }
  const max = Number(measured.maxDropout);
  const suggested = max > 0.5 ? 0.5 : Math.max(0.1, Math.round((max / 2) * 10) / 10);
  return {
    summary: `Dropout ${rates} (${measured.dropoutLayers}) keeps the model from learning: with dropout off the overfit test memorizes its records (${off}), with it on the control corpus stays near chance (${on}).`,
    remedy: `Lower the dropout rate${(measured.dropoutRates as number[]).length > 1 ? 's' : ''} of ${measured.dropoutLayers} from ${rates} to ${fmt(suggested)} or less (0.1–0.5 is typical; a rate of ${fmt(max)} drops ${pct(max)} of the units at every step), then raise it again only if the model overfits.`,
  };
}

export default defineCheck({
  id: 'loss/regularization',
  section: 'loss',
  title: 'Regularization does not dominate the loss',
  why: 'When the weight penalty is larger than the data loss, the optimizer mostly shrinks weights instead of fitting the data, and the model underfits.',
  needs: ['training'],
  uses: ['model', 'overfit', 'control', 'task'],
  plot: { id: 'loss-curve', lines: {} },
  reasons: ['not-logged', 'no-regularization', 'no-data-loss', 'dropout', 'dropout-fine'],
  // Among causes (core/diagnosis.ts): the penalty, not the data, is being minimized
  causeRank: 70,
  live: {
    kind: 'confirmed',
    counter: 'regPoints',
    minPoints: 5,
    fresh: 2,
    span: spanOf(50, 0.25),
    words: 'held on ≥ 5 measurements for max(50 steps, 25% of the run)',
  },
  thresholds: {
    warnRatio: {
      value: 1,
      meaning: 'warn when mean regularization loss / mean data loss exceeds this',
      source: 'checklist; TheDeepChecker regularization dominance',
    },
    failRatio: {
      value: 10,
      meaning: 'fail when mean regularization loss / mean data loss exceeds this',
      source: 'checklist',
    },
    controlLossRatio: {
      value: 0.5,
      meaning:
        'dropout: the control corpus counts as learned (with dropout on) at this fraction of its chance loss (inputs/standard-corpus’s maxLossRatio)',
      source: 'checklist',
    },
    nearChance: {
      value: 0.9,
      meaning:
        'dropout: the control run (dropout on) counts as not learning while its held-out loss stays above this fraction of the chance loss (inputs/standard-corpus fails below a 10% drop)',
      source:
        'inputs/standard-corpus minDrop: a slow run that learns part of the control is not blocked by dropout',
    },
    minDropout: {
      value: 0.5,
      meaning: 'dropout is named as the cause only at this rate or above (0.1–0.5 is the usual range)',
      source: 'Srivastava et al. 2014 (dropout 0.5 for hidden units, 0.2 for inputs)',
    },
  },
  evaluate({ training, overfit, control, task }, t) {
    // Dropout adds no penalty to the loss: it is judged by contrast, the overfit test (dropout
    // off) learning and the control corpus (dropout on) not.
    const dropout = judgeDropout(overfit, control, task, t);
    const penalty = penaltyRatio(training);
    if (penalty.measured) {
      const measured = { ...penalty.measured, ...(dropout?.measured ?? {}) };
      if (penalty.measured.ratio > t.failRatio) return { status: 'fail', measured };
      if (dropout?.failing) return { status: 'fail', measured, reason: 'dropout' };
      if (penalty.measured.ratio > t.warnRatio) return { status: 'warn', measured };
      return { status: 'pass', measured };
    }
    if (dropout?.failing) return { status: 'fail', measured: dropout.measured, reason: 'dropout' };
    if (dropout) return { status: 'pass', measured: dropout.measured, reason: 'dropout-fine' };
    return { status: 'skip', measured: {}, reason: penalty.reason ?? 'not-logged' };
  },
  explain({ status, measured, reason }, { model }, t) {
    if (reason === 'not-logged') {
      return {
        summary:
          'No regularization loss was recorded (none configured, or not logged apart from the data loss).',
        remedy: null,
      };
    }
    if (reason === 'no-regularization')
      return { summary: 'No regularization: the regularization loss is zero throughout.', remedy: null };
    if (reason === 'no-data-loss') {
      return { summary: 'The data loss could not be told apart from the regularization loss.', remedy: null };
    }
    if (reason === 'dropout' || reason === 'dropout-fine') return explainDropout(measured, reason, t);
    const ratio = Number(measured.ratio);
    const summary = `Regularization loss averages ${fmt(Number(measured.meanRegLoss))}, ${fmt(ratio)}× the data loss ${fmt(Number(measured.meanDataLoss))} (warn > ${t.warnRatio}, fail > ${t.failRatio}).`;
    if (status === 'pass') return { summary, remedy: null };
    const regularizers = (model?.regularization ?? []).filter((r) => !/dropout/i.test(r));
    const which = regularizers.length ? ` (${regularizers.join(', ')})` : '';
    const factor = Number.isFinite(ratio) ? Math.max(10, 10 ** Math.ceil(Math.log10(ratio))) : 100;
    return {
      summary,
      remedy: `Reduce the kernel/activity regularizer strengths${which} about ${factor}× (e.g. l2 0.01 → ${fmt(0.01 / factor)}), then raise them again only if the model overfits.`,
    };
  },
  causes: {
    effects: [
      'loss/learning-rate',
      'inputs/label-signal',
      'inputs/standard-corpus',
      'model/simplify',
      'other/update-ratio',
    ],
    generic: (c) =>
      // The dropout contrast: learns with dropout off, not with it on.
      c.measured.offLearns === true && c.measured.onLearns === false && !(Number(c.measured.ratio) > 10)
        ? `dropout ${Array.isArray(c.measured.dropoutRates) ? c.measured.dropoutRates.join(', ') : ''} keeps the network from learning: with it off the overfit test memorizes its records, with it on the control corpus stays near chance`
        : `the regularization penalty, not the data, is what training minimizes (${firstSentence(c.summary)})`,
  },
});
