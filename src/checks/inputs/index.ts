// The checks of the 'inputs' section, in report order.
import type { Check } from '../../core/check.ts';
import classBalance from './class-balance.ts';

// biome-ignore lint/suspicious/noExplicitAny: checks differ in their threshold and evidence keys
export const inputsChecks: Check<any, any>[] = [classBalance];
