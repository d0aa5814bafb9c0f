import type { DatasetEvidence, Evidence } from '../../core/evidence.ts';
import { task } from '../fixtures.ts';
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

/** The same counts, trained with the given class weights. */
function weighted(classCounts: number[], classWeights: number[]): Evidence {
  return { ...data(classCounts), task: task({ classes: classCounts.length, classWeights }) };
}

/** Multi-label: positive records per label out of `records`. */
function multiLabel(positives: number[], records: number): Evidence {
  const base = data(positives);
  return {
    ...base,
    dataset: { ...(base.dataset as DatasetEvidence), records },
    task: task({ classes: positives.length, loss: 'binary_crossentropy', labelEncoding: 'multi-hot' }),
  };
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
    { name: 'regression has no classes', evidence: data(null), status: 'skip', reason: 'regression' },
    {
      name: '39:1 imbalance trained with balancing class weights (1, 39)',
      evidence: weighted([3900, 100], [1, 39]),
      status: 'pass',
      reason: 'weighted',
      measured: { ratio: 39, weightedRatio: 1 },
    },
    {
      name: 'multi-label: labels on in 10–60% of records',
      evidence: multiLabel([600, 100, 300, 450], 1000),
      status: 'pass',
      measured: { ratio: 9, worstLabel: 1, multiLabel: true },
    },
  ],
  invalid: [
    {
      name: 'moderate imbalance',
      evidence: data([500, 100]),
      status: 'warn',
      reason: null,
      measured: { ratio: 5 },
    },
    {
      name: '39:1 imbalance, class weights that only partly balance it (1, 5)',
      evidence: weighted([3900, 100], [1, 5]),
      status: 'warn',
      reason: null,
      measured: { weightedRatio: 7.8 },
    },
    {
      name: 'multi-label: a label positive in 2% of records',
      evidence: multiLabel([500, 20, 300], 1000),
      status: 'warn',
      reason: 'rare-label',
      measured: { ratio: 49, worstLabel: 1 },
    },
    {
      name: 'multi-label: a label never positive',
      evidence: multiLabel([500, 0, 300], 1000),
      status: 'fail',
      reason: 'constant-label',
      measured: { constantLabels: 1 },
    },
    {
      name: '95% in one class',
      evidence: data([950, 5, 5, 5, 5, 5, 5, 5, 5, 10]),
      status: 'fail',
      reason: null,
      measured: { ratio: 190, majorityShare: 0.95 },
    },
    {
      name: 'a class is missing',
      evidence: data([100, 0, 100]),
      status: 'fail',
      reason: 'missing-class',
      measured: { missingClasses: 1, ratio: Number.POSITIVE_INFINITY },
    },
    {
      name: 'override: stricter warn ratio',
      evidence: data([200, 100]),
      thresholds: { warnRatio: 1.5 },
      status: 'warn',
      reason: null,
      measured: { ratio: 2 },
    },
  ],
});
