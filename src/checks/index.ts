// Every check, grouped by section in checklist order.
import type { Check } from '../core/check.ts';
import { activationsChecks } from './activations/index.ts';
import { inputsChecks } from './inputs/index.ts';
import { lossChecks } from './loss/index.ts';
import { modelChecks } from './model/index.ts';
import { otherChecks } from './other/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: checks differ in their threshold and evidence keys
export const ALL_CHECKS: Check<any, any>[] = [
  ...inputsChecks,
  ...modelChecks,
  ...lossChecks,
  ...activationsChecks,
  ...otherChecks,
];
