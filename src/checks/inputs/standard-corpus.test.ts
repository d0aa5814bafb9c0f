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
      reason: 'not-learned',
      measured: { lossRatio: 2.28 / LN10, finalAccuracy: 0.11, chanceLoss: LN10 },
    },
    {
      name: 'synthetic control only partly learned within the cap: slow, not broken',
      evidence: evidence({
        control: {
          ...synthetic(0.7),
          maxSteps: 320,
          steps: 320,
          learnedAtStep: null,
          stopped: 'cap',
          checkpoints: [
            { step: 0, loss: 1.1, accuracy: null },
            { step: 280, loss: 0.75, accuracy: null },
            { step: 320, loss: 0.7, accuracy: null },
          ],
        },
      }),
      status: 'warn',
      reason: 'slow',
      measured: { lossRatio: 0.7, finalLoss: 0.7, progressPer100Steps: 0.125 },
    },
    {
      name: 'SGD 0.01 on MNIST: 74% of chance at the cap, while Adam 1e-3 learns it in 40 steps',
      evidence: evidence({
        control: control({
          finalLoss: 1.71,
          finalAccuracy: 0.6,
          reference: {
            optimizer: 'Adam',
            learningRate: 1e-3,
            steps: 40,
            maxSteps: 320,
            finalLoss: 0.9,
            finalAccuracy: 0.8,
            learnedAtStep: 40,
            stopped: 'target',
            checkpoints: [],
          },
        }),
      }),
      status: 'warn',
      reason: 'slow',
      measured: { referenceLearnedAtStep: 40 },
    },
    {
      name: 'synthetic control not learned: 95% of chance',
      evidence: evidence({ control: synthetic(0.95) }),
      status: 'fail',
      reason: 'not-learned',
      measured: { lossRatio: 0.95, finalLoss: 0.95 },
    },
    {
      name: 'control diverged to NaN',
      evidence: evidence({ control: control({ finalLoss: Number.NaN, finalAccuracy: 0.1 }) }),
      status: 'fail',
      reason: 'non-finite',
      measured: { finalLoss: Number.NaN },
    },
    {
      name: 'override: stricter learned ratio',
      evidence: evidence({ control: synthetic(0.3) }),
      thresholds: { maxLossRatio: 0.2, minDrop: 0.8 },
      status: 'fail',
      reason: 'not-learned',
      measured: { lossRatio: 0.3 },
    },
  ],
});
