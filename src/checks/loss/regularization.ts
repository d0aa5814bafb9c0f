import { finiteValues, fmt } from '../../checks/helpers.ts';
import { firstSentence } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { TrainingEvidence } from '../../core/evidence.ts';
import { spanOf } from '../../core/live.ts';
import { mean } from '../../core/stats.ts';

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

export default defineCheck({
  id: 'loss/regularization',
  section: 'loss',
  title: 'Regularization does not dominate the loss',
  why: 'When the weight penalty is larger than the data loss, the optimizer mostly shrinks weights instead of fitting the data, and the model underfits.',
  needs: ['training'],
  uses: ['model'],
  plot: { id: 'loss-curve', lines: {} },
  reasons: ['not-logged', 'no-regularization', 'no-data-loss'],
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
  },
  evaluate({ training }, t) {
    const regLoss = training.regLoss;
    if (!regLoss || regLoss.values.length === 0)
      return { status: 'skip', measured: {}, reason: 'not-logged' };
    const reg = finiteValues(regLoss.values);
    if (reg.every((v) => v === 0)) return { status: 'skip', measured: {}, reason: 'no-regularization' };
    const data = finiteValues(dataLossValues(training));
    if (data.length === 0) return { status: 'skip', measured: {}, reason: 'no-data-loss' };
    const meanRegLoss = mean(reg);
    const meanDataLoss = mean(data);
    const ratio = meanDataLoss > 0 ? meanRegLoss / meanDataLoss : Number.POSITIVE_INFINITY;
    const measured = { ratio, meanRegLoss, meanDataLoss };
    if (ratio > t.failRatio) return { status: 'fail', measured };
    if (ratio > t.warnRatio) return { status: 'warn', measured };
    return { status: 'pass', measured };
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
      `the regularization penalty, not the data, is what training minimizes (${firstSentence(c.summary)})`,
  },
});
