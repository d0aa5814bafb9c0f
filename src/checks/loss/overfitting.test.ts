import type { Evidence, Series } from '../../core/evidence.ts';
import { evidence, series, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './overfitting.ts';

/** Training loss falling steadily over 100 steps, 2.0 → 0.2. */
const trainFalling = Array.from({ length: 100 }, (_, i) => 2 - (1.8 * i) / 99);

/** Validation loss evaluated every 10 steps (10, 20, … 100). */
function val(values: number[]): Series {
  return { steps: values.map((_, i) => (i + 1) * 10), values };
}

function run(valLoss: Series | undefined, trainValues = trainFalling): Evidence {
  return evidence({ training: training({ loss: series(trainValues), ...(valLoss ? { valLoss } : {}) }) });
}

testCheck(check, {
  valid: [
    {
      name: 'a loss fitted near 0 doubling on noise (0.0015 → 0.0054): negligible',
      evidence: run(
        val([0.5, 0.1, 0.02, 0.005, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0054]),
        Array.from({ length: 100 }, (_, i) => 0.69 * Math.exp(-i / 10)),
      ),
      status: 'pass',
      reason: 'negligible',
      measured: { valMin: 0.0015, valEnd: 0.0054 },
    },
    {
      name: 'validation falls with training',
      evidence: run(val([1.9, 1.7, 1.5, 1.3, 1.1, 0.9, 0.8, 0.7, 0.6, 0.55])),
      status: 'pass',
      measured: { rise: 0, valMin: 0.55, valMinStep: 100, valEnd: 0.55 },
    },
    {
      name: 'validation 5% above its minimum at the end',
      evidence: run(val([1.5, 1.0, 0.8, 0.6, 0.6, 0.62, 0.63, 0.63, 0.63, 0.63])),
      status: 'pass',
      measured: { rise: 0.05, valMin: 0.6, valMinStep: 40 },
    },
    {
      name: 'validation rises but training rises too (divergence, not overfitting)',
      evidence: run(
        val([1.5, 1.0, 0.8, 1.2, 1.6, 2, 2.5, 3, 3.5, 4]),
        Array.from({ length: 100 }, (_, i) => (i < 30 ? 2 - i / 30 : 1 + (i - 30) / 20)),
      ),
      status: 'pass',
      reason: 'both-rose',
      measured: { valMinStep: 30, trainFalling: false },
    },
    {
      name: 'no validation loss (TensorBoard log without a val run)',
      evidence: run(undefined),
      status: 'skip',
      reason: 'no-validation',
    },
    {
      name: 'a single validation point',
      evidence: run(val([1.2])),
      status: 'skip',
      reason: 'too-few-points',
      measured: { valPoints: 1 },
    },
  ],
  invalid: [
    {
      name: 'validation turns up at step 40 while training keeps falling',
      evidence: run(val([1.5, 1.0, 0.7, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8])),
      status: 'warn',
      reason: null,
      measured: {
        rise: 0.6,
        valMin: 0.5,
        valMinStep: 40,
        valEnd: 0.8,
        trainFalling: true,
        trainEnd: 0.2 + (1.8 * 4.5) / 99,
      },
    },
    {
      name: 'NaN validation points are ignored',
      evidence: run(val([1.5, 1.0, 0.7, 0.5, Number.NaN, 0.6, 0.65, 0.7, 0.75, 0.8])),
      status: 'warn',
      reason: null,
      measured: { rise: 0.6 },
    },
    {
      name: 'override: 3% rise is enough',
      evidence: run(val([1.5, 1.0, 0.8, 0.6, 0.6, 0.61, 0.61, 0.62, 0.62, 0.62])),
      thresholds: { riseRatio: 0.03, minAbsoluteRise: 0 },
      status: 'warn',
      reason: null,
      measured: { rise: 0.02 / 0.6 },
    },
  ],
});
