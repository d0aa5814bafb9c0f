import type { Evidence, TrainingEvidence } from '../../core/evidence.ts';
import { evidence, series, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './non-finite.ts';

const falling = Array.from({ length: 60 }, (_, i) => 2.3 - i / 60);

function run(over: Partial<TrainingEvidence> = {}): Evidence {
  return evidence({ training: training({ loss: series(falling), ...over }) });
}

function withValue(values: number[], at: number, value: number): number[] {
  return values.map((v, i) => (i < at ? v : value));
}

testCheck(check, {
  valid: [
    {
      name: 'no loss value logged',
      evidence: run({ loss: series([]) }),
      status: 'skip',
      reason: 'no-loss',
    },
    {
      name: 'finite loss throughout',
      evidence: run(),
      status: 'pass',
      measured: { firstStep: null, nonFiniteValues: 0, points: 60 },
    },
    {
      name: 'finite data loss beside finite total loss',
      evidence: run({ dataLoss: series(falling.map((v) => v - 0.1)) }),
      status: 'pass',
      measured: { firstStep: null },
    },
  ],
  invalid: [
    {
      name: 'loss turns NaN at step 37',
      evidence: run({ loss: series(withValue(falling, 37, Number.NaN)), nonFiniteStep: 37 }),
      status: 'fail',
      reason: null,
      measured: { firstStep: 37, nonFiniteValues: 23, lastFiniteLoss: 2.3 - 36 / 60 },
    },
    {
      name: 'NaN in the series although nonFiniteStep was not set',
      evidence: run({ loss: series(withValue(falling, 10, Number.POSITIVE_INFINITY)) }),
      status: 'fail',
      reason: null,
      measured: { firstStep: 10, nonFiniteValues: 50 },
    },
    {
      name: 'only nonFiniteStep recorded (the run stopped there)',
      evidence: run({ loss: series(falling.slice(0, 12)), nonFiniteStep: 12 }),
      status: 'fail',
      reason: null,
      measured: { firstStep: 12, nonFiniteValues: 0 },
    },
    {
      name: 'data loss turns Infinity at step 5, steps counted from 100',
      evidence: run({
        loss: series(falling, 100),
        dataLoss: series(withValue(falling, 5, Number.POSITIVE_INFINITY), 100),
      }),
      status: 'fail',
      reason: null,
      measured: { firstStep: 105 },
    },
    {
      name: 'diverged to a huge loss before NaN',
      evidence: run({ loss: series([2, 50, 1e4, 1e8, Number.NaN]), nonFiniteStep: 4 }),
      status: 'fail',
      reason: null,
      measured: { firstStep: 4, lastFiniteLoss: 1e8 },
    },
  ],
});
