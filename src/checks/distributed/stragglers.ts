import { fmt } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { median } from '../../core/stats.ts';
import { ACROSS_RANKS, ONE_RANK_SUMMARY, oneRank, rankName } from './ranks.ts';

/** Median wall seconds per step between a rank's consecutive logged points (the first gap, start-up, left out). */
function secondsPerStep(steps: readonly number[], times: readonly number[]): number | null {
  const rates: number[] = [];
  for (let i = 2; i < steps.length; i++) {
    const ds = steps[i] - steps[i - 1];
    const dt = times[i] - times[i - 1];
    if (ds > 0 && dt >= 0) rates.push(dt / ds);
  }
  return rates.length ? median(rates) : null;
}

const REASONS = ['one-rank', 'not-logged', 'straggler'] as const;

export default defineCheck({
  id: 'distributed/stragglers',
  section: 'distributed',
  title: 'No rank is a straggler',
  why: 'In synchronous data parallelism every step waits for the slowest rank: one slow rank (a throttled GPU, a slow data loader, a busy host) sets the pace of the whole job.',
  needs: ['distributed'],
  plot: { id: 'ranks', lines: {} },
  reasons: REASONS,
  // Among causes: last of the distributed ones — a straggler slows the job, it does not stop learning.
  causeRank: 248,
  live: ACROSS_RANKS,
  thresholds: {
    warnRatio: {
      value: 1.5,
      meaning:
        'warn when a rank’s median wall time per step exceeds this multiple of the other ranks’ median',
      source:
        'nn-doctor default, in the spirit of the straggler scores of Holistic Trace Analysis (per-rank step time against the median rank)',
    },
    failRatio: {
      value: 3,
      meaning: 'fail when it exceeds this multiple',
      source: 'nn-doctor default',
    },
  },
  evaluate({ distributed }, t) {
    const one = oneRank(distributed);
    if (one) return one;
    const timed = distributed.ranks
      .map((r) => ({
        r,
        s: r.loss && r.lossWallTimes ? secondsPerStep(r.loss.steps, r.lossWallTimes) : null,
      }))
      .filter((x): x is { r: (typeof x)['r']; s: number } => x.s !== null);
    if (timed.length < 2)
      return { status: 'skip', measured: { ranksWithTimes: timed.length }, reason: 'not-logged' };
    let worst = 0;
    for (let i = 1; i < timed.length; i++) if (timed[i].s > timed[worst].s) worst = i;
    const others = median(timed.filter((_, i) => i !== worst).map((x) => x.s));
    const ratio = others > 0 ? timed[worst].s / others : timed[worst].s > 0 ? Number.POSITIVE_INFINITY : 1;
    const measured = {
      rank: timed[worst].r.rank,
      label: timed[worst].r.label,
      secondsPerStep: timed[worst].s,
      othersSecondsPerStep: others,
      ratio: Number.isFinite(ratio) ? ratio : null,
      perRank: timed.map((x) => x.s),
      ranks: timed.length,
    };
    if (!(ratio <= t.failRatio)) return { status: 'fail', measured, reason: 'straggler' };
    if (ratio > t.warnRatio) return { status: 'warn', measured, reason: 'straggler' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _e, t) {
    if (reason === 'one-rank') return { summary: ONE_RANK_SUMMARY, remedy: null };
    if (reason === 'not-logged')
      return {
        summary:
          'Fewer than two ranks logged a loss with wall times over 3 or more points; nothing to compare.',
        remedy: null,
      };
    const who = rankName({ rank: Number(measured.rank), label: String(measured.label) });
    const ratio = measured.ratio === null ? 'infinitely' : `${fmt(Number(measured.ratio))}×`;
    const base = `The slowest, ${who}, took ${fmt(Number(measured.secondsPerStep))} s per step, ${ratio} the other ranks' median ${fmt(Number(measured.othersSecondsPerStep))} s (warn > ${t.warnRatio}×, fail > ${t.failRatio}×)`;
    if (status === 'pass') return { summary: `${base}.`, remedy: null };
    return {
      summary: `${base}.`,
      remedy: `Look at ${who}'s host: GPU clocks and temperature (nvidia-smi -q -d PERFORMANCE), its data loader (more workers, pinned memory, local copies of the shard), other jobs on the machine; PyTorch's Flight Recorder or Holistic Trace Analysis then show which collective it arrives late to.`,
    };
  },
  causes: noCauses,
});
