import type { DatasetEvidence } from '../../core/evidence.ts';
import { dataset, evidence, regressionTask, series, task, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './target-scale.ts';

type Scale = NonNullable<DatasetEvidence['targetScale']>;

/** Regression targets with the given scale; the instrumented run's loss falls from 1 to `end`. */
function targets(scale: Partial<Scale>, end: number | null = 0.3, over: Partial<DatasetEvidence> = {}) {
  const mean = scale.mean ?? 0;
  const std = scale.std ?? 1;
  const full: Scale = {
    output: 0,
    min: mean - 3 * std,
    max: mean + 3 * std,
    rms: Math.hypot(mean, std),
    mean,
    std,
    ...scale,
  };
  return evidence({
    task: regressionTask(),
    dataset: dataset({ classCounts: null, targetVariance: std * std, targetScale: full, ...over }),
    ...(end === null
      ? {}
      : {
          training: training({
            loss: series(Array.from({ length: 50 }, (_, i) => 1 + ((end - 1) * i) / 49)),
          }),
        }),
  });
}

testCheck(check, {
  valid: [
    {
      name: 'standardized targets',
      evidence: targets({}),
      status: 'pass',
      measured: { rms: 1, mean: 0, std: 1 },
    },
    {
      name: 'digit values 0–9 (mean 4.5, std 2.9)',
      evidence: targets({ mean: 4.5, std: 2.9 }),
      status: 'pass',
      measured: { rms: Math.hypot(4.5, 2.9) },
    },
    {
      name: 'classification labels: nothing to scale',
      evidence: evidence({ task: task(), dataset: dataset() }),
      status: 'skip',
      reason: 'classification',
    },
    {
      name: 'no target statistics (older evidence)',
      evidence: evidence({
        task: regressionTask(),
        dataset: dataset({ classCounts: null, targetVariance: 1 }),
      }),
      status: 'skip',
      reason: 'no-targets',
    },
  ],
  invalid: [
    {
      name: 'raw prices: mean ≈ 22,500',
      evidence: targets({ mean: 22_500, std: 1440 }),
      status: 'fail',
      reason: 'too-large',
      measured: { mean: 22_500, rms: Math.hypot(22_500, 1440) },
    },
    {
      name: 'mean 14 (Friedman #1) while the loss falls: warn only',
      evidence: targets({ mean: 14.4, std: 5 }, 0.2),
      status: 'warn',
      reason: 'large',
      measured: { runDrop: 0.7595 },
    },
    {
      name: 'scale 50 and the loss stays flat: the scale stops learning',
      evidence: targets({ mean: 50, std: 10 }, 0.97),
      status: 'fail',
      reason: 'too-large-stuck',
    },
    {
      name: 'NaN targets',
      evidence: targets({}, 0.3, { nonFiniteLabels: 3 }),
      status: 'fail',
      reason: 'non-finite',
      measured: { nonFiniteTargets: 3 },
    },
    {
      name: 'tiny units (1e-5)',
      evidence: targets({ mean: 1e-5, std: 5e-6 }),
      status: 'warn',
      reason: 'tiny',
    },
    {
      name: 'override: stricter warn scale',
      evidence: targets({ mean: 4.5, std: 2.9 }),
      thresholds: { warnScale: 2 },
      status: 'warn',
      reason: 'large',
    },
  ],
});
