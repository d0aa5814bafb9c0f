import { firstSentence } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { immediate } from '../../core/live.ts';
import { pct } from '../../shared/format.ts';
import { frameworkOf, nonFiniteCode } from '../remedy-code.ts';

/** Shares may be tiny (one NaN in a million values): two significant digits, not decimals. */
const share = (x: number): string => pct(x, { significant: 2 });

export default defineCheck({
  id: 'inputs/non-finite',
  section: 'inputs',
  title: 'Features and labels are finite (no NaN/Inf)',
  why: 'A single NaN or Inf in a batch turns the loss and every gradient into NaN, and the weights with them.',
  needs: ['dataset'],
  uses: ['task'],
  reasons: [],
  // Among causes (core/diagnosis.ts): NaN in the data poisons everything downstream
  causeRank: 10,
  live: immediate('a non-finite value is a fact: raised at once'),
  thresholds: {
    maxNonFinite: {
      value: 0,
      meaning: 'fail when the count of NaN/Inf values in the features or in the labels exceeds this',
      source: 'checklist (beyond): any non-finite value poisons the loss',
    },
  },
  evaluate({ dataset, task }, t) {
    const features = dataset.nonFiniteFeatures;
    const labels = dataset.nonFiniteLabels;
    // Label values per record: one per class for one-hot labels, else one (multi-output
    // regression targets are counted as one, so the fraction is an upper bound there).
    const labelWidth = task?.labelEncoding === 'one-hot' && task.classes ? task.classes : 1;
    const featureValues = Math.max(1, dataset.records * dataset.features);
    const labelValues = Math.max(1, dataset.records * labelWidth);
    const measured = {
      nonFiniteFeatures: features,
      nonFiniteLabels: labels,
      featureFraction: features / featureValues,
      labelFraction: Math.min(1, labels / labelValues),
      fraction: Math.min(1, (features + labels) / (featureValues + labelValues)),
    };
    if (features > t.maxNonFinite || labels > t.maxNonFinite) return { status: 'fail', measured };
    return { status: 'pass', measured };
  },
  explain({ status, measured }, evidence, t) {
    const { dataset } = evidence;
    const features = Number(measured.nonFiniteFeatures);
    const labels = Number(measured.nonFiniteLabels);
    const summary = `${features} NaN/Inf value${features === 1 ? '' : 's'} in the features (${share(Number(measured.featureFraction))}) and ${labels} in the labels (${share(Number(measured.labelFraction))}), over ${dataset.records} records (fail > ${t.maxNonFinite}).`;
    if (status === 'pass') return { summary, remedy: null };
    const where = [features > t.maxNonFinite ? 'features' : null, labels > t.maxNonFinite ? 'labels' : null]
      .filter(Boolean)
      .join(' and ');
    return {
      summary,
      remedy: `Find the non-finite ${where} before training (e.g. ${nonFiniteCode(frameworkOf(evidence))}) and fix them at the source: empty or non-numeric CSV cells parse as NaN, standardizing a constant feature divides by a zero std, and log/division of zero gives -Inf/Inf. Drop or impute the affected records (impute with the training-set mean or median), and guard the preprocessing (e.g. (x - μ) / (σ + 1e-7)).`,
    };
  },
  causes: {
    effects: [
      'loss/non-finite',
      'other/exploding-gradients',
      'loss/learning-rate',
      'loss/initial-loss',
      'inputs/overfit-small',
      'inputs/label-signal',
      'inputs/target-scale',
      'other/gradient-flow',
      'other/update-ratio',
      'inputs/mean-centering',
    ],
    generic: (c) =>
      `NaN/Inf values in the data make every loss and gradient that touches them NaN (${firstSentence(c.summary)})`,
  },
});
