import type { RebalancingEvidence, RecallByClass } from '../../core/evidence.ts';
import { dataset, evidence } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './rebalancing.ts';

/** Recall of a binary classifier whose class 1 is the minority (900 vs 100 records). */
function recall(minorityRecall: number, majorityRecall = 0.97): RecallByClass {
  return {
    recall: [majorityRecall, minorityRecall],
    minorityRecall,
    accuracy: 0.9 * majorityRecall + 0.1 * minorityRecall,
  };
}

function ab(plain: number, weighted: number, oversampled: number): RebalancingEvidence {
  return {
    minorityClasses: [1],
    steps: 300,
    plain: recall(plain),
    weighted: recall(weighted, 0.93),
    oversampled: recall(oversampled, 0.94),
  };
}

const imbalanced = dataset({ records: 1000, classCounts: [900, 100], featureShape: [8], features: 8 });
const run = (plain: number, weighted: number, oversampled: number) =>
  evidence({ dataset: imbalanced, rebalancing: ab(plain, weighted, oversampled) });

testCheck(check, {
  valid: [
    {
      name: 'rebalancing brings nothing',
      evidence: run(0.8, 0.81, 0.79),
      status: 'pass',
      measured: { gain: 0.01, best: 'weighted', plainMinorityRecall: 0.8 },
    },
    {
      name: 'rebalancing hurts the minority class',
      evidence: run(0.8, 0.7, 0.75),
      status: 'pass',
      measured: { gain: -0.05, best: 'oversampled' },
    },
    {
      name: 'gain just under the threshold',
      evidence: run(0.6, 0.64, 0.6),
      status: 'pass',
      measured: { gain: 0.04 },
    },
    {
      name: 'balanced data: the probe gives no evidence',
      evidence: evidence({
        dataset: dataset(),
        unavailable: { rebalancing: { status: 'skip', reason: 'the classes are balanced' } },
      }),
      status: 'skip',
    },
  ],
  invalid: [
    {
      name: 'class weighting recovers the minority class',
      evidence: run(0.2, 0.65, 0.6),
      status: 'warn',
      reason: 'weighted',
      measured: {
        gain: 0.45,
        best: 'weighted',
        weightedMinorityRecall: 0.65,
        oversampledMinorityRecall: 0.6,
        minorityClasses: [1],
      },
    },
    {
      name: 'oversampling wins',
      evidence: run(0.3, 0.4, 0.55),
      status: 'warn',
      reason: 'oversampled',
      measured: { gain: 0.25, best: 'oversampled', bestAccuracy: 0.9 * 0.94 + 0.1 * 0.55 },
    },
    {
      name: 'tie goes to class weighting',
      evidence: run(0.5, 0.6, 0.6),
      status: 'warn',
      reason: 'weighted',
      measured: { gain: 0.1, best: 'weighted' },
    },
    {
      name: 'gain exactly at the threshold',
      evidence: run(0.65, 0.7, 0.6),
      status: 'warn',
      reason: 'weighted',
      measured: { gain: 0.05, best: 'weighted' },
    },
    {
      name: 'override: smaller gains count',
      evidence: run(0.6, 0.63, 0.6),
      thresholds: { minGain: 0.02 },
      status: 'warn',
      reason: 'weighted',
      measured: { gain: 0.03 },
    },
  ],
});
