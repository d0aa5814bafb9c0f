// Imbalanced classes: weight each class's loss by the inverse of its frequency, or oversample the
// minority classes, so the majority class stops being the easy minimum.

import { maxOf, minOf } from '../../shared/array.ts';
import { fmt } from '../../shared/format.ts';
import type { Fix, FixContext } from '../types.ts';
import { round2 } from './shared.ts';

/** Largest/smallest class count under which there is nothing to rebalance. */
const NEARLY_BALANCED = 1.5;

function applicability(ctx: FixContext): string | null {
  if (ctx.task.kind !== 'classification' || ctx.task.labelEncoding === 'multi-hot')
    return 'not a single-label classification task';
  if (ctx.setup.classWeights) return 'the setup already trains with class weights';
  const present = (ctx.dataset?.classCounts ?? []).filter((c) => c > 0);
  if (present.length < 2) return 'fewer than two classes have records';
  // Rebalancing classes that are nearly balanced changes nothing worth measuring.
  if (maxOf(present) < NEARLY_BALANCED * minOf(present)) return 'the classes are nearly balanced';
  return null;
}

/** n / (k · count_c) for the k classes with records: the weights `class_weight='balanced'` gives in scikit-learn. */
export function balancedWeights(counts: number[]): number[] {
  const present = counts.filter((c) => c > 0);
  const total = present.reduce((a, b) => a + b, 0);
  return counts.map((c) => (c > 0 ? round2(total / (present.length * c)) : 1));
}

export const classWeights = {
  id: 'class-weights',
  title: 'Weight the classes by inverse frequency',
  family: 'imbalance',
  addresses: ['inputs/class-balance', 'inputs/rebalancing'],
  applies: applicability,
  params: (ctx) => ({ classWeights: balancedWeights(ctx.dataset?.classCounts ?? []) }),
  apply: (_topology, params) => ({
    changes: { edits: [], reinitialized: [], classWeights: (params.classWeights as number[]).slice() },
  }),
  describe: (changes) => {
    const w = changes.classWeights ?? [];
    return `class weights ${fmt(minOf(w))}–${fmt(maxOf(w))} (inverse class frequency)`;
  },
} as const satisfies Fix;

export const oversample = {
  id: 'oversample',
  title: 'Oversample the minority classes',
  family: 'imbalance',
  addresses: ['inputs/class-balance', 'inputs/rebalancing'],
  applies: applicability,
  params: () => ({}),
  apply: () => ({ changes: { edits: [], reinitialized: [] }, fit: ['oversample'] }),
  describe: (changes) =>
    `minority classes repeated up to ${fmt(maxOf(changes.oversampledCounts ?? [0]))} records each per epoch`,
} as const satisfies Fix;
