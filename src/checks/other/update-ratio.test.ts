import type { Evidence, WeightTelemetry } from '../../core/evidence.ts';
import { evidence, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './update-ratio.ts';

/** Telemetry of one variable with the given per-step update ratios. */
function weight(
  layer: string,
  depth: number,
  updateRatio: number[],
  kind: WeightTelemetry['kind'] = 'kernel',
): WeightTelemetry {
  const steps = updateRatio.map((_, i) => i);
  return {
    layer,
    weight: `${layer}/${kind === 'bias' ? 'bias' : 'kernel'}`,
    kind,
    depth,
    steps,
    gradNorm: steps.map(() => 0.1),
    updateRatio,
    weightNorm: steps.map(() => 1),
  };
}

/** Ratios around `median`: ×0.5, ×1, ×2 (median exactly `median`). */
const around = (median: number) => [median * 0.5, median, median * 2];

function net(...weights: WeightTelemetry[]): Evidence {
  return evidence({ training: training({ weights }) });
}

/**
 * A 200-step run logged every 4 steps: the loss falls from 1 as `loss(step)`; each layer's update
 * ratio is `early` until step 40 and `late` after.
 */
function run(loss: (step: number) => number, layers: [string, number, number][]): Evidence {
  const steps = Array.from({ length: 200 }, (_, i) => i);
  const logged = steps.filter((s) => s % 4 === 0);
  const weights = layers.map(([layer, early, late], depth) => ({
    ...weight(layer, depth, []),
    steps: logged,
    gradNorm: logged.map(() => 0.1),
    updateRatio: logged.map((s) => (s < 40 ? early : late)),
    weightNorm: logged.map(() => 1),
  }));
  return evidence({ training: training({ loss: { steps, values: steps.map(loss) }, weights }) });
}
/** Converged: from 1 to ≈ 1e-5 by step 60 (a classifier that fits its data). */
const converged = (s: number) => Math.max(1e-5, Math.exp(-s / 5));
/** Falls steadily to a third and settles only in the last quarter of the run (slow learning). */
const late = (s: number) => Math.max(0.3, 1 - s / 200);
/** Flat: never falls (LR far too low). */
const flat = (s: number) => 1 - 1e-4 * s;

testCheck(check, {
  valid: [
    {
      name: 'Adam on an MLP: ratios 1e-3 … 1e-2',
      evidence: net(
        weight('dense_1', 0, around(2e-3)),
        weight('dense_2', 1, around(5e-3)),
        weight('output', 2, around(1e-2)),
      ),
      status: 'pass',
      measured: {
        minMedian: 2e-3,
        minLayer: 'dense_1',
        maxMedian: 1e-2,
        maxLayer: 'output',
        medians: [2e-3, 5e-3, 1e-2],
        layers: 'dense_1,dense_2,output',
        notJudged: '',
      },
    },
    {
      name: 'tiny bias ratios are not judged (kernels only)',
      evidence: net(
        weight('dense_1', 0, around(3e-3)),
        weight('dense_1', 0, around(1e-7), 'bias'),
        weight('output', 1, around(3e-3)),
      ),
      status: 'pass',
      measured: { minMedian: 3e-3 },
    },
    {
      name: 'zero-initialized kernel (all Infinity) is reported, not judged',
      evidence: net(
        weight('dense_1', 0, Array(3).fill(Number.POSITIVE_INFINITY)),
        weight('output', 1, around(1e-2)),
      ),
      status: 'pass',
      measured: { notJudged: 'dense_1', layers: 'output' },
    },
    {
      name: 'Infinity at the first step only (zero weights that moved) is ignored',
      evidence: net(
        weight('dense_1', 0, [Number.POSITIVE_INFINITY, 1e-2, 2e-2, 3e-2]),
        weight('output', 1, around(1e-2)),
      ),
      status: 'pass',
      measured: { medians: [2e-2, 1e-2] },
    },
    {
      name: 'only zero-initialized kernels',
      evidence: net(weight('dense_1', 0, Array(3).fill(Number.POSITIVE_INFINITY))),
      status: 'skip',
      reason: 'zero-weights',
      measured: { notJudged: 'dense_1' },
    },
    {
      name: 'a run whose loss went NaN at step 0: the ratios after it are not measurements',
      evidence: evidence({
        training: training({
          nonFiniteStep: 0,
          weights: [weight('dense_1', 0, [0, 0, 0]), weight('output', 1, [0, 0, 0])],
        }),
      }),
      status: 'skip',
      reason: 'non-finite',
      measured: { nonFiniteStep: 0 },
    },
    {
      name: 'TensorBoard log: gradients but no update ratios',
      evidence: net(weight('dense_1', 0, []), weight('output', 1, [])),
      status: 'skip',
      reason: 'not-logged',
    },
    {
      name: 'converged run (loss 1 → 1e-5): the vanishing late updates are convergence, judged before it settled',
      evidence: run(converged, [
        ['dense_1', 2e-3, 3e-6],
        ['output', 5e-3, 4e-5],
      ]),
      status: 'pass',
      measured: {
        settledAtStep: 20,
        lossFall: 1,
        minMedian: 2e-3,
        minLayer: 'dense_1',
        learningMedians: [2e-3, 5e-3],
        medians: [3e-6, 4e-5],
      },
    },
    {
      name: 'a run that converged by step 20 of 200 despite tiny updates: its progress refutes "too slow"',
      evidence: run(converged, [
        ['dense_1', 2e-5, 3e-6],
        ['output', 5e-3, 4e-5],
      ]),
      status: 'pass',
      reason: 'converged',
      measured: { settledAtStep: 20, settledAtFraction: 20 / 199, minMedian: 2e-5, minLayer: 'dense_1' },
    },
  ],
  invalid: [
    {
      name: 'the same vanishing updates on a loss that never fell: too slow',
      evidence: run(flat, [
        ['dense_1', 2e-3, 3e-6],
        ['output', 5e-3, 4e-5],
      ]),
      status: 'fail',
      reason: 'too-slow',
      measured: { settledAtStep: null, minMedian: 3e-6, minLayer: 'dense_1' },
    },
    {
      name: 'a run that settles only late (step 130 of 200) with tiny updates while it learned: too slow',
      evidence: run(late, [
        ['dense_1', 2e-5, 3e-6],
        ['output', 5e-3, 4e-5],
      ]),
      status: 'fail',
      reason: 'too-slow',
      measured: { settledAtStep: 130, settledAtFraction: 130 / 199, minLayer: 'dense_1' },
    },
    {
      name: 'diverged at step 2: the zero ratios a logger writes for NaN weights are not judged',
      evidence: evidence({
        training: training({
          nonFiniteStep: 2,
          weights: [weight('dense_1', 0, [0.3, 0.5, 0, 0, 0]), weight('output', 1, [0.4, 0.6, 0, 0, 0])],
        }),
      }),
      status: 'warn',
      reason: 'too-large',
      measured: { minMedian: 0.4, minLayer: 'dense_1', maxMedian: 0.5, maxLayer: 'output' },
    },
    {
      name: 'a converged run whose updates blow up late: too large is judged on the whole run',
      evidence: run(converged, [
        ['dense_1', 2e-3, 0.4],
        ['output', 5e-3, 0.5],
      ]),
      status: 'warn',
      reason: 'too-large',
      measured: { maxMedian: 0.5, maxLayer: 'output', minMedian: 2e-3 },
    },
    {
      name: 'SGD at LR 1e-5: first layer barely moves',
      evidence: net(weight('dense_1', 0, around(2e-5)), weight('output', 1, around(2e-4))),
      status: 'fail',
      reason: 'too-slow',
      measured: { minMedian: 2e-5, minLayer: 'dense_1', maxMedian: 2e-4 },
    },
    {
      name: 'a frozen-looking layer with zero updates',
      evidence: net(weight('dense_1', 0, [0, 0, 0]), weight('output', 1, around(1e-2))),
      status: 'fail',
      reason: 'too-slow',
      measured: { minMedian: 0, minLayer: 'dense_1' },
    },
    {
      name: 'LR too high: output layer rewritten by 30% per step',
      evidence: net(weight('dense_1', 0, around(1e-2)), weight('output', 1, around(0.3))),
      status: 'warn',
      reason: 'too-large',
      measured: { maxMedian: 0.3, maxLayer: 'output' },
    },
    {
      name: 'too slow wins over too large',
      evidence: net(weight('dense_1', 0, around(1e-5)), weight('output', 1, around(0.3))),
      status: 'fail',
      reason: 'too-slow',
      measured: { minLayer: 'dense_1', maxLayer: 'output' },
    },
    {
      name: 'override: stricter lower bound',
      evidence: net(weight('dense_1', 0, around(5e-4)), weight('output', 1, around(1e-2))),
      thresholds: { failBelow: 1e-3 },
      status: 'fail',
      reason: 'too-slow',
      measured: { minMedian: 5e-4 },
    },
  ],
});
