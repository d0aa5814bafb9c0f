import type { ControlEvidence, Evidence, OverfitEvidence, TrainingEvidence } from '../../core/evidence.ts';
import { evidence, regressionTask, series, task, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './regularization.ts';

const steps = 50;
const constant = (v: number) => series(Array(steps).fill(v));

/** A run with the given mean data and regularization losses (total = data + reg). */
function run(data: number, reg: number, over: Partial<TrainingEvidence> = {}): Evidence {
  return evidence({
    training: training({
      loss: constant(data + reg),
      dataLoss: constant(data),
      regLoss: constant(reg),
      ...over,
    }),
  });
}

/** The overfit test with the given dropout layers switched off, ending at this accuracy (or loss ratio). */
function overfit(rates: number[], end: { accuracy?: number; lossRatio?: number }): OverfitEvidence {
  return {
    records: 50,
    steps: 200,
    loss: series([2.3, 1, 0.1]),
    initialLoss: 2.3,
    finalLoss: 2.3 * (end.lossRatio ?? (end.accuracy === 1 ? 0.01 : 0.6)),
    finalAccuracy: end.accuracy ?? null,
    removed: [...rates.map((r, i) => `dropout_${i + 1} (rate ${r})`), 'dense_1 kernel regularizer'],
    stopped: 'target',
  };
}

/** The control corpus (dropout on), on MNIST: learned at this held-out loss out of chance ln 10. */
function control(lossRatio: number, accuracy: number | null, reference?: number): ControlEvidence {
  const chance = accuracy === null ? 1 : Math.log(10);
  const run = (ratio: number) => ({
    optimizer: 'Adam',
    learningRate: 1e-3,
    steps: 400,
    maxSteps: 400,
    finalLoss: ratio * chance,
    finalAccuracy: accuracy,
    learnedAtStep: ratio <= 0.5 ? 100 : null,
    stopped: ratio <= 0.5 ? ('target' as const) : ('plateau' as const),
    checkpoints: [],
  });
  return {
    corpus: accuracy === null ? 'synthetic' : 'mnist',
    steps: 400,
    loss: series([chance, lossRatio * chance]),
    initialLoss: chance,
    finalLoss: lossRatio * chance,
    chanceLoss: chance,
    finalAccuracy: accuracy,
    chanceAccuracy: accuracy === null ? null : 0.1,
    learnedAtStep: lossRatio <= 0.5 ? 100 : null,
    ...(reference !== undefined ? { reference: run(reference) } : {}),
  };
}

/** No penalty logged (dropout adds none), with the overfit test and the control corpus. */
function withDropout(o: OverfitEvidence, c: ControlEvidence, regression = false): Evidence {
  return evidence({
    training: training({ regLoss: constant(0) }),
    overfit: o,
    control: c,
    task: regression ? regressionTask() : task(),
  });
}

testCheck(check, {
  valid: [
    {
      name: 'dropout 0.5 on a model that learns the control corpus',
      evidence: withDropout(overfit([0.5], { accuracy: 1 }), control(0.3, 0.93)),
      status: 'pass',
      reason: 'dropout-fine',
      measured: { dropoutRates: [0.5], maxDropout: 0.5, offLearns: true, onLearns: true },
    },
    {
      // Neither with nor without dropout: the contrast does not point at dropout.
      name: 'dropout 0.9, but the overfit test does not fit either (dropout is not the difference)',
      evidence: withDropout(overfit([0.9], { accuracy: 0.4 }), control(0.98, 0.12)),
      status: 'pass',
      reason: 'dropout-fine',
      measured: { offLearns: false, onLearns: false },
    },
    {
      name: 'dropout 0.6, a slow control run that removed 30% of chance: not stuck, not the dropout',
      evidence: withDropout(overfit([0.6], { accuracy: 1 }), control(0.7, 0.5)),
      status: 'pass',
      reason: 'dropout-fine',
      measured: { onLearns: true },
    },
    {
      name: 'dropout 0.2 on a model stuck at chance: too low a rate to be the cause',
      evidence: withDropout(overfit([0.2], { accuracy: 1 }), control(0.99, 0.1)),
      status: 'pass',
      reason: 'dropout-fine',
      measured: { maxDropout: 0.2, onLearns: false },
    },
    {
      name: 'dropout 0.8, the control learned by the reference optimizer: not the dropout',
      evidence: withDropout(overfit([0.8], { accuracy: 1 }), control(0.9, 0.2, 0.4)),
      status: 'pass',
      reason: 'dropout-fine',
      measured: { onLearns: true },
    },
    {
      name: 'a penalty logged beside a data loss that is never finite',
      evidence: run(Number.NaN, 0.5),
      status: 'skip',
      reason: 'no-data-loss',
    },
    {
      name: 'small L2 penalty',
      evidence: run(1, 0.05),
      status: 'pass',
      measured: { ratio: 0.05, meanRegLoss: 0.05, meanDataLoss: 1 },
    },
    { name: 'penalty equal to the data loss', evidence: run(1, 1), status: 'pass', measured: { ratio: 1 } },
    {
      name: 'data loss derived from total − regularization',
      evidence: run(1, 0.2, { dataLoss: undefined }),
      status: 'pass',
      measured: { ratio: 0.2, meanDataLoss: 1 },
    },
    {
      name: 'no regularization loss recorded',
      evidence: evidence({ training: training() }),
      status: 'skip',
      reason: 'not-logged',
    },
    {
      name: 'regularization loss zero throughout',
      evidence: run(1, 0),
      status: 'skip',
      reason: 'no-regularization',
    },
  ],
  invalid: [
    {
      name: 'dropout 0.9: memorizes 50 records with it off, chance on the control with it on',
      evidence: withDropout(overfit([0.9], { accuracy: 1 }), control(0.97, 0.11, 0.95)),
      status: 'fail',
      reason: 'dropout',
      measured: {
        dropoutLayers: 'dropout_1',
        dropoutRates: [0.9],
        maxDropout: 0.9,
        overfitAccuracy: 1,
        controlAccuracy: 0.11,
        controlLossRatio: 0.97,
        offLearns: true,
        onLearns: false,
      },
    },
    {
      name: 'regression: dropout 0.7 and 0.8 in two layers, the control loss stays at 90% of chance',
      evidence: withDropout(overfit([0.7, 0.8], { lossRatio: 0.01 }), control(0.9, null), true),
      status: 'fail',
      reason: 'dropout',
      measured: {
        dropoutLayers: 'dropout_1, dropout_2',
        dropoutRates: [0.7, 0.8],
        maxDropout: 0.8,
        overfitLossRatio: 0.01,
        offLearns: true,
      },
    },
    {
      name: 'a small L2 penalty beside the dropout: the dropout contrast still fails',
      evidence: evidence({
        training: training({ loss: constant(1.05), dataLoss: constant(1), regLoss: constant(0.05) }),
        overfit: overfit([0.9], { accuracy: 1 }),
        control: control(0.97, 0.11),
        task: task(),
      }),
      status: 'fail',
      reason: 'dropout',
      measured: { ratio: 0.05, maxDropout: 0.9 },
    },
    {
      name: 'penalty twice the data loss',
      evidence: run(1, 2),
      status: 'warn',
      reason: null,
      measured: { ratio: 2 },
    },
    {
      name: 'penalty 15× the data loss',
      evidence: run(0.2, 3),
      status: 'fail',
      reason: null,
      measured: { ratio: 15 },
    },
    {
      name: 'derived data loss, penalty 11×',
      evidence: run(1, 11, { dataLoss: undefined }),
      status: 'fail',
      reason: null,
      measured: { ratio: 11, meanDataLoss: 1 },
    },
    {
      name: 'penalty growing over the run: mean ratio judged',
      evidence: run(1, 0, {
        regLoss: series(Array.from({ length: steps }, (_, i) => (4 * i) / (steps - 1))),
      }),
      status: 'warn',
      reason: null,
      measured: { ratio: 2, meanRegLoss: 2 },
    },
    {
      name: 'override: stricter warn ratio',
      evidence: run(1, 0.6),
      thresholds: { warnRatio: 0.5 },
      status: 'warn',
      reason: null,
      measured: { ratio: 0.6 },
    },
  ],
});
