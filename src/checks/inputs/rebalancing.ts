import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { NEEDS_EXPERIMENT } from '../../core/live.ts';
import { pct } from '../../shared/format.ts';
import { classWeightCode, frameworkOf } from '../remedy-code.ts';

export default defineCheck({
  id: 'inputs/rebalancing',
  section: 'inputs',
  title: 'Rebalancing an imbalanced set helps the minority classes',
  why: 'On an imbalanced set plain training under-serves the minority classes; class weighting or oversampling often recovers their recall at little cost.',
  needs: ['rebalancing', 'dataset'],
  plot: { id: 'class-counts', lines: {} },
  reasons: ['oversampled', 'weighted'],
  causeRank: 230,
  live: NEEDS_EXPERIMENT,
  thresholds: {
    minGain: {
      value: 0.05,
      meaning:
        'warn when class weighting or oversampling raises minority-class recall by at least this (absolute)',
      source: 'checklist ("moving beyond undersampling")',
    },
  },
  evaluate({ rebalancing }, t) {
    const { plain, weighted, oversampled } = rebalancing;
    // Ties go to class weighting: it needs no change to the data pipeline.
    const best = oversampled.minorityRecall > weighted.minorityRecall ? 'oversampled' : 'weighted';
    const bestRecall = rebalancing[best].minorityRecall;
    const gain = bestRecall - plain.minorityRecall;
    const measured = {
      gain,
      best,
      plainMinorityRecall: plain.minorityRecall,
      weightedMinorityRecall: weighted.minorityRecall,
      oversampledMinorityRecall: oversampled.minorityRecall,
      plainAccuracy: plain.accuracy,
      bestAccuracy: rebalancing[best].accuracy,
      minorityClasses: rebalancing.minorityClasses,
      steps: rebalancing.steps,
    };
    // Recalls are ratios of counts: allow for rounding in their difference.
    return gain >= t.minGain - 1e-9
      ? { status: 'warn', measured, reason: best }
      : { status: 'pass', measured };
  },
  explain({ status, measured }, evidence, t) {
    const { rebalancing, dataset } = evidence;
    const method = measured.best === 'oversampled' ? 'oversampling' : 'class weighting';
    const minority = rebalancing.minorityClasses.join(', ');
    const summary = `Minority-class recall (class${rebalancing.minorityClasses.length === 1 ? '' : 'es'} ${minority}): plain ${pct(Number(measured.plainMinorityRecall))}, weighted ${pct(Number(measured.weightedMinorityRecall))}, oversampled ${pct(Number(measured.oversampledMinorityRecall))}; ${method} gains ${pct(Number(measured.gain))} (warn ≥ ${pct(t.minGain)}).`;
    if (status === 'pass') {
      return { summary: `${summary} Rebalancing does not beat plain training.`, remedy: null };
    }
    const counts = dataset.classCounts ?? [];
    const total = counts.reduce((a, b) => a + b, 0);
    const weights = Object.fromEntries(
      counts.map((n, c) => [c, n > 0 ? Number((total / (counts.length * n)).toPrecision(3)) : 0]),
    );
    const accuracy = `overall accuracy went from ${pct(Number(measured.plainAccuracy))} to ${pct(Number(measured.bestAccuracy))}`;
    return {
      summary,
      remedy:
        measured.best === 'oversampled'
          ? `Oversample the minority classes (${minority}) in the training split only, e.g. repeat their records until each class has about as many as the largest one (${accuracy} in the A/B run); keep validation and test sets untouched and track per-class recall.`
          : `Train with class weights inversely proportional to class frequency, e.g. ${classWeightCode(frameworkOf(evidence), weights)} (${accuracy} in the A/B run); track per-class recall, not just accuracy.`,
    };
  },
  causes: noCauses,
});
