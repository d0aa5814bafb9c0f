// Every check, grouped by section in checklist order.
import type { AnyCheck } from '../core/check.ts';
import { activationsChecks } from './activations/index.ts';
import { distributedChecks } from './distributed/index.ts';
import { inputsChecks } from './inputs/index.ts';
import { lossChecks } from './loss/index.ts';
import { modelChecks } from './model/index.ts';
import { otherChecks } from './other/index.ts';
export const ALL_CHECKS: AnyCheck[] = [
  ...inputsChecks,
  ...modelChecks,
  ...lossChecks,
  ...activationsChecks,
  ...otherChecks,
  ...distributedChecks,
];
