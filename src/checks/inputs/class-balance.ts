import { defineCheck } from '../../core/check.ts';

export default defineCheck({
  id: 'inputs/class-balance',
  section: 'inputs',
  title: 'Every class has enough records',
  why: 'A model trained on a heavily imbalanced set can minimize the loss by predicting the majority class for everything.',
  needs: ['dataset'],
  plot: 'class-counts',
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
  evaluate({ dataset }, t) {
    const counts = dataset.classCounts;
    if (!counts) return { status: 'skip', measured: {}, reason: 'regression' };
    const largest = Math.max(...counts);
    const smallest = Math.min(...counts);
    const missing = counts.filter((n) => n === 0).length;
    const ratio = smallest === 0 ? Number.POSITIVE_INFINITY : largest / smallest;
    const majorityShare = largest / Math.max(1, dataset.records);
    const measured = { ratio, largest, smallest, missingClasses: missing, majorityShare };
    if (missing > 0) return { status: 'fail', measured, reason: 'missing-class' };
    if (ratio > t.failRatio) return { status: 'fail', measured };
    if (ratio > t.warnRatio) return { status: 'warn', measured };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, { dataset }, t) {
    if (status === 'skip')
      return { summary: 'Regression target: there are no classes to balance.', remedy: null };
    const counts = dataset.classCounts ?? [];
    const ratio = Number(measured.ratio);
    const share = `${(Number(measured.majorityShare) * 100).toFixed(1)}%`;
    if (reason === 'missing-class') {
      const absent = counts.flatMap((n, i) => (n === 0 ? [i] : []));
      return {
        summary: `Class${absent.length > 1 ? 'es' : ''} ${absent.join(', ')} ha${absent.length > 1 ? 've' : 's'} no records (of ${counts.length} classes).`,
        remedy:
          'Collect records for the missing classes, or drop them from the output layer; check that the labels were read from the right column/file.',
      };
    }
    const summary = `Largest/smallest class ratio is ${ratio.toFixed(1)} (warn > ${t.warnRatio}, fail > ${t.failRatio}); the majority class holds ${share} of records.`;
    if (status === 'pass') return { summary, remedy: null };
    return {
      summary,
      remedy:
        'Rebalance: pass class weights inversely proportional to class frequency (model.fit classWeight), oversample minority classes, or collect more minority records; track per-class recall, not accuracy.',
    };
  },
});
