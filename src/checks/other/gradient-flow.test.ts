import type { Evidence, WeightTelemetry } from '../../core/evidence.ts';
import { evidence, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './gradient-flow.ts';

const STEPS = 20;

/** Telemetry of one variable whose gradient norm is `g` at every step (with a little wobble). */
function weight(
  layer: string,
  depth: number,
  g: number | null,
  kind: WeightTelemetry['kind'] = 'kernel',
): WeightTelemetry {
  const steps = Array.from({ length: STEPS }, (_, i) => i);
  return {
    layer,
    weight: `${layer}/${kind === 'bias' ? 'bias' : 'kernel'}`,
    kind,
    depth,
    steps,
    gradNorm: steps.map((i) => (g === null ? null : g * (1 + 0.1 * Math.sin(i + 1)))),
    updateRatio: steps.map(() => 1e-3),
    weightNorm: steps.map(() => 1),
  };
}

/** Kernels dense_1 … dense_n (input side first) with the given gradient norms, plus a bias each. */
function net(norms: (number | null)[], noGradient: string[] = []): Evidence {
  const weights = norms.flatMap((g, i) => [
    weight(`dense_${i + 1}`, i, g),
    weight(`dense_${i + 1}`, i, 0.01, 'bias'),
  ]);
  return evidence({ training: training({ weights, noGradient }) });
}

/** Median of g·(1 + 0.1·sin(i+1)) over i = 0…19. */
const wobble = (g: number) => {
  const xs = Array.from({ length: STEPS }, (_, i) => g * (1 + 0.1 * Math.sin(i + 1))).sort((a, b) => a - b);
  return (xs[9] + xs[10]) / 2;
};

testCheck(check, {
  valid: [
    {
      name: 'healthy MLP: first layer gets half the last layer’s gradient',
      evidence: net([0.5, 0.8, 1]),
      status: 'pass',
      measured: {
        ratio: 0.5,
        medians: [wobble(0.5), wobble(0.8), wobble(1)],
        layers: 'dense_1,dense_2,dense_3',
        zeroGradientCount: 0,
      },
    },
    {
      name: 'ratio 0.02 is above the warn threshold',
      evidence: net([0.02, 1]),
      status: 'pass',
      measured: { ratio: 0.02 },
    },
    {
      name: 'no per-layer gradients logged',
      evidence: evidence({ training: training() }),
      status: 'skip',
      reason: 'not-logged',
    },
    { name: 'a single kernel', evidence: net([0.5]), status: 'skip', reason: 'single-kernel' },
  ],
  invalid: [
    {
      name: 'first layer gets 1/200 of the last layer’s gradient',
      evidence: net([0.005, 0.1, 1]),
      status: 'warn',
      reason: 'vanishing',
      measured: { ratio: 0.005 },
    },
    {
      name: 'vanishing gradient in a deep sigmoid stack',
      evidence: net([1e-5, 1e-3, 0.1, 1]),
      status: 'fail',
      reason: 'vanishing',
      measured: { ratio: 1e-5 },
    },
    {
      name: 'a kernel with no path to the loss',
      evidence: net([0.5, 0.8, 1], ['dense_2/kernel']),
      status: 'fail',
      reason: 'no-gradient',
      measured: { zeroGradient: 'dense_2/kernel', zeroGradientCount: 1 },
    },
    {
      name: 'a kernel whose gradient is exactly zero at every step',
      evidence: net([0.5, 0, 1]),
      status: 'fail',
      reason: 'no-gradient',
      measured: { zeroGradient: 'dense_2/kernel', zeroGradientCount: 1 },
    },
    {
      name: 'a kernel whose gradient is null at every step',
      evidence: net([null, 0.8, 1]),
      status: 'fail',
      reason: 'no-gradient',
      measured: { zeroGradient: 'dense_1/kernel', ratio: null },
    },
    {
      name: 'override: stricter warn ratio',
      evidence: net([0.05, 1]),
      thresholds: { warnRatio: 0.1 },
      status: 'warn',
      reason: 'vanishing',
      measured: { ratio: 0.05 },
    },
  ],
});
