import type { DatasetEvidence } from '../../core/evidence.ts';
import { dataset, evidence } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './mean-centering.ts';

const data = (over: Partial<DatasetEvidence>) => evidence({ dataset: dataset(over) });

/** Tabular features, 12 columns. */
const tabular = (over: Partial<DatasetEvidence>) =>
  data({ source: 'test.csv', featureShape: [12], features: 12, classCounts: [60, 40], ...over });

testCheck(check, {
  valid: [
    {
      name: 'MNIST pixels scaled to [0,1] (the standard setup)',
      evidence: data({}),
      status: 'pass',
      measured: { meanAbsFeatureMean: 0.1307, std: 0.3081, min: 0, max: 1 },
    },
    {
      name: 'standardized tabular features',
      evidence: tabular({ mean: 0, std: 1, min: -4.2, max: 5.1, meanAbsFeatureMean: 1e-8 }),
      status: 'pass',
      measured: { mean: 0, std: 1, meanAbsFeatureMean: 1e-8 },
    },
    {
      name: 'mean-image-subtracted pixels',
      evidence: data({ mean: 0, std: 0.3, min: -0.5, max: 0.97, meanAbsFeatureMean: 0 }),
      status: 'pass',
      measured: { meanAbsFeatureMean: 0 },
    },
    {
      name: 'token ids for an Embedding layer: centering does not apply',
      evidence: tabular({
        inputKind: 'tokens',
        mean: 99.5,
        std: 57.7,
        min: 0,
        max: 199,
        meanAbsFeatureMean: 99.5,
      }),
      status: 'skip',
      reason: 'tokens',
    },
    {
      name: 'mean |μ| exactly at the warn threshold',
      evidence: tabular({ mean: 0.2, std: 1, meanAbsFeatureMean: 0.2 }),
      status: 'pass',
      measured: { meanAbsFeatureMean: 0.2 },
    },
    {
      name: 'override: looser warn threshold',
      evidence: tabular({ mean: 0.4, std: 1, meanAbsFeatureMean: 0.4 }),
      thresholds: { warnMeanAbs: 0.5 },
      status: 'pass',
    },
    {
      name: 'no finite values to measure',
      evidence: tabular({ mean: Number.NaN, std: Number.NaN, meanAbsFeatureMean: Number.NaN }),
      status: 'skip',
      reason: 'no-finite-values',
    },
  ],
  invalid: [
    {
      name: 'raw 0–255 MNIST pixels',
      evidence: data({ mean: 33.3, std: 78.6, min: 0, max: 255, meanAbsFeatureMean: 33.3 }),
      status: 'fail',
      reason: 'raw-scale',
      measured: { std: 78.6, meanAbsFeatureMean: 33.3, max: 255 },
    },
    {
      name: '[0,1] pixels divided by 255 again',
      evidence: data({
        mean: 0.1307 / 255,
        std: 0.3081 / 255,
        max: 1 / 255,
        meanAbsFeatureMean: 0.1307 / 255,
      }),
      status: 'fail',
      reason: 'tiny-scale',
      measured: { std: 0.3081 / 255, max: 1 / 255 },
    },
    {
      name: 'constant features',
      evidence: tabular({ mean: 3, std: 0, min: 3, max: 3, meanAbsFeatureMean: 3 }),
      status: 'fail',
      reason: 'tiny-scale',
      measured: { std: 0 },
    },
    {
      name: 'unscaled tabular features (prices in the thousands)',
      evidence: tabular({ mean: 1800, std: 5200, min: 0, max: 90000, meanAbsFeatureMean: 1800 }),
      status: 'fail',
      reason: 'raw-scale',
      measured: { std: 5200, meanAbsFeatureMean: 1800 },
    },
    {
      name: 'off-center features of sane scale',
      evidence: tabular({ mean: 2.5, std: 1.5, min: 0, max: 9, meanAbsFeatureMean: 2.5 }),
      status: 'fail',
      reason: 'off-center',
      measured: { meanAbsFeatureMean: 2.5, std: 1.5 },
    },
    {
      name: 'mildly off-center: [0,1] features with mean 0.45',
      evidence: tabular({ mean: 0.45, std: 0.28, min: 0, max: 1, meanAbsFeatureMean: 0.45 }),
      status: 'warn',
      reason: 'off-center',
      measured: { meanAbsFeatureMean: 0.45, min: 0, max: 1 },
    },
    {
      name: 'override: stricter warn threshold flags MNIST [0,1]',
      evidence: data({}),
      thresholds: { warnMeanAbs: 0.1 },
      status: 'warn',
      reason: 'off-center',
      measured: { meanAbsFeatureMean: 0.1307 },
    },
  ],
});
