import { firstSentence } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { NEEDS_EXPERIMENT } from '../../core/live.ts';
import { maxOf, minOf } from '../../shared/array.ts';
import { pct } from '../../shared/format.ts';
import { classWeightCode, frameworkOf } from '../remedy-code.ts';

export default defineCheck({
  id: 'inputs/class-balance',
  section: 'inputs',
  title: 'Every class has enough records',
  why: 'A model trained on a heavily imbalanced set can minimize the loss by predicting the majority class for everything.',
  needs: ['dataset'],
  uses: ['task'],
  plot: { id: 'class-counts', lines: {} },
  reasons: ['regression', 'constant-label', 'rare-label', 'missing-class', 'weighted'],
  // Among causes (core/diagnosis.ts): the majority class is the easy minimum
  causeRank: 60,
  live: NEEDS_EXPERIMENT,
  thresholds: {
    warnRatio: {
      value: 3,
      meaning: 'warn when largest/smallest class count exceeds this',
      source: 'checklist',
    },
    failRatio: {
      value: 10,
      meaning: 'fail when largest/smallest class count exceeds this',
      source: 'SageMaker Debugger ClassImbalance (10)',
    },
  },
  evaluate({ dataset, task }, t) {
    const counts = dataset.classCounts;
    if (!counts) return { status: 'skip', measured: {}, reason: 'regression' };
    if (task?.labelEncoding === 'multi-hot') {
      // Multi-label: each label is its own yes/no; judge each label's positives against its negatives.
      const ratios = counts.map((pos) => {
        const small = Math.min(pos, dataset.records - pos);
        return small === 0 ? Number.POSITIVE_INFINITY : Math.max(pos, dataset.records - pos) / small;
      });
      const worst = ratios.indexOf(maxOf(ratios));
      const constant = counts.filter((pos) => pos === 0 || pos === dataset.records).length;
      const measured = {
        ratio: ratios[worst],
        worstLabel: worst,
        positives: counts[worst],
        records: dataset.records,
        constantLabels: constant,
        multiLabel: true,
      };
      if (constant > 0) return { status: 'fail', measured, reason: 'constant-label' };
      if (ratios[worst] > t.failRatio) return { status: 'warn', measured, reason: 'rare-label' };
      return { status: 'pass', measured };
    }
    const largest = maxOf(counts);
    const smallest = minOf(counts);
    const missing = counts.filter((n) => n === 0).length;
    const ratio = smallest === 0 ? Number.POSITIVE_INFINITY : largest / smallest;
    const majorityShare = largest / Math.max(1, dataset.records);
    // With class weights the loss sees weight × count per class: that is the balance training feels.
    const weights = task?.classWeights;
    const mass = weights ? counts.map((n, c) => n * (weights[c] ?? 1)) : null;
    const weightedRatio =
      mass && minOf(mass) > 0 ? maxOf(mass) / minOf(mass) : mass ? Number.POSITIVE_INFINITY : null;
    const measured = { ratio, largest, smallest, missingClasses: missing, majorityShare, weightedRatio };
    if (missing > 0) return { status: 'fail', measured, reason: 'missing-class' };
    const effective = weightedRatio ?? ratio;
    if (effective > t.failRatio) return { status: 'fail', measured };
    if (effective > t.warnRatio) return { status: 'warn', measured };
    return {
      status: 'pass',
      measured,
      reason: weightedRatio !== null && ratio > t.warnRatio ? 'weighted' : undefined,
    };
  },
  explain({ status, measured, reason }, evidence, t) {
    const { dataset } = evidence;
    if (status === 'skip') {
      const rec = evidence.task?.reconstruction;
      return {
        summary: rec
          ? `Reconstruction target (${rec === 'inputs' ? 'the inputs themselves' : 'continuous values in [0, 1]'} over ${evidence.task?.outputUnits ?? '?'} outputs): each output is a value to reproduce, not a label, so there are no classes to balance.`
          : 'Regression target: there are no classes to balance.',
        remedy: null,
      };
    }
    if (measured.multiLabel) {
      const label = `label ${measured.worstLabel}`;
      if (reason === 'constant-label')
        return {
          summary: `${measured.constantLabels} label(s) are the same for every record (e.g. ${label}: ${measured.positives} of ${measured.records} positive); nothing can be learned about them.`,
          remedy:
            'Drop the labels that never (or always) occur from the output layer, or collect records where they differ; check that the label columns were read correctly.',
        };
      const summary = `Rarest label: ${label}, positive in ${measured.positives} of ${measured.records} records, a ${Number(measured.ratio).toFixed(1)}:1 split (warn > ${t.failRatio}; multi-label sets often have rare labels).`;
      if (status === 'pass') return { summary, remedy: null };
      return {
        summary,
        remedy: `Weight the positives of rare labels up in the loss (a per-label positive weight), or collect more records where ${label} is positive; track per-label recall and precision, not accuracy.`,
      };
    }
    const counts = dataset.classCounts ?? [];
    const ratio = Number(measured.ratio);
    const share = pct(Number(measured.majorityShare));
    if (reason === 'missing-class') {
      const absent = counts.flatMap((n, i) => (n === 0 ? [i] : []));
      return {
        summary: `Class${absent.length > 1 ? 'es' : ''} ${absent.join(', ')} ha${absent.length > 1 ? 've' : 's'} no records (of ${counts.length} classes).`,
        remedy:
          'Collect records for the missing classes, or drop them from the output layer; check that the labels were read from the right column/file.',
      };
    }
    const weighted =
      measured.weightedRatio !== null
        ? `; with your class weights the loss sees a ${Number(measured.weightedRatio).toFixed(1)}:1 ratio, and that is what is judged`
        : '';
    const summary = `Largest/smallest class ratio is ${ratio.toFixed(1)} (warn > ${t.warnRatio}, fail > ${t.failRatio}); the majority class holds ${share} of records${weighted}.`;
    if (status === 'pass') return { summary, remedy: null };
    return {
      summary,
      remedy: `Rebalance: pass class weights inversely proportional to class frequency (${classWeightCode(frameworkOf(evidence), null)}), oversample minority classes, or collect more minority records; track per-class recall, not accuracy.`,
    };
  },
  causes: {
    effects: ['inputs/rebalancing', 'inputs/label-signal'],
    generic: (c) => `the majority class is the easy minimum (${firstSentence(c.summary)})`,
  },
});
