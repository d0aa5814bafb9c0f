// The checks of the 'loss' section, in report order.
import type { AnyCheck } from '../../core/check.ts';
import initialLoss from './initial-loss.ts';
import learningRate from './learning-rate.ts';
import nonFinite from './non-finite.ts';
import outputMismatch from './output-mismatch.ts';
import overfitting from './overfitting.ts';
import regularization from './regularization.ts';
import steepDrop from './steep-drop.ts';
export const lossChecks: AnyCheck[] = [
  outputMismatch,
  initialLoss,
  learningRate,
  regularization,
  steepDrop,
  nonFinite,
  overfitting,
];
