import { defineCheck } from '../../core/check.ts';

/** Three significant digits, trailing zeros dropped; exponent notation for tiny or huge values. */
const num = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(3)));
};
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export default defineCheck({
  id: 'inputs/label-signal',
  section: 'inputs',
  title: 'The model learns more from the real labels than from shuffled ones',
  why: 'If real labels give no better held-out results than shuffled labels, the features carry no signal the model can use about the labels: usually labels misaligned with their records, or the wrong label column.',
  needs: ['labelSignal'],
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
    const lossGain = shuffled.heldOutLoss > 0 ? 1 - real.heldOutLoss / shuffled.heldOutLoss : 0;
    const classification = real.heldOutAccuracy !== null && shuffled.heldOutAccuracy !== null;
    const margin = classification ? Number(real.heldOutAccuracy) - Number(shuffled.heldOutAccuracy) : null;
    const measured = {
      realLoss: real.heldOutLoss,
      shuffledLoss: shuffled.heldOutLoss,
      lossGain,
      realAccuracy: real.heldOutAccuracy,
      shuffledAccuracy: shuffled.heldOutAccuracy,
      margin,
      chanceLoss: labelSignal.chanceLoss,
      chanceAccuracy: labelSignal.chanceAccuracy,
      steps: labelSignal.steps,
    };
    if (!Number.isFinite(real.heldOutLoss)) return { status: 'fail', measured, reason: 'non-finite' };
    if (margin !== null) {
      // Accuracies are ratios of counts: allow for rounding in their difference.
      return margin < t.minAccuracyMargin - 1e-9
        ? { status: 'fail', measured, reason: 'accuracy' }
        : { status: 'pass', measured };
    }
    return real.heldOutLoss > (1 - t.minLossGain) * shuffled.heldOutLoss
      ? { status: 'fail', measured, reason: 'loss' }
      : { status: 'pass', measured };
  },
  explain({ status, measured, reason }, { labelSignal }, t) {
    const { real, shuffled } = labelSignal;
    let summary: string;
    if (reason === 'non-finite') {
      summary = `Held-out loss with the real labels is ${real.heldOutLoss} (shuffled labels: ${num(shuffled.heldOutLoss)}); it must be finite and at least ${pct(t.minLossGain)} lower.`;
    } else if (measured.margin !== null) {
      summary = `Held-out accuracy with real labels is ${pct(Number(real.heldOutAccuracy))} vs ${pct(Number(shuffled.heldOutAccuracy))} with shuffled labels, a margin of ${pct(Number(measured.margin))} (fail < ${pct(t.minAccuracyMargin)}).`;
    } else {
      summary = `Held-out loss with real labels is ${num(real.heldOutLoss)} vs ${num(shuffled.heldOutLoss)} with shuffled labels, ${pct(Number(measured.lossGain))} lower (fail < ${pct(t.minLossGain)}).`;
    }
    if (status === 'pass') return { summary, remedy: null };
    return {
      summary,
      remedy: `Check that each label belongs to its record: features and labels must be shuffled, split and batched with the same permutation, read from the matching files/rows, and the label column must be the target (not an id or index column). If they are aligned, check that the features that predict the target survive preprocessing; if inputs/overfit-small also fails, the model cannot learn at all and that comes first.`,
    };
  },
});
