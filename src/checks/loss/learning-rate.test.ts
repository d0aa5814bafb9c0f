import type { ControlEvidence, Evidence, LrSweepEvidence, TrainingEvidence } from '../../core/evidence.ts';
import { evidence, regressionTask, series, task, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './learning-rate.ts';

/** 100 steps: 10 at `start`, a straight line in between, 10 at `end` (window means are exact). */
function curve(start: number, end: number): number[] {
  return Array.from({ length: 100 }, (_, i) =>
    i < 10 ? start : i >= 90 ? end : start + ((end - start) * (i - 9)) / 81,
  );
}

function sweep(over: Partial<LrSweepEvidence> = {}): LrSweepEvidence {
  const lrs = Array.from({ length: 50 }, (_, i) => 1e-6 * 10 ** (i / 8));
  return {
    lrs,
    losses: lrs.map(() => 2),
    startLoss: 2.3,
    configuredLr: 1e-3,
    suggestedLr: 3e-3,
    minLoss: 0.9,
    divergedAtLr: 0.3,
    ...over,
  };
}

/** A control corpus run: learned by the user's setup (`own`), only by Adam 1e-3 (`reference`), or by neither. */
function control(learned: 'own' | 'reference' | 'none'): ControlEvidence {
  const ref = {
    optimizer: 'Adam',
    learningRate: 1e-3,
    steps: 140,
    maxSteps: 320,
    finalLoss: 0.3,
    finalAccuracy: 0.9,
    learnedAtStep: learned === 'reference' ? 140 : null,
    stopped: learned === 'reference' ? ('target' as const) : ('plateau' as const),
    checkpoints: [],
  };
  return {
    corpus: 'synthetic',
    steps: 160,
    loss: series([1.1, 1.1]),
    initialLoss: 1.1,
    finalLoss: learned === 'own' ? 0.3 : 1.17,
    chanceLoss: 1.1,
    finalAccuracy: learned === 'own' ? 0.9 : 0.45,
    chanceAccuracy: 1 / 3,
    learnedAtStep: learned === 'own' ? 160 : null,
    ...(learned === 'own' ? {} : { reference: ref }),
  };
}

/** An LSTM at a rate 1000× too high: the loss jumped from 1.1 to ~2.5 within the first window and stays there. */
const BLOWN_UP = Array.from({ length: 100 }, (_, i) => (i < 10 ? 2.2 + 0.03 * i : 2.5 + 0.002 * (i - 10)));

function run(values: number[], over: Partial<TrainingEvidence> = {}, lrSweep?: LrSweepEvidence): Evidence {
  return evidence({ training: training({ loss: series(values), ...over }), ...(lrSweep ? { lrSweep } : {}) });
}

testCheck(check, {
  valid: [
    {
      name: 'loss halves at the configured LR',
      evidence: run(curve(2, 1)),
      status: 'pass',
      measured: {
        trend: 'decreasing',
        relativeDrop: 0.5,
        firstLoss: 2,
        lastLoss: 1,
        configuredLr: 1e-3,
        suggestedLr: null,
      },
    },
    {
      name: 'SGD 0.5 on the MNIST MLP: below the sweep’s best LR 0.855',
      evidence: run(
        curve(2.3, 0.3),
        { learningRate: 0.5 },
        sweep({ configuredLr: 0.5, suggestedLr: 0.0855, divergedAtLr: 2 }),
      ),
      status: 'pass',
      measured: { sweepBestLr: 0.855 },
    },
    {
      name: 'healthy run, the sweep suggestion is reported',
      evidence: run(curve(2.3, 0.4), {}, sweep()),
      status: 'pass',
      measured: { trend: 'decreasing', suggestedLr: 3e-3, sweepMinRatio: 0.9 / 2.3 },
    },
    {
      name: 'the fixtures’ default exponential decay',
      evidence: evidence({ training: training() }),
      status: 'pass',
    },
    {
      name: 'total loss flat because of regularization, data loss falls: judged on data loss',
      evidence: run(curve(2, 2), { dataLoss: series(curve(1.8, 0.9)) }),
      status: 'pass',
      measured: { curve: 'dataLoss', relativeDrop: 0.5 },
    },
    {
      name: 'TensorBoard log: loss only, LR unknown',
      evidence: {
        source: 'tensorboard',
        training: training({
          loss: series(curve(3, 1)),
          learningRate: null,
          optimizer: null,
          initialLoss: undefined,
        }),
      },
      status: 'pass',
      measured: { configuredLr: null, relativeDrop: 2 / 3 },
    },
    { name: 'a single loss value', evidence: run([2.3]), status: 'skip', reason: 'too-few-steps' },
    {
      name: 'flat near ln 4 but accuracy well above chance: not at chance, only flat',
      evidence: {
        source: 'tensorboard',
        training: training({ loss: series(curve(1.4, 1.38)), accuracy: series(Array(100).fill(0.6)) }),
      },
      status: 'warn',
      reason: 'flat-no-sweep',
      measured: { trend: 'flat' },
    },
    {
      name: 'a flat regression loss near ln 2 is not "at chance"',
      evidence: evidence({
        task: regressionTask({ loss: 'mean_squared_error' }),
        training: training({ loss: series(curve(0.7, 0.69)) }),
      }),
      status: 'warn',
      reason: 'flat-no-sweep',
      measured: { trend: 'flat' },
    },
    {
      name: 'a flat loss near ln k without an accuracy to confirm it (log): only flat',
      evidence: { source: 'tensorboard', training: training({ loss: series(curve(0.7, Math.LN2)) }) },
      status: 'warn',
      reason: 'flat-no-sweep',
      measured: { trend: 'flat' },
    },
    {
      name: 'drop of exactly 10% is not flat',
      evidence: run(curve(10, 9), { initialLoss: 10 }),
      status: 'pass',
      measured: { relativeDrop: 0.1 },
    },
    {
      name: 'loss spikes in the first window but ends below its start: learning, not diverged',
      evidence: run(curve(2.6, 0.6), { initialLoss: 1.1 }),
      status: 'pass',
      measured: { trend: 'decreasing', blewUpEarly: false, initialLoss: 1.1 },
    },
    {
      name: 'watching a trained classifier fine-tune: its loss rises from 0.05 to ~0.1, no blow-up',
      evidence: {
        ...run(curve(0.1, 0.08), { initialLoss: 0.05 }),
        task: task(),
      },
      status: 'pass',
      measured: { trend: 'decreasing', blewUpEarly: false },
    },
    {
      name: 'recurrent net flat at Adam 1e-3, sweep finds nothing, but the setup learns the control: slow, no fail',
      evidence: {
        ...run(curve(1.098, 1.086), { initialLoss: 1.098 }, sweep({ startLoss: 1.1, minLoss: 0.9 })),
        control: control('own'),
      },
      status: 'warn',
      reason: 'flat-control-learns',
      measured: { trend: 'flat', controlLearnedAtStep: 160 },
    },
  ],
  invalid: [
    {
      name: 'LSTM at a rate 1000× too high: blew up inside the first window, Adam 1e-3 learns the control',
      evidence: {
        ...run(BLOWN_UP, { initialLoss: 1.1, learningRate: 1 }, sweep({ startLoss: 1.1, minLoss: 1.08 })),
        control: control('reference'),
        task: task({ classes: 3, loss: 'sparse_categorical_crossentropy', labelEncoding: 'integer' }),
      },
      status: 'fail',
      reason: 'diverged-reference-learns',
      measured: { trend: 'diverged', blewUpEarly: true, controlLearnedAtStep: 140, referenceLr: 1e-3 },
    },
    {
      name: 'blew up inside the first window, no sweep: diverged (not a 13% rise)',
      evidence: run(BLOWN_UP, { initialLoss: 1.1 }),
      status: 'fail',
      reason: 'diverged-no-sweep',
      measured: { trend: 'diverged', blewUpEarly: true },
    },
    {
      name: 'blew up early, no rate learns the control either: the LR is not shown to be the cause',
      evidence: {
        ...run(BLOWN_UP, { initialLoss: 1.1 }, sweep({ startLoss: 1.1, minLoss: 1.08 })),
        control: control('none'),
      },
      status: 'warn',
      reason: 'no-lr-works',
      measured: { trend: 'diverged' },
    },
    {
      name: 'flat while the sweep finds a working LR, but the same setup fits 50 records: slow',
      evidence: {
        ...run(curve(2.3, 2.25), { learningRate: 1e-6 }, sweep()),
        overfit: {
          records: 50,
          steps: 120,
          loss: series([2.3, 0.01]),
          initialLoss: 2.3,
          finalLoss: 0.01,
          finalAccuracy: 1,
          removed: [],
          stopped: 'target',
        },
      },
      status: 'warn',
      reason: 'slow',
      measured: { trend: 'flat', suggestedLr: 3e-3 },
    },
    {
      name: 'loss falls, but the LR (SGD 1) is past the sweep’s best 0.855: too high',
      evidence: run(
        curve(2.3, 0.8),
        { learningRate: 1 },
        sweep({ configuredLr: 1, suggestedLr: 0.0855, divergedAtLr: 2 }),
      ),
      status: 'warn',
      reason: 'too-high',
      measured: { trend: 'decreasing', sweepBestLr: 0.855, sweepDivergedAtLr: 2 },
    },
    {
      name: 'diverges while the sweep finds a working LR',
      evidence: run(curve(2.3, 6), { learningRate: 1 }, sweep({ configuredLr: 1 })),
      status: 'fail',
      reason: 'diverged',
      measured: { trend: 'diverged', configuredLr: 1, suggestedLr: 3e-3, lastLoss: 6 },
    },
    {
      name: 'flat while the sweep finds a working LR',
      evidence: run(curve(2.3, 2.25), { learningRate: 1e-6 }, sweep()),
      status: 'fail',
      reason: 'flat',
      measured: { trend: 'flat', relativeDrop: 0.05 / 2.3, suggestedLr: 3e-3 },
    },
    {
      name: 'flat without a sweep (TensorBoard log)',
      evidence: run(curve(2.3, 2.25)),
      status: 'warn',
      reason: 'flat-no-sweep',
      measured: { trend: 'flat', suggestedLr: null, sweepMinRatio: null },
    },
    {
      name: 'log: loss flat at ln 4 with chance accuracy (HF Trainer, 4-way multiple choice)',
      evidence: {
        source: 'tensorboard',
        training: training({
          loss: series(curve(1.387, 1.3865)),
          valAccuracy: series([0.255, 0.264, 0.28, 0.306, 0.29]),
          learningRate: null,
        }),
      },
      status: 'fail',
      reason: 'flat-at-chance',
      measured: { trend: 'flat', classes: 4, chanceLoss: Math.log(4), finalAccuracy: 0.29 },
    },
    {
      name: 'log: binary loss flat at ln 2 with accuracy 49% (Lightning)',
      evidence: {
        source: 'tensorboard',
        training: training({ loss: series(curve(0.6969, 0.6966)), accuracy: series([0.4975, 0.49, 0.4875]) }),
      },
      status: 'fail',
      reason: 'flat-at-chance',
      measured: { classes: 2 },
    },
    {
      name: 'check: 10-class cross-entropy flat at ln 10, no accuracy recorded, no sweep',
      evidence: evidence({ task: task(), training: training({ loss: series(curve(2.31, 2.3)) }) }),
      status: 'fail',
      reason: 'flat-at-chance',
      measured: { classes: 10 },
    },
    {
      name: 'check: flat at ln 10 and no LR in the sweep works: the LR is not the cause, only a warn',
      evidence: evidence({
        task: task(),
        training: training({ loss: series(curve(2.31, 2.3)) }),
        lrSweep: sweep({ minLoss: 2.25, startLoss: 2.3 }),
      }),
      status: 'warn',
      reason: 'no-lr-works',
      measured: { trend: 'flat' },
    },
    {
      name: 'check: flat at ln 10 while the sweep finds a working LR: the LR fail, not chance',
      evidence: evidence({
        task: task(),
        training: training({ loss: series(curve(2.31, 2.3)) }),
        lrSweep: sweep(),
      }),
      status: 'fail',
      reason: 'flat',
      measured: { trend: 'flat', suggestedLr: 3e-3 },
    },
    {
      name: 'loss doubles without a sweep',
      evidence: run(curve(2, 4)),
      status: 'fail',
      reason: 'diverged-no-sweep',
      measured: { trend: 'diverged', relativeDrop: -1 },
    },
    {
      name: 'loss turns NaN without a sweep',
      evidence: run([...curve(2, 1).slice(0, 50), ...Array(50).fill(Number.NaN)], { nonFiniteStep: 50 }),
      status: 'fail',
      reason: 'diverged-no-sweep',
      measured: { trend: 'diverged', nonFiniteStep: 50, relativeDrop: null },
    },
    {
      name: 'flat, and no LR in the sweep works either',
      evidence: run(curve(2.3, 2.25), {}, sweep({ minLoss: 2.2, suggestedLr: 1e-4 })),
      status: 'warn',
      reason: 'no-lr-works',
      measured: { trend: 'flat', sweepMinRatio: 2.2 / 2.3 },
    },
    {
      name: 'diverges, and the sweep has no suggestion',
      evidence: run(curve(2.3, 6), {}, sweep({ suggestedLr: null })),
      status: 'warn',
      reason: 'no-lr-works',
      measured: { trend: 'diverged' },
    },
    {
      name: 'override: a 30% drop counts as flat',
      evidence: run(curve(2, 1.6)),
      thresholds: { flatDrop: 0.3 },
      status: 'warn',
      reason: 'flat-no-sweep',
      measured: { relativeDrop: 0.2 },
    },
  ],
});
