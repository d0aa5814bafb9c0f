import { fmt, pct } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { mean, median, windowSize } from '../../core/stats.ts';
import { ACROSS_RANKS, finiteByStep, ONE_RANK_SUMMARY, oneRank, rankName } from './ranks.ts';

const REASONS = ['one-rank', 'not-logged', 'few-steps', 'skew'] as const;

export default defineCheck({
  id: 'distributed/loss-skew',
  section: 'distributed',
  title: 'Ranks see the same loss',
  why: 'Data-parallel shards are drawn from one distribution, so each rank’s loss agrees with the others’ within batch noise; one rank far off reads a different (corrupt, unshuffled, mislabeled) shard or runs with a different learning rate or seed.',
  needs: ['distributed'],
  plot: { id: 'ranks', lines: {} },
  reasons: REASONS,
  // Among causes: with the data checks — one rank's shard differs (corrupt, unshuffled, mislabeled).
  causeRank: 55,
  live: ACROSS_RANKS,
  thresholds: {
    warnSkew: {
      value: 0.5,
      meaning:
        'warn when a rank’s windowed loss differs from the median of the other ranks by more than this fraction of it (median over the windows)',
      source:
        'nn-doctor default: shards of one distribution agree within batch noise, which windows of 10% of the steps average out',
    },
    failSkew: {
      value: 1,
      meaning: 'fail when that relative difference exceeds this (a rank’s loss twice the others’)',
      source: 'nn-doctor default',
    },
    windowFraction: {
      value: 0.1,
      meaning: 'window length as a fraction of the steps every rank logged',
      source: 'checklist (as other/exploding-gradients)',
    },
    minSteps: {
      value: 5,
      meaning: 'skip with fewer steps logged by every rank',
      source: 'nn-doctor default',
    },
  },
  evaluate({ distributed }, t) {
    const one = oneRank(distributed);
    if (one) return one;
    const ranks = distributed.ranks.filter((r) => r.loss && r.loss.steps.length > 0);
    if (ranks.length < 2)
      return { status: 'skip', measured: { ranksWithLoss: ranks.length }, reason: 'not-logged' };
    const byStep = ranks.map((r) => finiteByStep(r.loss?.steps ?? [], r.loss?.values ?? []));
    const common = [...byStep[0].keys()].filter((s) => byStep.every((m) => m.has(s))).sort((a, b) => a - b);
    if (common.length < t.minSteps)
      return { status: 'skip', measured: { commonSteps: common.length }, reason: 'few-steps' };
    const w = windowSize(common.length, t.windowFraction);
    const windows: number[][] = []; // windows[k][r]
    const starts: number[] = [];
    for (let i = 0; i < common.length; i += w) {
      const steps = common.slice(i, i + w);
      starts.push(steps[0]);
      windows.push(byStep.map((m) => mean(steps.map((s) => m.get(s) as number))));
    }
    const skewOf = (k: number, r: number) => {
      const others = median(windows[k].filter((_, j) => j !== r));
      return Math.abs(windows[k][r] - others) / Math.max(Math.abs(others), 1e-8);
    };
    let worst = 0;
    let worstSkew = -1;
    for (let r = 0; r < ranks.length; r++) {
      const skew = median(windows.map((_, k) => skewOf(k, r)));
      const higher = mean(windows.map((x) => x[r])) > mean(windows.map((x) => x[worst]));
      if (skew > worstSkew + 1e-12 || (Math.abs(skew - worstSkew) <= 1e-12 && higher)) {
        worst = r;
        worstSkew = skew;
      }
    }
    const firstK = windows.findIndex((_, k) => skewOf(k, worst) > t.warnSkew);
    const rankLoss = mean(windows.map((x) => x[worst]));
    const othersLoss = median(
      ranks.map((_, r) => mean(windows.map((x) => x[r]))).filter((_, r) => r !== worst),
    );
    const measured = {
      rank: ranks[worst].rank,
      label: ranks[worst].label,
      skew: worstSkew,
      rankLoss,
      othersLoss,
      step: firstK >= 0 ? starts[firstK] : null,
      commonSteps: common.length,
      ranks: ranks.length,
    };
    if (worstSkew > t.failSkew) return { status: 'fail', measured, reason: 'skew' };
    if (worstSkew > t.warnSkew) return { status: 'warn', measured, reason: 'skew' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _e, t) {
    if (reason === 'one-rank') return { summary: ONE_RANK_SUMMARY, remedy: null };
    if (reason === 'not-logged')
      return {
        summary: `Fewer than two ranks logged a training loss (${measured.ranksWithLoss}); log the loss on every rank to compare them.`,
        remedy: null,
      };
    if (reason === 'few-steps')
      return {
        summary: `The ranks share only ${measured.commonSteps} logged steps with a finite loss; too few to compare.`,
        remedy: null,
      };
    const who = rankName({ rank: Number(measured.rank), label: String(measured.label) });
    const base = `${who[0].toUpperCase()}${who.slice(1)}'s loss (mean ${fmt(Number(measured.rankLoss))}) differs from the other ranks' (${fmt(Number(measured.othersLoss))}) by ${pct(Number(measured.skew))} over ${measured.commonSteps} common steps (median over windows; warn > ${pct(t.warnSkew)}, fail > ${pct(t.failSkew)})`;
    if (status === 'pass') return { summary: `${base}.`, remedy: null };
    return {
      summary: `${base}, from step ${measured.step}.`,
      remedy: `Compare ${who}'s data shard with the others' (DistributedSampler with shuffle and set_epoch, the files assigned to it, its labels) and its configuration: learning-rate schedule, seed, loss scaling — every rank must run the same recipe on the same distribution.`,
    };
  },
  causes: noCauses,
});
