import { defineCheck } from '../../core/check.ts';
import type { OverfitEvidence } from '../../core/evidence.ts';
import { NEEDS_EXPERIMENT } from '../../core/live.ts';
import { fmt as num } from '../../shared/format.ts';

/** Relative fall of the loss per 100 steps over the run's last stretch, else null. */
function progressPer100Steps(overfit: OverfitEvidence): number | null {
  const points = overfit.checkpoints ?? [];
  if (points.length < 2) return null;
  const a = points[points.length - 2];
  const b = points[points.length - 1];
  if (b.step <= a.step || !(a.loss > 0) || !Number.isFinite(b.loss)) return null;
  return ((a.loss - b.loss) / a.loss) * (100 / (b.step - a.step));
}

export default defineCheck({
  id: 'inputs/overfit-small',
  section: 'inputs',
  title: 'The model can overfit a handful of records',
  why: 'Any working model can memorize ~50 records when regularization is off; if it cannot, no amount of data or tuning will help, because the model, loss or training code is broken.',
  needs: ['overfit', 'task'],
  plot: { id: 'overfit-curve', lines: { targetLossRatio: 'maxLossRatio' } },
  reasons: ['non-finite', 'slow', 'slow-optimizer', 'accuracy', 'loss'],
  causeRank: 200,
  live: NEEDS_EXPERIMENT,
  thresholds: {
    maxLossRatio: {
      value: 0.05,
      meaning: 'fail (regression) when final loss / initial loss on the small set exceeds this',
      source: 'checklist; TheDeepChecker (one 16-sample batch, 1000 iterations)',
    },
    minAccuracy: {
      value: 1,
      meaning: 'fail (classification) when final train accuracy on the small set is below this',
      source: 'checklist (100% train accuracy on ~50 records)',
    },
  },
  evaluate({ overfit, task }, t) {
    const { initialLoss, finalLoss, finalAccuracy } = overfit;
    const lossRatio =
      initialLoss > 0 ? finalLoss / initialLoss : finalLoss <= 0 ? 0 : Number.POSITIVE_INFINITY;
    const achievable = overfit.achievableAccuracy ?? 1;
    const measured = {
      lossRatio,
      initialLoss,
      finalLoss,
      finalAccuracy,
      achievableAccuracy: achievable,
      steps: overfit.steps,
      records: overfit.records,
      stopped: overfit.stopped ?? null,
      referenceFitted: overfit.reference ? overfit.reference.fitted : null,
      referenceSteps: overfit.reference ? overfit.reference.steps : null,
      progressPer100Steps: progressPer100Steps(overfit),
    };
    if (!Number.isFinite(finalLoss)) return { status: 'fail', measured, reason: 'non-finite' };
    // Classifiers are judged on accuracy when it was measured; otherwise on the loss ratio. The
    // target is the best accuracy the records allow (identical inputs with different labels).
    const byAccuracy = task.kind === 'classification' && finalAccuracy !== null;
    const memorized = byAccuracy
      ? Number(finalAccuracy) >= Math.min(t.minAccuracy, achievable) - 1e-9
      : lossRatio <= t.maxLossRatio;
    if (memorized) return { status: 'pass', measured };
    // Slow is not broken: still falling when the capped budget ran out, or the same architecture
    // memorizes the records with Adam 1e-3 while this setup's loss did fall.
    if (overfit.stopped === 'cap' && lossRatio < 1) return { status: 'warn', measured, reason: 'slow' };
    if (overfit.reference?.fitted && lossRatio < 1)
      return { status: 'warn', measured, reason: 'slow-optimizer' };
    return { status: 'fail', measured, reason: byAccuracy ? 'accuracy' : 'loss' };
  },
  explain({ status, measured, reason }, { overfit, task }, t) {
    const ratio = Number(measured.lossRatio);
    const where = `On ${overfit.records} records in ${overfit.steps} steps`;
    const lossPart = `loss went from ${num(overfit.initialLoss)} to ${num(overfit.finalLoss)} (${num(ratio * 100)}% of initial`;
    const byAccuracy = task.kind === 'classification' && overfit.finalAccuracy !== null;
    let summary: string;
    if (reason === 'non-finite') {
      summary = `${where}, the loss ended non-finite (${overfit.finalLoss}); it must fall to ${num(t.maxLossRatio * 100)}% of the initial ${num(overfit.initialLoss)} or less.`;
    } else if (byAccuracy) {
      const target = Math.min(t.minAccuracy, Number(measured.achievableAccuracy));
      const allowed =
        target < t.minAccuracy
          ? ` (identical inputs with different labels allow at most ${num(target * 100)}%)`
          : '';
      summary = `${where}, train accuracy reached ${num(Number(overfit.finalAccuracy) * 100)}% (fail < ${num(target * 100)}%${allowed}); ${lossPart}).`;
    } else {
      summary = `${where}, ${lossPart}; fail > ${num(t.maxLossRatio * 100)}%).`;
    }
    if (status === 'pass') return { summary, remedy: null };
    if (reason === 'slow') {
      const rate = measured.progressPer100Steps;
      return {
        summary: `${summary} The loss was still falling at the ${overfit.maxSteps ?? overfit.steps}-step cap${rate !== null ? ` (by ${num(Number(rate) * 100)}% per 100 steps)` : ''}: slow, not stuck.`,
        remedy:
          'The model learns these records, only slowly: a higher learning rate or an adaptive optimizer (Adam) would fit them sooner (see loss/learning-rate). Nothing here says the model or training code is broken.',
      };
    }
    if (reason === 'slow-optimizer') {
      return {
        summary: `${summary} The same architecture with Adam at 1e-3 memorized them in ${overfit.reference?.steps} steps: the model and training code can fit them, this optimizer setting is slow.`,
        remedy:
          'Nothing here says the model is broken: a higher learning rate or an adaptive optimizer (Adam) fits these records far sooner (see loss/learning-rate); with these settings, budget many more steps.',
      };
    }
    const reference = overfit.reference
      ? ` The same architecture with Adam at 1e-3 did not fit them either (${num((overfit.reference.finalLoss / overfit.initialLoss) * 100)}% of the initial loss after ${overfit.reference.steps} steps).`
      : '';
    const removed =
      overfit.removed.length > 0
        ? `Regularization was switched off for this run (${overfit.removed.join(', ')}), so it is not the cause.`
        : 'The model has no dropout or regularizers, so regularization is not the cause.';
    const labels =
      task.kind === 'classification'
        ? 'that the labels reach the loss in the encoding it expects (one-hot for categorical_crossentropy, integers for sparse_categorical_crossentropy)'
        : 'that the targets have the output’s shape ([n, outputs], not [n] broadcast against [n, 1]) and a sane scale';
    return {
      summary,
      remedy: `${removed}${reference} A model that cannot memorize ${overfit.records} records has a bug in the model, loss or training code: check ${labels}, that the output activation matches the loss (${task.loss} after ${task.outputActivations.join(' → ') || 'no activation'}), that the inputs line up with their labels, that the layers are trainable and the optimizer really updates them; then raise the learning rate or the step budget. Fix this before tuning anything else.`,
    };
  },
  causes: {
    effects: ['inputs/label-signal'],
    generic: () => 'a model that cannot fit 50 records learns nothing from the labels either',
  },
});
