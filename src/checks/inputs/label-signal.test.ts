import type { LabelSignalEvidence } from '../../core/evidence.ts';
import { evidence } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './label-signal.ts';

const LN10 = Math.log(10);

/** Held-out results of a 10-class classifier trained on real vs shuffled labels. */
function classification(real: [loss: number, acc: number], shuffled: [loss: number, acc: number]) {
  const labelSignal: LabelSignalEvidence = {
    steps: 200,
    real: { heldOutLoss: real[0], heldOutAccuracy: real[1] },
    shuffled: { heldOutLoss: shuffled[0], heldOutAccuracy: shuffled[1] },
    chanceLoss: LN10,
    chanceAccuracy: 0.1,
  };
  return evidence({ labelSignal });
}

/** Held-out MSE of a regressor (target variance 1) trained on real vs shuffled targets. */
function regression(real: number, shuffled: number) {
  const labelSignal: LabelSignalEvidence = {
    steps: 200,
    real: { heldOutLoss: real, heldOutAccuracy: null },
    shuffled: { heldOutLoss: shuffled, heldOutAccuracy: null },
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
      measured: { realAccuracy: 0.85, shuffledAccuracy: 0.1, margin: 0.75, lossGain: 1 - 0.5 / 2.4 },
    },
    {
      name: 'margin exactly at the threshold',
      evidence: classification([2.1, 0.15], [2.3, 0.1]),
      status: 'pass',
      measured: { margin: 0.05 },
    },
    {
      name: 'regression: real targets halve the loss',
      evidence: regression(0.5, 1.05),
      status: 'pass',
      measured: { realLoss: 0.5, shuffledLoss: 1.05, lossGain: 1 - 0.5 / 1.05, margin: null },
    },
    { name: 'no label-signal evidence', evidence: evidence(), status: 'skip' },
  ],
  invalid: [
    {
      name: 'labels misaligned: real no better than shuffled',
      evidence: classification([2.31, 0.11], [2.3, 0.1]),
      status: 'fail',
      measured: { margin: 0.01, realAccuracy: 0.11, shuffledAccuracy: 0.1 },
    },
    {
      name: 'real labels worse than shuffled',
      evidence: classification([2.4, 0.08], [2.3, 0.12]),
      status: 'fail',
      measured: { margin: -0.04 },
    },
    {
      name: 'regression: real targets barely better',
      evidence: regression(0.97, 1.0),
      status: 'fail',
      measured: { lossGain: 0.03, realLoss: 0.97, shuffledLoss: 1 },
    },
    {
      name: 'regression: real-label loss is NaN',
      evidence: regression(Number.NaN, 1.0),
      status: 'fail',
      measured: { realLoss: Number.NaN },
    },
    {
      name: 'override: larger margin required',
      evidence: classification([1.9, 0.2], [2.3, 0.1]),
      thresholds: { minAccuracyMargin: 0.2 },
      status: 'fail',
      measured: { margin: 0.1 },
    },
  ],
});
