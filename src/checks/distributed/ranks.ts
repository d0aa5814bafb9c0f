// What the distributed checks share: the skip for one rank and a rank's name for sentences.
import type { Detection } from '../../core/check.ts';
import type { DistributedEvidence, RankTelemetry } from '../../core/evidence.ts';
import { type LiveRule, spanOf } from '../../core/live.ts';

/** The skip every distributed check returns when the evidence holds fewer than two ranks. */
export function oneRank(d: DistributedEvidence): Detection<'one-rank'> | null {
  return d.ranks.length < 2
    ? { status: 'skip', measured: { ranks: d.ranks.length }, reason: 'one-rank' }
    : null;
}

export const ONE_RANK_SUMMARY =
  'The evidence holds one rank; the distributed checks compare the ranks of a data-parallel job (one sub-run per rank: rank_0/, rank_1/…).';

/** `rank 1` or `rank 3 (node0_gpu3)` when the label says more than the number. */
export function rankName(r: Pick<RankTelemetry, 'rank' | 'label'>): string {
  return /^(rank|worker|proc|process|replica)[_-]?\d+$/i.test(r.label)
    ? `rank ${r.rank}`
    : `rank ${r.rank} (${r.label})`;
}

/** Step → value of a series' finite points. */
export function finiteByStep(steps: readonly number[], values: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < steps.length; i++) if (Number.isFinite(values[i])) out.set(steps[i], values[i]);
  return out;
}

/** Live rule of the cross-rank comparisons: a difference between ranks that has held a while. */
export const ACROSS_RANKS: LiveRule = {
  kind: 'confirmed',
  counter: 'lossPoints',
  minPoints: 10,
  fresh: 2,
  span: spanOf(50, 0.25),
  words:
    'compared across ranks on ≥ 10 loss points, held for max(50 steps, 25% of the step where it was first seen)',
};
