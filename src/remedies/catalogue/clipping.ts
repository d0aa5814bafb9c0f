// Gradient clipping: rescale each step's gradients so that their global L2 norm stays under a
// cap. A step that would blow the weights up moves them by a bounded amount instead.
import { fmt } from '../../shared/format.ts';
import type { Fix, FixContext } from '../types.ts';
import { round2 } from './shared.ts';

/** The cap: the gradient norm at the start of the instrumented run (growth past it is cut), else 1. */
function clipNorm(ctx: FixContext): number {
  const first = ctx.training?.gradNorm?.values.find((v) => Number.isFinite(v) && v > 0);
  return first === undefined ? 1 : round2(first);
}

export const gradientClipping = {
  id: 'gradient-clipping',
  title: 'Clip the gradient norm',
  family: 'clipping',
  addresses: ['other/exploding-gradients', 'loss/non-finite'],
  applies: () => null,
  params: (ctx) => ({ clipNorm: clipNorm(ctx) }),
  apply: (_topology, params) => ({
    changes: { edits: [], reinitialized: [], clipNorm: Number(params.clipNorm) },
  }),
  describe: (changes) => `gradients clipped to global norm ${fmt(changes.clipNorm)}`,
} as const satisfies Fix;
