import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { NEEDS_EXPERIMENT } from '../../core/live.ts';
import { fmt as num, pct } from '../../shared/format.ts';

export default defineCheck({
  id: 'inputs/label-signal',
  section: 'inputs',
  title: 'The model learns more from the real labels than from shuffled ones',
  why: 'If real labels give no better held-out results than shuffled labels, the features carry no signal the model can use about the labels: usually labels misaligned with their records, or the wrong label column.',
  needs: ['labelSignal'],
  reasons: ['non-finite', 'inconclusive', 'accuracy', 'loss'],
  // Among causes (core/diagnosis.ts): Below everything that stops learning altogether: a model that
  // learns nothing learns no more from real labels than from shuffled ones, so this failure alone
  // points at the labels.
  causeRank: 210,
  live: NEEDS_EXPERIMENT,
  thresholds: {
    minAccuracyMargin: {
      value: 0.05,
      meaning:
        'fail (classification) when held-out accuracy with real labels beats shuffled labels by less than this',
      source: 'checklist (beyond): shuffled-label control (Zhang et al. 2017)',
    },
    minLossGain: {
      value: 0.1,
      meaning:
        'fail (regression) when held-out loss with real labels is not at least this fraction below the shuffled-label loss',
      source: 'checklist (beyond): shuffled-label control (Zhang et al. 2017)',
    },
  },
  evaluate({ labelSignal }, t) {
    const { real, shuffled } = labelSignal;
    // The null hypothesis: no better than chance (the shuffled arm's expected result) nor than
    // the shuffled arm itself when it ran; whichever is harder to beat.
    const referenceLoss = shuffled
      ? Math.min(shuffled.heldOutLoss, labelSignal.chanceLoss)
      : labelSignal.chanceLoss;
    const lossGain = referenceLoss > 0 ? 1 - real.heldOutLoss / referenceLoss : 0;
    // Balanced accuracy (mean recall) when known: raw accuracy rewards predicting the majority.
    const balanced = real.balancedAccuracy ?? null;
    const chanceBalanced = labelSignal.chanceBalancedAccuracy ?? null;
    const shuffledBalanced = shuffled?.balancedAccuracy ?? null;
    const referenceBalanced =
      chanceBalanced !== null ? Math.max(chanceBalanced, shuffledBalanced ?? chanceBalanced) : null;
    // Older evidence without balanced accuracy: the raw accuracy margin over the shuffled arm.
    const margin =
      balanced !== null && referenceBalanced !== null
        ? balanced - referenceBalanced
        : real.heldOutAccuracy !== null && shuffled?.heldOutAccuracy != null
          ? real.heldOutAccuracy - shuffled.heldOutAccuracy
          : null;
    const measured = {
      realLoss: real.heldOutLoss,
      shuffledLoss: shuffled?.heldOutLoss ?? null,
      chanceLoss: labelSignal.chanceLoss,
      lossGain,
      realBalancedAccuracy: balanced,
      shuffledBalancedAccuracy: shuffledBalanced,
      chanceBalancedAccuracy: chanceBalanced,
      realAccuracy: real.heldOutAccuracy,
      shuffledAccuracy: shuffled?.heldOutAccuracy ?? null,
      margin,
      comparedWith: shuffled ? 'shuffled labels and chance' : 'chance',
      realTrainLoss: real.trainLoss ?? null,
      steps: labelSignal.steps,
    };
    if (!Number.isFinite(real.heldOutLoss)) return { status: 'fail', measured, reason: 'non-finite' };
    // Accuracies are ratios of counts: allow for rounding in their difference.
    const signal =
      lossGain >= t.minLossGain - 1e-9 || (margin !== null && margin >= t.minAccuracyMargin - 1e-9);
    if (signal) return { status: 'pass', measured };
    // No signal yet, but the setup learned nothing at all in this budget (not even its own
    // training records) and needs more steps than this to learn a control corpus: inconclusive.
    const fitted = real.trainLoss != null && real.trainLoss < 0.9 * labelSignal.chanceLoss;
    const control = labelSignal.controlLearnedAtStep;
    const slowSetup = control !== undefined && (control === null || control > labelSignal.steps);
    if (labelSignal.shuffledSkipped === 'nothing-learned' || (!fitted && slowSetup))
      return { status: 'warn', measured, reason: 'inconclusive' };
    return { status: 'fail', measured, reason: margin !== null ? 'accuracy' : 'loss' };
  },
  explain({ status, measured, reason }, { labelSignal }, t) {
    const { real, shuffled } = labelSignal;
    const loss = `held-out loss ${num(real.heldOutLoss)} vs ${shuffled ? `${num(shuffled.heldOutLoss)} with shuffled labels and ` : ''}${num(labelSignal.chanceLoss)} by chance (label frequencies only)`;
    const balanced =
      measured.realBalancedAccuracy !== null
        ? `; balanced accuracy ${pct(Number(measured.realBalancedAccuracy))} vs ${measured.shuffledBalancedAccuracy !== null ? `${pct(Number(measured.shuffledBalancedAccuracy))} shuffled and ` : ''}${pct(Number(measured.chanceBalancedAccuracy))} by chance`
        : '';
    if (reason === 'non-finite') {
      return {
        summary: `Held-out loss with the real labels is ${real.heldOutLoss}; it must be finite and at least ${pct(t.minLossGain)} below chance.`,
        remedy:
          'The real-label run diverged: see loss/non-finite and loss/learning-rate first; the label signal cannot be judged until training is stable.',
      };
    }
    const rule = `(signal: loss ≥ ${pct(t.minLossGain)} lower${measured.margin !== null ? `, or balanced accuracy ≥ ${pct(t.minAccuracyMargin)} higher` : ''})`;
    const gain = Number(measured.lossGain);
    const direction = gain >= 0 ? `${pct(gain)} lower` : `${pct(-gain)} higher`;
    const summary = `With real labels after ${labelSignal.steps} steps: ${loss}, ${direction}${balanced} ${rule}.`;
    if (status === 'pass') {
      const note =
        !shuffled && labelSignal.shuffledSkipped === 'clear-signal'
          ? ' The real labels beat chance clearly, so the shuffled-label run (whose expected result is chance) was not needed.'
          : '';
      return { summary: `${summary}${note}`, remedy: null };
    }
    if (reason === 'inconclusive') {
      return {
        summary: `${summary} The run learned nothing yet, not even its own training records (training loss ${measured.realTrainLoss === null ? 'n/a' : num(Number(measured.realTrainLoss))}), and this setup needs ${labelSignal.controlLearnedAtStep == null ? 'more steps than the budget' : `${labelSignal.controlLearnedAtStep} steps`} to learn a control corpus: too early to judge the labels.`,
        remedy:
          'Judge the labels after the setup learns at all: see inputs/standard-corpus and loss/learning-rate; then train longer and compare held-out results with real and with shuffled labels.',
      };
    }
    return {
      summary,
      remedy: `Check that each label belongs to its record: features and labels must be shuffled, split and batched with the same permutation, read from the matching files/rows, and the label column must be the target (not an id or index column). If they are aligned, check that the features that predict the target survive preprocessing; if inputs/overfit-small also fails, the model cannot learn at all and that comes first.`,
    };
  },
  causes: noCauses,
});
