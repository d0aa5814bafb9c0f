import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.ts';
import type { CheckId, Measured, Status } from './check.ts';
import { diagnose as diagnoseWith, overallVerdict } from './diagnosis.ts';
import type { CheckResult } from './report.ts';

/** The diagnosis with the built-in checks' cause ranks. */
const diagnose = (results: CheckResult[]) => diagnoseWith(results, ALL_CHECKS);

function result(
  id: CheckId,
  status: Status,
  summary = `${id} measured`,
  measured: Measured = {},
): CheckResult {
  return {
    id,
    section: id.split('/')[0] as CheckResult['section'],
    title: id,
    status,
    summary,
    measured,
    thresholds: {},
    why: 'why',
    remedy: status === 'fail' || status === 'warn' ? 'do this' : null,
    durationMs: 0,
  };
}

const cases: {
  name: string;
  results: ([CheckId, Status] | [CheckId, Status, Measured])[];
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
      ['loss/learning-rate', 'fail', { trend: 'diverged' }],
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

describe('diagnosis by causal chains', () => {
  it('a learning rate past the sweep’s best (warn) explains ReLUs that died during the run (fail)', () => {
    const d = diagnose([
      result('activations/dead-relu', 'fail', 'dead', {
        worstLayer: 'hidden_1',
        worstSnapshot: 'end',
        startFraction: 0,
        endFraction: 0.56,
      }),
      result('loss/learning-rate', 'warn', 'LR 1 is past the best 0.855', {
        trend: 'decreasing',
        configuredLr: 1,
        sweepBestLr: 0.855,
        suggestedLr: 0.0855,
      }),
      result('inputs/overfit-small', 'fail', 'diverged', {
        lossRatio: 5.96,
        initialLoss: 2.38,
        finalLoss: 14.2,
      }),
    ]);
    expect(d.primary).toBe('loss/learning-rate');
    expect(d.chain).toContainEqual(
      expect.objectContaining({ cause: 'loss/learning-rate', effect: 'activations/dead-relu' }),
    );
    expect(d.chain?.find((l) => l.effect === 'activations/dead-relu')?.because).toMatch(/0% dead .* 56%/);
    expect(d.summary).toMatch(/symptoms: .*activations\/dead-relu/);
    expect(d.ranked.slice(0, 1)).toEqual(['loss/learning-rate']);
  });

  it('dead units from the start are not blamed on a high learning rate', () => {
    const d = diagnose([
      result('activations/dead-relu', 'fail', 'dead', {
        worstSnapshot: 'start',
        startFraction: 0.9,
        endFraction: 0.9,
      }),
      result('loss/learning-rate', 'warn', 'LR past best', {
        trend: 'decreasing',
        configuredLr: 1,
        sweepBestLr: 0.855,
      }),
    ]);
    expect(d.primary).toBe('activations/dead-relu');
    expect(d.chain?.some((l) => l.cause === 'loss/learning-rate')).toBe(false);
  });

  it('a one-unit softmax explains the flat loss and the initial loss', () => {
    const d = diagnose([
      result('loss/initial-loss', 'fail'),
      result('loss/learning-rate', 'warn', 'flat', { trend: 'flat' }),
      result('loss/output-mismatch', 'fail', 'softmax over 1 unit', {
        outputUnits: 1,
        outputActivations: 'softmax',
        loss: 'binary_crossentropy',
      }),
    ]);
    expect(d.primary).toBe('loss/output-mismatch');
    expect(d.summary).toMatch(/exactly 1/);
    expect(d.chain?.map((l) => l.effect).sort()).toEqual(['loss/initial-loss', 'loss/learning-rate']);
  });

  it('raw regression targets explain the flat learning rate finding', () => {
    const d = diagnose([
      result('loss/learning-rate', 'fail', 'flat', { trend: 'flat' }),
      result('inputs/target-scale', 'fail', 'mean 22500', { mean: 22_500, rms: 22_300 }),
    ]);
    expect(d.primary).toBe('inputs/target-scale');
    expect(d.chain?.[0].because).toMatch(/22500/);
  });

  it('a learning rate that blew an LSTM up explains its vanishing gradient (issue 20, class 4)', () => {
    const d = diagnose([
      result('other/gradient-flow', 'fail', 'first layer 1.35e-5× the last'),
      result('loss/learning-rate', 'fail', 'blew up', { trend: 'diverged', configuredLr: 10 }),
      result('inputs/standard-corpus', 'fail'),
    ]);
    expect(d.primary).toBe('loss/learning-rate');
    const link = d.chain?.find((l) => l.effect === 'other/gradient-flow');
    expect(link?.cause).toBe('loss/learning-rate');
    expect(link?.because).toMatch(/diverged at LR 10/);
  });

  it('a flat learning rate does not explain a vanishing gradient: the gradient explains it', () => {
    const d = diagnose([
      result('other/gradient-flow', 'fail', 'first layer 1e-5× the last'),
      result('loss/learning-rate', 'fail', 'flat', { trend: 'flat', configuredLr: 0.01 }),
    ]);
    expect(d.primary).toBe('other/gradient-flow');
    expect(d.chain?.some((l) => l.effect === 'other/gradient-flow')).toBe(false);
  });

  it('units dead from the start explain a flat loss; a flat loss (LR too low) kills no unit', () => {
    const d = diagnose([
      result('activations/dead-relu', 'fail', 'dead', { worstSnapshot: 'start' }),
      result('loss/learning-rate', 'fail', 'flat', { trend: 'flat' }),
    ]);
    expect(d.primary).toBe('activations/dead-relu');
    expect(d.chain).toHaveLength(1);
  });

  it('a diverging LR explains the units dead in its run', () => {
    const d = diagnose([
      result('activations/dead-relu', 'fail', 'dead', { worstSnapshot: 'start' }),
      result('loss/learning-rate', 'fail', 'diverged', { trend: 'diverged' }),
    ]);
    expect(d.primary).toBe('loss/learning-rate');
  });
});

describe('diagnosis', () => {
  for (const c of cases) {
    it(c.name, () => {
      const results = c.results.map(([id, s, m]) => result(id, s, undefined, m));
      const d = diagnose(results);
      expect(d.primary).toBe(c.primary);
      expect(d.ranked).toHaveLength(results.filter((r) => r.status === 'fail' || r.status === 'warn').length);
      if (c.primary) expect(d.ranked[0]).toBe(c.primary);
      if (c.summary) expect(d.summary).toMatch(c.summary);
      expect(overallVerdict(results)).toBe(c.verdict);
    });
  }
});
