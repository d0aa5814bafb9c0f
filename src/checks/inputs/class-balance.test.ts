import type { DatasetEvidence, Evidence } from '../../core/evidence.ts';
import { testCheck } from '../testing.ts';
import check from './class-balance.ts';

function data(classCounts: number[] | null): Evidence {
  const records = classCounts ? classCounts.reduce((a, b) => a + b, 0) : 100;
  const dataset: DatasetEvidence = {
    source: 'test',
    records,
    featureShape: [4],
    features: 4,
    mean: 0,
    std: 1,
    min: -3,
    max: 3,
    meanAbsFeatureMean: 0.01,
    nonFiniteFeatures: 0,
    nonFiniteLabels: 0,
    classCounts,
    targetVariance: classCounts ? null : 1,
  };
  return { source: 'tfjs', dataset };
}

testCheck(check, {
  valid: [
    {
      name: 'balanced MNIST-like counts',
      evidence: data([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]),
      status: 'pass',
      measured: { ratio: 1135 / 892, missingClasses: 0 },
    },
    {
      name: 'ratio exactly at the warn threshold',
      evidence: data([300, 100]),
      status: 'pass',
      measured: { ratio: 3 },
    },
    { name: 'regression has no classes', evidence: data(null), status: 'skip' },
  ],
  invalid: [
    { name: 'moderate imbalance', evidence: data([500, 100]), status: 'warn', measured: { ratio: 5 } },
    {
      name: '95% in one class',
      evidence: data([950, 5, 5, 5, 5, 5, 5, 5, 5, 10]),
      status: 'fail',
      measured: { ratio: 190, majorityShare: 0.95 },
    },
    {
      name: 'a class is missing',
      evidence: data([100, 0, 100]),
      status: 'fail',
      measured: { missingClasses: 1, ratio: Number.POSITIVE_INFINITY },
    },
    {
      name: 'override: stricter warn ratio',
      evidence: data([200, 100]),
      thresholds: { warnRatio: 1.5 },
      status: 'warn',
      measured: { ratio: 2 },
    },
  ],
});
