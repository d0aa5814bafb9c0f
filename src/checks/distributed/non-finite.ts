import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { RankTelemetry } from '../../core/evidence.ts';
import { immediate } from '../../core/live.ts';
import { ONE_RANK_SUMMARY, oneRank, rankName } from './ranks.ts';

const REASONS = ['one-rank', 'non-finite'] as const;

export default defineCheck({
  id: 'distributed/non-finite',
  section: 'distributed',
  title: 'Every rank stays finite',
  why: 'One rank with a corrupt data shard turns NaN while rank 0 — often the only one logged or watched — looks fine; the all-reduce then spreads its NaN gradients to every replica.',
  needs: ['distributed'],
  plot: { id: 'ranks', lines: {} },
  reasons: REASONS,
  // Among causes: right after non-finite inputs — the rank whose shard or step went NaN is where
  // to look, before the loss/gradient findings it spreads to through the all-reduce.
  causeRank: 12,
  live: immediate('a non-finite value on a rank is a fact: raised at once'),
  thresholds: {},
  evaluate({ distributed }) {
    const one = oneRank(distributed);
    if (one) return one;
    const bad = distributed.ranks.filter((r) => r.nonFinite !== null);
    const measured = { ranks: distributed.ranks.length, nonFiniteRanks: bad.length };
    if (bad.length === 0) return { status: 'pass', measured };
    // The earliest step; at a tie the rank whose own loss was non-finite there is the origin (an
    // all-reduce spreads one rank's NaN gradient into every replica's weights within that step).
    const order = (r: RankTelemetry) => {
      const step = r.nonFinite?.step ?? 0;
      const i = r.loss?.steps.indexOf(step) ?? -1;
      return 2 * step + (i >= 0 && !Number.isFinite(r.loss?.values[i]) ? 0 : 1);
    };
    const first = bad.reduce((a, b) => (order(b) < order(a) ? b : a));
    return {
      status: 'fail',
      measured: {
        ...measured,
        rank: first.rank,
        label: first.label,
        step: first.nonFinite?.step ?? null,
        tag: first.nonFinite?.tag ?? null,
        finiteRanks: distributed.ranks.filter((r) => r.nonFinite === null).map((r) => r.rank),
      },
      reason: 'non-finite',
    };
  },
  explain({ status, measured, reason }) {
    if (reason === 'one-rank') return { summary: ONE_RANK_SUMMARY, remedy: null };
    if (status === 'pass')
      return {
        summary: `Every value logged by the ${measured.ranks} ranks is finite (fail on any NaN/Inf on any rank).`,
        remedy: null,
      };
    const who = rankName({ rank: Number(measured.rank), label: String(measured.label) });
    const finite = measured.finiteRanks as number[];
    const others = finite.length
      ? `; rank${finite.length === 1 ? '' : 's'} ${finite.join(', ')} stayed finite`
      : `; ${measured.nonFiniteRanks} of ${measured.ranks} ranks turned non-finite`;
    return {
      summary: `${who[0].toUpperCase()}${who.slice(1)} logged NaN/Inf first, at step ${measured.step} ('${measured.tag}')${others}.`,
      remedy: `Check the data shard ${who} reads (its DistributedSampler indices, the files assigned to it) for NaN/Inf and broken records; log every rank (not only rank 0) and add a torch.isfinite(loss) guard that skips the step on all ranks together.`,
    };
  },
  causes: noCauses,
});
