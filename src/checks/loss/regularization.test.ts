import type { Evidence, TrainingEvidence } from '../../core/evidence.ts';
import { evidence, series, training } from '../fixtures.ts';
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

testCheck(check, {
  valid: [
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
