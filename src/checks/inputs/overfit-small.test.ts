import type { OverfitEvidence } from '../../core/evidence.ts';
import { evidence, regressionTask, series, task } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './overfit-small.ts';

/** An overfit run on 50 records whose loss decays from `initialLoss` to `finalLoss`. */
function overfit(over: Partial<OverfitEvidence> = {}): OverfitEvidence {
  const initialLoss = over.initialLoss ?? Math.log(10);
  const finalLoss = over.finalLoss ?? 0.01;
  const steps = over.steps ?? 200;
  const values = Array.from({ length: 20 }, (_, i) => initialLoss * (finalLoss / initialLoss) ** (i / 19));
  return {
    records: 50,
    steps,
    loss: series(values),
    initialLoss,
    finalLoss,
    finalAccuracy: 1,
    removed: [],
    ...over,
  };
}

const classifier = (over: Partial<OverfitEvidence>) => evidence({ task: task(), overfit: overfit(over) });
const regressor = (over: Partial<OverfitEvidence>) =>
  evidence({ task: regressionTask(), overfit: overfit({ initialLoss: 2, finalAccuracy: null, ...over }) });

testCheck(check, {
  valid: [
    {
      name: 'classifier memorizes 50 records',
      evidence: classifier({ finalLoss: 0.01 }),
      status: 'pass',
      measured: { finalAccuracy: 1, lossRatio: 0.01 / Math.log(10), steps: 200, records: 50 },
    },
    {
      name: 'classifier at 100% accuracy with loss still at 10% of initial',
      evidence: classifier({ finalLoss: 0.23, removed: ['dropout_1 (rate 0.5)'] }),
      status: 'pass',
      measured: { finalAccuracy: 1, lossRatio: 0.23 / Math.log(10) },
    },
    {
      name: 'regression loss down to 1% of initial',
      evidence: regressor({ finalLoss: 0.02 }),
      status: 'pass',
      measured: { lossRatio: 0.01, finalAccuracy: null },
    },
    {
      name: 'regression ratio exactly at the threshold',
      evidence: regressor({ finalLoss: 0.1 }),
      status: 'pass',
      measured: { lossRatio: 0.05 },
    },
    {
      name: 'override: 96% accuracy accepted',
      evidence: classifier({ finalAccuracy: 0.98, finalLoss: 0.1 }),
      thresholds: { minAccuracy: 0.96 },
      status: 'pass',
      measured: { finalAccuracy: 0.98 },
    },
    { name: 'no overfit evidence', evidence: evidence({ task: task() }), status: 'skip' },
    {
      name: 'duplicate inputs with different labels allow at most 96%: reached',
      evidence: classifier({ finalAccuracy: 0.96, finalLoss: 0.2, achievableAccuracy: 0.96 }),
      status: 'pass',
      measured: { achievableAccuracy: 0.96 },
    },
  ],
  invalid: [
    {
      name: 'SGD 0.01: 84% and still falling at the cap: slow, not stuck',
      evidence: classifier({
        finalAccuracy: 0.84,
        finalLoss: 1.13,
        steps: 600,
        maxSteps: 600,
        stopped: 'cap',
        checkpoints: [
          { step: 0, loss: 2.36, accuracy: 0.1 },
          { step: 575, loss: 1.2, accuracy: 0.8 },
          { step: 600, loss: 1.13, accuracy: 0.84 },
        ],
      }),
      status: 'warn',
      reason: 'slow',
      measured: { stopped: 'cap', progressPer100Steps: (0.07 / 1.2) * 4 },
    },
    {
      name: 'SGD 0.01 sigmoid MLP (abalone): stalls at 8% of the loss, Adam 1e-3 fits the records',
      evidence: regressor({
        initialLoss: 149,
        finalLoss: 12,
        steps: 525,
        maxSteps: 600,
        stopped: 'plateau',
        reference: {
          optimizer: 'Adam',
          learningRate: 1e-3,
          steps: 300,
          fitted: true,
          finalLoss: 5,
          finalAccuracy: null,
        },
      }),
      status: 'warn',
      reason: 'slow-optimizer',
      measured: { referenceFitted: true },
    },
    {
      name: 'stuck, and Adam 1e-3 cannot fit the records either',
      evidence: classifier({
        finalAccuracy: 0.3,
        finalLoss: 1.9,
        steps: 175,
        maxSteps: 600,
        stopped: 'plateau',
        reference: {
          optimizer: 'Adam',
          learningRate: 1e-3,
          steps: 200,
          fitted: false,
          finalLoss: 1.9,
          finalAccuracy: 0.3,
        },
      }),
      status: 'fail',
      reason: 'accuracy',
      measured: { referenceFitted: false },
    },
    {
      name: 'stuck: the loss stopped falling long before memorizing',
      evidence: classifier({
        finalAccuracy: 0.3,
        finalLoss: 1.9,
        steps: 175,
        maxSteps: 600,
        stopped: 'plateau',
      }),
      status: 'fail',
      reason: 'accuracy',
      measured: { stopped: 'plateau' },
    },
    {
      name: 'classifier stuck at 49/50',
      evidence: classifier({ finalAccuracy: 0.98, finalLoss: 0.2 }),
      status: 'fail',
      reason: 'accuracy',
      measured: { finalAccuracy: 0.98, lossRatio: 0.2 / Math.log(10) },
    },
    {
      name: 'classifier at chance: loss never moved',
      evidence: classifier({
        finalAccuracy: 0.1,
        finalLoss: 2.3,
        removed: ['dropout_1 (rate 0.5)', 'dense_1 kernel l2'],
      }),
      status: 'fail',
      reason: 'accuracy',
      measured: { finalAccuracy: 0.1, lossRatio: 2.3 / Math.log(10), records: 50 },
    },
    {
      name: 'classifier without accuracy falls back to the loss ratio',
      evidence: classifier({ finalAccuracy: null, finalLoss: 1 }),
      status: 'fail',
      reason: 'loss',
      measured: { lossRatio: 1 / Math.log(10), finalAccuracy: null },
    },
    {
      name: 'regression stalls at 30% of initial loss',
      evidence: regressor({ finalLoss: 0.6 }),
      status: 'fail',
      reason: 'loss',
      measured: { lossRatio: 0.3, initialLoss: 2, finalLoss: 0.6 },
    },
    {
      name: 'loss turned NaN',
      evidence: regressor({ finalLoss: Number.NaN }),
      status: 'fail',
      reason: 'non-finite',
      measured: { finalLoss: Number.NaN },
    },
    {
      name: 'override: stricter loss ratio',
      evidence: regressor({ finalLoss: 0.04 }),
      thresholds: { maxLossRatio: 0.01 },
      status: 'fail',
      reason: 'loss',
      measured: { lossRatio: 0.02 },
    },
  ],
});
