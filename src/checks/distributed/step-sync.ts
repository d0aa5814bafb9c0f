import { fmt } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { median } from '../../core/stats.ts';
import { ACROSS_RANKS, ONE_RANK_SUMMARY, oneRank, rankName } from './ranks.ts';

/** The step a rank had logged last at wall time t (−Infinity before its first point). */
function stepAt(times: readonly number[], steps: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? Number.NEGATIVE_INFINITY : steps[found];
}

const REASONS = ['one-rank', 'not-logged', 'no-overlap', 'desync'] as const;

export default defineCheck({
  id: 'distributed/step-sync',
  section: 'distributed',
  title: 'Ranks advance in step',
  why: 'Synchronous data parallelism waits for every rank at each gradient all-reduce, so at any moment the ranks are at the same step; ranks far apart at the same wall time are not averaging gradients with each other (or a rank restarted from an older checkpoint).',
  needs: ['distributed'],
  plot: { id: 'ranks', lines: {} },
  reasons: REASONS,
  // Among causes: near the end — ranks out of step waste time more than they stop learning.
  causeRank: 245,
  live: ACROSS_RANKS,
  thresholds: {
    warnIntervals: {
      value: 3,
      meaning:
        'warn when, at one wall time, the ranks’ latest logged steps differ by more than this many logging intervals (median step gap between a rank’s points)',
      source:
        'nn-doctor default: synchronous ranks differ by at most one logging interval (the one being written)',
    },
    failIntervals: {
      value: 20,
      meaning: 'fail when they differ by more than this many logging intervals',
      source: 'nn-doctor default: well beyond host clock skew at usual step times',
    },
  },
  evaluate({ distributed }, t) {
    const one = oneRank(distributed);
    if (one) return one;
    const ranks = distributed.ranks.filter((r) => r.loss && r.lossWallTimes && r.loss.steps.length > 1);
    if (ranks.length < 2)
      return { status: 'skip', measured: { ranksWithTimes: ranks.length }, reason: 'not-logged' };
    // Each rank's points in write order (wall time), a running maximum against clock steps back.
    const tracks = ranks.map((r) => {
      const idx = (r.lossWallTimes as number[])
        .map((_, i) => i)
        .sort((a, b) => (r.lossWallTimes as number[])[a] - (r.lossWallTimes as number[])[b]);
      return {
        times: idx.map((i) => (r.lossWallTimes as number[])[i]),
        steps: idx.map((i) => (r.loss?.steps ?? [])[i]),
      };
    });
    const gaps = ranks.flatMap((r) => {
      const s = r.loss?.steps ?? [];
      return s
        .slice(1)
        .map((x, i) => x - s[i])
        .filter((g) => g > 0);
    });
    const interval = Math.max(1, median(gaps));
    const start = Math.max(...tracks.map((k) => k.times[0]));
    const end = Math.min(...tracks.map((k) => k.times[k.times.length - 1]));
    let lag = 0;
    let at = start;
    let ahead = 0;
    let behind = 0;
    for (const k of tracks) {
      for (const time of k.times) {
        if (time < start || time > end) continue;
        const steps = tracks.map((x) => stepAt(x.times, x.steps, time));
        const hi = Math.max(...steps);
        const lo = Math.min(...steps);
        if (hi - lo > lag) {
          lag = hi - lo;
          at = time;
          ahead = steps.indexOf(hi);
          behind = steps.indexOf(lo);
        }
      }
    }
    const measured = {
      lagSteps: lag,
      intervals: lag / interval,
      interval,
      wallTime: at,
      ahead: rankName(ranks[ahead]),
      behind: rankName(ranks[behind]),
      aheadStep: stepAt(tracks[ahead].times, tracks[ahead].steps, at),
      overlapS: Math.max(0, end - start),
      ranks: ranks.length,
    };
    if (end < start) return { status: 'skip', measured, reason: 'no-overlap' };
    if (lag / interval > t.failIntervals) return { status: 'fail', measured, reason: 'desync' };
    if (lag / interval > t.warnIntervals) return { status: 'warn', measured, reason: 'desync' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _e, t) {
    if (reason === 'one-rank') return { summary: ONE_RANK_SUMMARY, remedy: null };
    if (reason === 'not-logged')
      return {
        summary: 'Fewer than two ranks logged a loss with wall times; nothing to compare.',
        remedy: null,
      };
    if (reason === 'no-overlap')
      return {
        summary:
          'The ranks’ logs do not overlap in wall time (they ran one after the other, or their clocks disagree); step sync cannot be judged.',
        remedy: null,
      };
    const gap = `${measured.lagSteps} steps (${fmt(Number(measured.intervals))} logging intervals of ${fmt(Number(measured.interval))} steps; warn > ${t.warnIntervals}, fail > ${t.failIntervals})`;
    if (status === 'pass')
      return {
        summary: `At the same wall time the ${measured.ranks} ranks were at most ${gap} apart.`,
        remedy: null,
      };
    return {
      summary: `At ${new Date(Number(measured.wallTime) * 1000).toISOString()} ${measured.ahead} was at step ${measured.aheadStep} while ${measured.behind} was ${measured.lagSteps} steps behind: ${gap}.`,
      remedy:
        'Synchronous ranks cannot drift apart: check that every rank joins the same process group and wraps the model in DistributedDataParallel (its all-reduce is the barrier), that no rank resumed from another checkpoint, and that the hosts’ clocks are synchronized (NTP) before trusting wall times across machines.',
    };
  },
  causes: noCauses,
});
