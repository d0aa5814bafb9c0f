// The checks of the 'other' section, in report order.
import type { Check } from '../../core/check.ts';
import explodingGradients from './exploding-gradients.ts';
import gradientFlow from './gradient-flow.ts';
import updateRatio from './update-ratio.ts';
import weightVariance from './weight-variance.ts';

// biome-ignore lint/suspicious/noExplicitAny: checks differ in their threshold and evidence keys
export const otherChecks: Check<any, any>[] = [explodingGradients, gradientFlow, updateRatio, weightVariance];
