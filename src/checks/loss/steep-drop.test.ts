import type { Evidence, TrainingEvidence } from '../../core/evidence.ts';
import { evidence, series, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './steep-drop.ts';

function run(values: number[], over: Partial<TrainingEvidence> = {}): Evidence {
  return evidence({ training: training({ loss: series(values), ...over }) });
}

const steps = (n: number, f: (s: number) => number) => Array.from({ length: n }, (_, s) => f(s));

/** MNIST MLP with Adam: 2.35 → ~0.61 by step 10, then on down to ~0.38 by step 100. */
const mnistAdam = steps(100, (s) => 0.35 + 1.7 * Math.exp(-s / 2.5) + 0.3 * Math.exp(-s / 40));
/** Falls fast to a plateau at 1.5 and stays there (with a little step noise). */
const plateau = steps(100, (s) => 1.5 + 0.8 * Math.exp(-s / 2) + 0.005 * Math.sin(s));

testCheck(check, {
  valid: [
    {
      name: 'a curve with a NaN is left to loss/non-finite',
      evidence: run(mnistAdam.map((v, i) => (i === 50 ? Number.NaN : v))),
      status: 'skip',
      reason: 'non-finite',
    },
    {
      name: 'healthy MNIST MLP with Adam: steep start, keeps falling',
      evidence: run(mnistAdam),
      status: 'pass',
      measured: { earlyShare: 0.8637, restRelativeDrop: 0.4153, startLoss: 2.35, endLoss: 0.3783 },
    },
    {
      name: 'steady exponential decay',
      evidence: evidence({ training: training() }),
      status: 'pass',
      measured: { earlyShare: 0.292, restRelativeDrop: 0.7784 },
    },
    {
      name: 'straight-line decrease over 40 steps',
      evidence: run(steps(40, (s) => 2 - s / 40)),
      status: 'pass',
      measured: { lossAtEarly: 1.9, endLoss: 1.0625, earlyShare: 0.10667 },
    },
    {
      name: 'fewer than 20 points',
      evidence: run(steps(15, (s) => 2 - s / 10)),
      status: 'skip',
      reason: 'too-few-points',
      measured: { points: 15 },
    },
    {
      name: 'loss does not drop overall',
      evidence: run(steps(50, (s) => 2 + s / 100)),
      status: 'skip',
      reason: 'no-drop',
    },
    {
      // A real Keras regression on raw salaries that learned nothing: 0.1% lower at the end,
      // after a dip early on (the dip was "169% of the total drop").
      name: 'a drop of 0.1% of the loss has no shape to judge',
      evidence: run(steps(100, (s) => (s === 0 ? 102_100 : s < 10 ? 99_300 + 10 * s : 102_000))),
      status: 'skip',
      reason: 'no-drop',
      measured: { startLoss: 102_100, endLoss: 102_000 },
    },
    {
      name: 'judged on the data loss when recorded',
      evidence: run(
        steps(100, () => 2),
        { dataLoss: series(mnistAdam) },
      ),
      status: 'pass',
      measured: { curve: 'dataLoss', earlyShare: 0.8637 },
    },
  ],
  invalid: [
    {
      name: 'steep drop to a plateau, flat afterwards',
      evidence: run(plateau),
      status: 'warn',
      reason: null,
      measured: { earlyShare: 0.9804, restRelativeDrop: 0.010375, lossAtEarly: 1.5155, endLoss: 1.4998 },
    },
    {
      name: 'override: a 50% early share is enough to flag a plateau',
      evidence: run(steps(100, (s) => (s < 10 ? 2 - s * 0.05 : 1.5 - (s - 10) * 0.00002))),
      thresholds: { earlyShare: 0.5 },
      status: 'warn',
      reason: null,
    },
  ],
});
