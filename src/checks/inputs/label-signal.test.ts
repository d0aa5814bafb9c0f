import type { LabelSignalEvidence } from '../../core/evidence.ts';
import { evidence } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './label-signal.ts';

const LN10 = Math.log(10);

/** Held-out results of a balanced 10-class classifier trained on real vs shuffled labels. */
function classification(
  real: [loss: number, acc: number],
  shuffled: [loss: number, acc: number] | null,
  over: Partial<LabelSignalEvidence> = {},
) {
  const labelSignal: LabelSignalEvidence = {
    steps: 200,
    real: { heldOutLoss: real[0], heldOutAccuracy: real[1], balancedAccuracy: real[1], trainLoss: real[0] },
    shuffled: shuffled && {
      heldOutLoss: shuffled[0],
      heldOutAccuracy: shuffled[1],
      balancedAccuracy: shuffled[1],
    },
    chanceLoss: LN10,
    chanceAccuracy: 0.1,
    chanceBalancedAccuracy: 0.1,
    ...over,
  };
  return evidence({ labelSignal });
}

/** 95/5 binary labels: always predicting the majority is 95% accurate; the prior entropy is 0.199. */
function imbalanced(
  real: [loss: number, acc: number, balanced: number],
  shuffled: [number, number, number] | null,
) {
  const labelSignal: LabelSignalEvidence = {
    steps: 100,
    real: { heldOutLoss: real[0], heldOutAccuracy: real[1], balancedAccuracy: real[2], trainLoss: real[0] },
    shuffled: shuffled && {
      heldOutLoss: shuffled[0],
      heldOutAccuracy: shuffled[1],
      balancedAccuracy: shuffled[2],
    },
    chanceLoss: 0.199,
    chanceAccuracy: 0.95,
    chanceBalancedAccuracy: 0.5,
  };
  return evidence({ labelSignal });
}

/** Held-out MSE of a regressor (target variance 1) trained on real vs shuffled targets. */
function regression(real: number, shuffled: number | null) {
  const labelSignal: LabelSignalEvidence = {
    steps: 200,
    real: { heldOutLoss: real, heldOutAccuracy: null, trainLoss: real },
    shuffled: shuffled === null ? null : { heldOutLoss: shuffled, heldOutAccuracy: null },
    chanceLoss: 1,
    chanceAccuracy: null,
  };
  return evidence({ labelSignal });
}

testCheck(check, {
  valid: [
    {
      name: 'real labels give 85% vs 10% shuffled',
      evidence: classification([0.5, 0.85], [2.4, 0.1]),
      status: 'pass',
      measured: { realAccuracy: 0.85, shuffledAccuracy: 0.1, margin: 0.75, lossGain: 1 - 0.5 / LN10 },
    },
    {
      name: 'real labels beat chance clearly: the shuffled run was not needed',
      evidence: classification([0.5, 0.85], null, { shuffledSkipped: 'clear-signal' }),
      status: 'pass',
      measured: { shuffledLoss: null, comparedWith: 'chance', margin: 0.75 },
    },
    {
      name: 'balanced-accuracy margin exactly at the threshold',
      evidence: classification([2.25, 0.15], [2.3, 0.1]),
      status: 'pass',
      measured: { margin: 0.05 },
    },
    {
      name: '95/5 labels that carry signal: 98% vs 95% raw accuracy, balanced 0.85 vs 0.5',
      evidence: imbalanced([0.08, 0.98, 0.85], [0.2, 0.95, 0.5]),
      status: 'pass',
      measured: { realBalancedAccuracy: 0.85, margin: 0.35, lossGain: 1 - 0.08 / 0.199 },
    },
    {
      name: 'regression: real targets halve the loss',
      evidence: regression(0.5, 1.05),
      status: 'pass',
      measured: { realLoss: 0.5, shuffledLoss: 1.05, lossGain: 0.5, margin: null },
    },
    { name: 'no label-signal evidence', evidence: evidence(), status: 'skip' },
  ],
  invalid: [
    {
      name: 'labels misaligned: real no better than shuffled',
      evidence: classification([2.31, 0.11], [2.3, 0.1]),
      status: 'fail',
      reason: 'accuracy',
      measured: { margin: 0.01, realAccuracy: 0.11, shuffledAccuracy: 0.1 },
    },
    {
      name: 'real labels worse than shuffled',
      evidence: classification([2.4, 0.08], [2.3, 0.12]),
      status: 'fail',
      reason: 'accuracy',
      measured: { margin: -0.04 },
    },
    {
      name: '95/5 shuffled-looking labels: 95% raw accuracy, balanced accuracy at chance',
      evidence: imbalanced([0.2, 0.95, 0.5], [0.2, 0.95, 0.5]),
      status: 'fail',
      reason: 'accuracy',
      measured: { margin: 0, realAccuracy: 0.95 },
    },
    {
      name: 'regression: real targets barely better',
      evidence: regression(0.97, 1.0),
      status: 'fail',
      reason: 'loss',
      measured: { lossGain: 0.03, realLoss: 0.97, shuffledLoss: 1 },
    },
    {
      name: 'regression: real-label loss is NaN',
      evidence: regression(Number.NaN, 1.0),
      status: 'fail',
      reason: 'non-finite',
      measured: { realLoss: Number.NaN },
    },
    {
      name: 'nothing learned yet, and the setup needs more steps on the control: inconclusive',
      evidence: classification([2.3, 0.1], null, {
        shuffledSkipped: 'nothing-learned',
        controlLearnedAtStep: 240,
      }),
      status: 'warn',
      reason: 'inconclusive',
    },
    {
      name: 'nothing learned, though the setup learns the control in 40 steps: the labels',
      evidence: classification([2.3, 0.11], [2.3, 0.1], { controlLearnedAtStep: 40 }),
      status: 'fail',
      reason: 'accuracy',
    },
    {
      name: 'override: larger margins required',
      evidence: classification([1.9, 0.2], [2.3, 0.1]),
      thresholds: { minAccuracyMargin: 0.2, minLossGain: 0.5 },
      status: 'fail',
      reason: 'accuracy',
      measured: { margin: 0.1 },
    },
  ],
});
