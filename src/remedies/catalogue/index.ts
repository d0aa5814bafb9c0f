// The catalogue of candidate fixes, in the order they are tried for a finding that several
// address: fixes of the cause before fixes of its symptoms (the output and the data before the
// weights, the weights before the optimizer, the architecture last).

import type { Fix } from '../types.ts';
import { leakyRelu } from './activation.ts';
import { batchNorm } from './batch-norm.ts';
import { gradientClipping } from './clipping.ts';
import { classWeights, oversample } from './imbalance.ts';
import { biasSmallPositive, reinitFan } from './init.ts';
import { lrDown, lrRangeTest, lrUp } from './learning-rate.ts';
import { lossCrossEntropy, outputActivation } from './output.ts';
import { regularizationLower, regularizationRemove } from './regularization.ts';
import { standardizeInputs, standardizeTargets } from './standardize.ts';

export const CATALOGUE: readonly Fix[] = [
  outputActivation,
  lossCrossEntropy,
  standardizeTargets,
  standardizeInputs,
  reinitFan,
  biasSmallPositive,
  classWeights,
  oversample,
  regularizationLower,
  regularizationRemove,
  lrRangeTest,
  lrDown,
  lrUp,
  gradientClipping,
  batchNorm,
  leakyRelu,
];

export function fixById(id: string): Fix | undefined {
  return CATALOGUE.find((f) => f.id === id);
}
