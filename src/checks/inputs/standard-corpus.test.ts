import type { ControlEvidence } from '../../core/evidence.ts';
import { evidence, series } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './standard-corpus.ts';

const LN10 = Math.log(10);

/** A control run on MNIST (10 classes) ending at `finalLoss`. */
function control(over: Partial<ControlEvidence> = {}): ControlEvidence {
  const finalLoss = over.finalLoss ?? 0.3;
  const initialLoss = over.initialLoss ?? LN10;
  return {
    corpus: 'mnist',
    steps: 300,
    loss: series(Array.from({ length: 30 }, (_, i) => initialLoss + (finalLoss - initialLoss) * (i / 29))),
    initialLoss,
    finalLoss,
    chanceLoss: LN10,
    finalAccuracy: 0.92,
    chanceAccuracy: 0.1,
    ...over,
  };
}

/** A synthetic regression control: chance loss is the target variance. */
const synthetic = (finalLoss: number) =>
  control({
    corpus: 'synthetic',
    chanceLoss: 1,
    initialLoss: 1.1,
    finalLoss,
    finalAccuracy: null,
    chanceAccuracy: null,
  });

testCheck(check, {
  valid: [
    {
      name: 'MNIST learned to 92%',
      evidence: evidence({ control: control() }),
      status: 'pass',
      measured: {
        corpus: 'mnist',
        lossRatio: 0.3 / LN10,
        finalAccuracy: 0.92,
        chanceAccuracy: 0.1,
        steps: 300,
      },
    },
    {
      name: 'synthetic regression learned',
      evidence: evidence({ control: synthetic(0.2) }),
      status: 'pass',
      measured: { corpus: 'synthetic', lossRatio: 0.2, finalAccuracy: null },
    },
    {
      name: 'loss exactly at the threshold',
      evidence: evidence({ control: synthetic(0.5) }),
      status: 'pass',
      measured: { lossRatio: 0.5 },
    },
    { name: 'no control evidence', evidence: evidence(), status: 'skip' },
  ],
  invalid: [
    {
      name: 'MNIST not learned: loss stays at chance',
      evidence: evidence({ control: control({ finalLoss: 2.28, finalAccuracy: 0.11 }) }),
      status: 'fail',
      measured: { lossRatio: 2.28 / LN10, finalAccuracy: 0.11, chanceLoss: LN10 },
    },
    {
      name: 'synthetic control only partly learned',
      evidence: evidence({ control: synthetic(0.7) }),
      status: 'fail',
      measured: { lossRatio: 0.7, finalLoss: 0.7 },
    },
    {
      name: 'control diverged to NaN',
      evidence: evidence({ control: control({ finalLoss: Number.NaN, finalAccuracy: 0.1 }) }),
      status: 'fail',
      measured: { finalLoss: Number.NaN },
    },
    {
      name: 'override: stricter learned ratio',
      evidence: evidence({ control: synthetic(0.3) }),
      thresholds: { maxLossRatio: 0.2 },
      status: 'fail',
      measured: { lossRatio: 0.3 },
    },
  ],
});
