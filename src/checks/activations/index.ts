// The checks of the 'activations' section, in report order.
import type { Check } from '../../core/check.ts';
import deadRelu from './dead-relu.ts';
import saturation from './saturation.ts';

// biome-ignore lint/suspicious/noExplicitAny: checks differ in their threshold and evidence keys
export const activationsChecks: Check<any, any>[] = [saturation, deadRelu];
