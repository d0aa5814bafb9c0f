import { dataset, evidence, regressionTask, task } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './non-finite.ts';

testCheck(check, {
  valid: [
    {
      name: 'clean MNIST-like data',
      evidence: evidence({ dataset: dataset(), task: task() }),
      status: 'pass',
      measured: { nonFiniteFeatures: 0, nonFiniteLabels: 0, fraction: 0 },
    },
    {
      name: 'clean data without task evidence',
      evidence: evidence({ dataset: dataset({ records: 50, features: 4, featureShape: [4] }) }),
      status: 'pass',
      measured: { featureFraction: 0, labelFraction: 0 },
    },
    {
      name: 'a few NaN tolerated by an overridden threshold',
      evidence: evidence({ dataset: dataset({ nonFiniteFeatures: 3 }), task: task() }),
      thresholds: { maxNonFinite: 5 },
      status: 'pass',
      measured: { nonFiniteFeatures: 3 },
    },
    { name: 'no dataset evidence', evidence: evidence(), status: 'skip' },
  ],
  invalid: [
    {
      name: 'one NaN pixel in 1000 images',
      evidence: evidence({ dataset: dataset({ nonFiniteFeatures: 1 }), task: task() }),
      status: 'fail',
      reason: null,
      measured: { nonFiniteFeatures: 1, featureFraction: 1 / 784000 },
    },
    {
      name: 'NaN feature values (empty CSV cells)',
      evidence: evidence({
        dataset: dataset({ records: 100, features: 10, featureShape: [10], nonFiniteFeatures: 5 }),
        task: task(),
      }),
      status: 'fail',
      reason: null,
      measured: { nonFiniteFeatures: 5, nonFiniteLabels: 0, featureFraction: 5 / 1000, labelFraction: 0 },
    },
    {
      name: 'Inf regression targets',
      evidence: evidence({
        dataset: dataset({
          records: 200,
          features: 8,
          featureShape: [8],
          classCounts: null,
          nonFiniteLabels: 4,
        }),
        task: regressionTask(),
      }),
      status: 'fail',
      reason: null,
      measured: {
        nonFiniteFeatures: 0,
        nonFiniteLabels: 4,
        labelFraction: 4 / 200,
        fraction: 4 / (1600 + 200),
      },
    },
    {
      name: 'one-hot labels: fraction over label values',
      evidence: evidence({ dataset: dataset({ records: 1000, nonFiniteLabels: 20 }), task: task() }),
      status: 'fail',
      reason: null,
      measured: { nonFiniteLabels: 20, labelFraction: 20 / 10000 },
    },
    {
      name: 'both features and labels',
      evidence: evidence({ dataset: dataset({ nonFiniteFeatures: 784, nonFiniteLabels: 10 }), task: task() }),
      status: 'fail',
      reason: null,
      measured: { featureFraction: 784 / 784000, fraction: 794 / (784000 + 10000) },
    },
  ],
});
