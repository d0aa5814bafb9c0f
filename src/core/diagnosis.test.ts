import { describe, expect, it } from 'vitest';
import type { CheckId, Status } from './check.ts';
import { diagnose, overallVerdict } from './diagnosis.ts';
import type { CheckResult } from './report.ts';

function result(id: CheckId, status: Status, summary = `${id} measured`): CheckResult {
  return {
    id,
    section: id.split('/')[0] as CheckResult['section'],
    title: id,
    status,
    summary,
    measured: {},
    thresholds: {},
    why: 'why',
    remedy: status === 'fail' || status === 'warn' ? 'do this' : null,
    durationMs: 0,
  };
}

const cases: {
  name: string;
  results: [CheckId, Status][];
  primary: CheckId | null;
  verdict: string;
  summary?: RegExp;
}[] = [
  {
    name: 'all pass',
    results: [
      ['inputs/class-balance', 'pass'],
      ['loss/learning-rate', 'pass'],
    ],
    primary: null,
    verdict: 'pass',
    summary: /No check failed/,
  },
  {
    name: 'zero init explains dead gradients downstream',
    results: [
      ['other/gradient-flow', 'fail'],
      ['inputs/overfit-small', 'fail'],
      ['model/init-shallow', 'fail'],
      ['loss/learning-rate', 'warn'],
    ],
    primary: 'model/init-shallow',
    verdict: 'fail',
    summary: /constant-initialized layer/,
  },
  {
    name: 'overfit-small fails while the control corpus is learned: the data',
    results: [
      ['inputs/overfit-small', 'fail'],
      ['inputs/standard-corpus', 'pass'],
    ],
    primary: 'inputs/overfit-small',
    verdict: 'fail',
    summary: /fault is most likely in your data/,
  },
  {
    name: 'neither the control nor 50 records are learned: the model or training code',
    results: [
      ['inputs/overfit-small', 'fail'],
      ['inputs/standard-corpus', 'fail'],
    ],
    primary: 'inputs/standard-corpus',
    verdict: 'fail',
    summary: /model or training code/,
  },
  {
    name: 'a diverging LR outranks the ReLUs it killed and the label-signal symptom',
    results: [
      ['activations/dead-relu', 'fail'],
      ['inputs/label-signal', 'fail'],
      ['loss/learning-rate', 'fail'],
    ],
    primary: 'loss/learning-rate',
    verdict: 'fail',
  },
  {
    name: 'a fail outranks a warn higher in the cause order',
    results: [
      ['inputs/mean-centering', 'warn'],
      ['other/update-ratio', 'fail'],
    ],
    primary: 'other/update-ratio',
    verdict: 'fail',
  },
  {
    name: 'warnings only',
    results: [
      ['loss/steep-drop', 'warn'],
      ['inputs/class-balance', 'warn'],
    ],
    primary: 'inputs/class-balance',
    verdict: 'warn',
    summary: /strongest warning/,
  },
  {
    name: 'errors and skips are not findings, and no pass makes the run inconclusive',
    results: [
      ['loss/learning-rate', 'error'],
      ['model/pretrained', 'skip'],
    ],
    primary: null,
    verdict: 'inconclusive',
    summary:
      /Inconclusive: no check could judge this run \(1 skipped for lack of evidence, 1 could not run\)/,
  },
  {
    name: 'a pass beside errors is still a pass',
    results: [
      ['loss/learning-rate', 'pass'],
      ['other/gradient-flow', 'error'],
    ],
    primary: null,
    verdict: 'pass',
    summary: /1 could not run/,
  },
  {
    name: 'every check skipped: inconclusive',
    results: [
      ['loss/learning-rate', 'skip'],
      ['other/gradient-flow', 'skip'],
      ['inputs/class-balance', 'skip'],
    ],
    primary: null,
    verdict: 'inconclusive',
    summary: /3 skipped/,
  },
  {
    name: 'only checks that cannot tell whether the network learns passed: inconclusive',
    results: [
      ['loss/non-finite', 'pass'],
      ['model/pretrained', 'pass'],
      ['loss/learning-rate', 'skip'],
    ],
    primary: null,
    verdict: 'inconclusive',
    summary: /only loss\/non-finite, model\/pretrained passed/,
  },
  {
    name: 'a non-decisive check selected alone (--only) decides by itself',
    results: [['loss/non-finite', 'pass']],
    primary: null,
    verdict: 'pass',
  },
  {
    name: 'a warn on a run where nothing passed is a warn',
    results: [
      ['loss/steep-drop', 'warn'],
      ['other/gradient-flow', 'skip'],
    ],
    primary: 'loss/steep-drop',
    verdict: 'warn',
  },
  {
    name: 'nothing selected: inconclusive',
    results: [],
    primary: null,
    verdict: 'inconclusive',
    summary: /no check was selected/,
  },
];

describe('diagnosis', () => {
  for (const c of cases) {
    it(c.name, () => {
      const results = c.results.map(([id, s]) => result(id, s));
      const d = diagnose(results);
      expect(d.primary).toBe(c.primary);
      expect(d.ranked).toHaveLength(results.filter((r) => r.status === 'fail' || r.status === 'warn').length);
      if (c.primary) expect(d.ranked[0]).toBe(c.primary);
      if (c.summary) expect(d.summary).toMatch(c.summary);
      expect(overallVerdict(results)).toBe(c.verdict);
    });
  }
});
