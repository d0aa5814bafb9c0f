// The checks of the 'activations' section, in report order.
import type { AnyCheck } from '../../core/check.ts';
import deadRelu from './dead-relu.ts';
import saturation from './saturation.ts';
export const activationsChecks: AnyCheck[] = [saturation, deadRelu];
