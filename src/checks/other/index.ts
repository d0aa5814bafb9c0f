// The checks of the 'other' section, in report order.
import type { AnyCheck } from '../../core/check.ts';
import explodingGradients from './exploding-gradients.ts';
import gradientFlow from './gradient-flow.ts';
import updateRatio from './update-ratio.ts';
import weightVariance from './weight-variance.ts';
export const otherChecks: AnyCheck[] = [explodingGradients, gradientFlow, updateRatio, weightVariance];
