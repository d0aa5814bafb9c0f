import { fmt } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { median } from '../../core/stats.ts';
import { ACROSS_RANKS, finiteByStep, ONE_RANK_SUMMARY, oneRank, rankName } from './ranks.ts';

const REASONS = ['one-rank', 'not-logged', 'diverged'] as const;

export default defineCheck({
  id: 'distributed/replica-divergence',
  section: 'distributed',
  title: 'Replicas keep identical weights',
  why: 'Data-parallel replicas start from the same weights and apply the same averaged gradient, so they stay identical; when they drift apart the gradients are not averaged (no DDP wrapper, a missing all_reduce, a model wrapped after its optimizer was built) and each rank trains its own model on a fraction of the data.',
  needs: ['distributed'],
  plot: { id: 'ranks', lines: { replicaSpreadFail: 'failSpread' } },
  reasons: REASONS,
  // Among causes: near the top — replicas that drift apart are a setup bug (gradients not
  // averaged) that every per-rank finding downstream inherits.
  causeRank: 15,
  live: ACROSS_RANKS,
  thresholds: {
    warnSpread: {
      value: 1e-4,
      meaning:
        'warn when the weight norms of one parameter differ across ranks at the same step by more than this fraction of their median ((max − min) / median)',
      source:
        'PyTorch DDP design: parameters broadcast from rank 0 at construction and all-reduced gradients keep replicas identical; the margin allows float32 norms reduced in another order',
    },
    failSpread: {
      value: 1e-3,
      meaning: 'fail when that spread exceeds this',
      source:
        'nn-doctor default: 10× the warn margin; replicas without gradient averaging drift by 1e-2 or more within tens of steps (test/distributed.test.ts)',
    },
  },
  evaluate({ distributed }, t) {
    const one = oneRank(distributed);
    if (one) return one;
    const weights = new Map<
      string,
      { layer: string; byRank: { rank: number; label: string; norms: Map<number, number> }[] }
    >();
    for (const r of distributed.ranks) {
      for (const w of r.weightNorms) {
        const entry = weights.get(w.weight) ?? { layer: w.layer, byRank: [] };
        entry.byRank.push({ rank: r.rank, label: r.label, norms: finiteByStep(w.steps, w.values) });
        weights.set(w.weight, entry);
      }
    }
    let compared = 0;
    let worst: {
      weight: string;
      layer: string;
      spread: number;
      step: number;
      hi: string;
      lo: string;
    } | null = null;
    let firstOver: { weight: string; layer: string; step: number } | null = null;
    for (const [weight, { layer, byRank }] of weights) {
      if (byRank.length < 2) continue;
      const steps = [...byRank[0].norms.keys()]
        .filter((s) => byRank.every((b) => b.norms.has(s)))
        .sort((a, b) => a - b);
      if (steps.length === 0) continue;
      compared++;
      for (const step of steps) {
        const values = byRank.map((b) => b.norms.get(step) as number);
        const hi = Math.max(...values);
        const lo = Math.min(...values);
        const spread = (hi - lo) / Math.max(Math.abs(median(values)), 1e-12);
        if (spread > t.warnSpread && (!firstOver || step < firstOver.step))
          firstOver = { weight, layer, step };
        if (!worst || spread > worst.spread) {
          const name = (v: number) => {
            const b = byRank[values.indexOf(v)];
            return rankName(b);
          };
          worst = { weight, layer, spread, step, hi: name(hi), lo: name(lo) };
        }
      }
    }
    if (!worst) return { status: 'skip', measured: { weightsCompared: 0 }, reason: 'not-logged' };
    const measured = {
      layer: worst.layer,
      weight: worst.weight,
      spread: worst.spread,
      step: worst.step,
      highest: worst.hi,
      lowest: worst.lo,
      firstStep: firstOver?.step ?? null,
      firstLayer: firstOver?.layer ?? null,
      weightsCompared: compared,
      ranks: distributed.ranks.length,
    };
    if (worst.spread > t.failSpread) return { status: 'fail', measured, reason: 'diverged' };
    if (worst.spread > t.warnSpread) return { status: 'warn', measured, reason: 'diverged' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _e, t) {
    if (reason === 'one-rank') return { summary: ONE_RANK_SUMMARY, remedy: null };
    if (reason === 'not-logged')
      return {
        summary:
          'No parameter has weight norms (or weight histograms) logged on two ranks at the same step; log `weight_norm/<param>` on every rank (python/nn_doctor_log.py does) to compare replicas.',
        remedy: null,
      };
    const spread = `(max − min) / median ${fmt(Number(measured.spread))} (warn > ${fmt(t.warnSpread)}, fail > ${fmt(t.failSpread)})`;
    if (status === 'pass')
      return {
        summary: `The weight norms of ${measured.weightsCompared} parameters agree across ${measured.ranks} ranks at every common step: largest ${spread}.`,
        remedy: null,
      };
    const first =
      measured.firstStep !== null
        ? ` They first differed at step ${measured.firstStep} (layer ${measured.firstLayer}).`
        : '';
    return {
      summary: `The replicas diverged: layer ${measured.layer} ('${measured.weight}') has weight norms differing across ranks by ${spread} at step ${measured.step}, ${measured.highest} highest and ${measured.lowest} lowest.${first}`,
      remedy:
        'Average the gradients: wrap the model in DistributedDataParallel (or FSDP) before building the optimizer from its parameters, do not call the wrapped module’s .module for the forward pass, and with a hand-written loop all_reduce every gradient (divided by the world size) before optimizer.step(); start every rank from the same seed or broadcast rank 0’s weights.',
    };
  },
  causes: noCauses,
});
