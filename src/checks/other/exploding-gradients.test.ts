import type { Evidence, TrainingEvidence, WeightTelemetry } from '../../core/evidence.ts';
import { evidence, series, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './exploding-gradients.ts';

/** 100 gradient norms whose 10 windows of 10 steps have the given constant means. */
function windows(means: number[]): number[] {
  return means.flatMap((m) => Array(10).fill(m));
}

function globalNorms(values: number[], over: Partial<TrainingEvidence> = {}): Evidence {
  return evidence({ training: training({ gradNorm: series(values), ...over }) });
}

function weight(layer: string, depth: number, gradNorm: (number | null)[]): WeightTelemetry {
  const steps = gradNorm.map((_, i) => i);
  return {
    layer,
    weight: `${layer}/kernel`,
    kind: 'kernel',
    depth,
    steps,
    gradNorm,
    updateRatio: [],
    weightNorm: [],
  };
}

/** TensorBoard-style evidence: per-layer gradient norms only, no global norm. */
function perLayer(...layers: (number | null)[][]): Evidence {
  return {
    source: 'tensorboard',
    training: training({
      initialLoss: undefined,
      weights: layers.map((g, i) => weight(`dense_${i + 1}`, i, g)),
    }),
  };
}

const steady = Array.from({ length: 100 }, (_, i) => 1 + 0.2 * Math.sin(i));

testCheck(check, {
  valid: [
    {
      name: 'steady global norm around 1',
      evidence: globalNorms(steady),
      status: 'pass',
      measured: { source: 'global', doublingRun: 0 },
    },
    {
      name: 'norm shrinking as training converges',
      evidence: globalNorms(windows([4, 3, 2, 1.5, 1, 0.8, 0.6, 0.5, 0.4, 0.3])),
      status: 'pass',
      measured: { growthFactor: 1, initial: 4, max: 4 },
    },
    {
      name: 'per-layer norms combined in L2 (3-4-5)',
      evidence: perLayer(Array(20).fill(3), Array(20).fill(4)),
      status: 'pass',
      measured: { source: 'per-layer', initial: 5, max: 5, growthFactor: 1 },
    },
    {
      name: 'a null (no gradient) entry is left out of the combination',
      evidence: perLayer([3, 3, 3, 3], [null, 4, 4, 4]),
      status: 'pass',
      measured: { initial: 3, max: 5, growthFactor: 5 / 3 },
    },
    {
      name: '50× growth stays under the warn threshold',
      evidence: globalNorms(windows([1, 1, 1, 1, 1, 1, 1, 1, 1, 50])),
      status: 'pass',
      measured: { growthFactor: 50 },
    },
    {
      name: 'leaving a flat start: the norm grows 900× while the loss falls from 0.69 to 0.1',
      evidence: globalNorms(windows([0.05, 0.05, 0.05, 0.05, 0.06, 0.2, 1, 5, 20, 45]), {
        loss: series(windows([0.69, 0.69, 0.69, 0.69, 0.69, 0.66, 0.55, 0.35, 0.18, 0.1])),
      }),
      status: 'warn',
      reason: 'growth-while-learning',
      measured: { growthFactor: 900, doublingRun: 5 },
    },
    {
      name: 'leaving a flat start with 300× growth: a pass',
      evidence: globalNorms(windows([0.1, 0.1, 0.1, 0.1, 0.1, 0.25, 0.4, 0.7, 1.2, 30]), {
        loss: series(windows([0.69, 0.69, 0.69, 0.69, 0.69, 0.66, 0.55, 0.35, 0.18, 0.1])),
      }),
      status: 'pass',
      reason: 'growth-while-learning',
      measured: { growthFactor: 300 },
    },
    {
      name: 'no gradient norms logged',
      evidence: evidence({ training: training() }),
      status: 'skip',
      reason: 'not-logged',
    },
    {
      name: 'all-zero gradients are left to gradient-flow',
      evidence: globalNorms(Array(30).fill(0)),
      status: 'skip',
      reason: 'all-zero',
    },
  ],
  invalid: [
    {
      name: 'NaN gradient norm at step 42',
      evidence: globalNorms(steady.map((v, i) => (i >= 42 ? Number.NaN : v))),
      status: 'fail',
      reason: 'non-finite',
      measured: { nonFiniteStep: 42, value: 'NaN' },
    },
    {
      name: 'Infinity in one layer’s gradient norm',
      evidence: perLayer([1, 1, 1, 1], [1, 1, Number.POSITIVE_INFINITY, 1]),
      status: 'fail',
      reason: 'non-finite',
      measured: { nonFiniteStep: 2, source: 'per-layer' },
    },
    {
      name: 'spike to 500× the initial norm',
      evidence: globalNorms(windows([2, 2, 2, 2, 2, 2, 2, 2, 2, 1000])),
      status: 'warn',
      reason: 'growth',
      measured: { growthFactor: 500, max: 1000, maxStep: 90, initial: 2 },
    },
    {
      name: 'blow-up to 5000× the initial norm',
      evidence: globalNorms(windows([1, 1, 1, 1, 1, 1, 1, 1, 10, 5000])),
      status: 'fail',
      reason: 'growth',
      measured: { growthFactor: 5000 },
    },
    {
      name: 'norm doubling three windows in a row',
      evidence: globalNorms(windows([1, 1, 1, 1, 1, 1, 1, 2, 4, 8])),
      status: 'fail',
      reason: 'doubling',
      measured: { doublingRun: 3, growthFactor: 8 },
    },
    {
      name: 'override: warn from 20× growth',
      evidence: globalNorms(windows([1, 1, 1, 1, 1, 1, 1, 1, 1, 50])),
      thresholds: { warnGrowth: 20 },
      status: 'warn',
      reason: 'growth',
      measured: { growthFactor: 50 },
    },
  ],
});
