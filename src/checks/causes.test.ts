// The causal links live in the checks that are the causes (Check.causes), typed against the
// cause's and the effect's measured shapes. These tests hold the links to the registry (every
// effect is a check; no check causes itself), show that a link reading a measured key the effect's
// `evaluate` never gives does not compile, and that the chains of issue 20 (classes 3 and 10) rank
// the root cause first and make its symptoms defer to it.
import { describe, expect, it } from 'vitest';
import { causalLinks, measuredLinks } from '../core/causes.ts';
import {
  CHECK_IDS,
  type CheckId,
  defineCheck,
  type Measured,
  type MeasuredOf,
  type Status,
} from '../core/check.ts';
import { diagnose, withSymptoms } from '../core/diagnosis.ts';
import { AT_START } from '../core/live.ts';
import type { CheckResult } from '../core/report.ts';
import type DeadRelu from './activations/dead-relu.ts';
import type Saturation from './activations/saturation.ts';
import type OverfitSmall from './inputs/overfit-small.ts';
import type StandardCorpus from './inputs/standard-corpus.ts';
import type InitialLoss from './loss/initial-loss.ts';
import type LearningRate from './loss/learning-rate.ts';
import type Overfitting from './loss/overfitting.ts';
import type InitDeep from './model/init-deep.ts';
import type InitShallow from './model/init-shallow.ts';
import type ExplodingGradients from './other/exploding-gradients.ts';
import type GradientFlow from './other/gradient-flow.ts';
import type UpdateRatio from './other/update-ratio.ts';
import type WeightVariance from './other/weight-variance.ts';

/** True when a check's measured shape is its own keys (inferred), not any string. */
type Strict<C> = string extends keyof MeasuredOf<C> ? false : true;

import { ALL_CHECKS } from './index.ts';

function result(id: CheckId, status: Status, measured: Measured, thresholds: Record<string, number> = {}) {
  const check = ALL_CHECKS.find((c) => c.id === id);
  const defaults = Object.fromEntries(Object.entries(check?.thresholds ?? {}).map(([k, t]) => [k, t.value]));
  return {
    id,
    section: id.split('/')[0] as CheckResult['section'],
    title: id,
    status,
    summary: `${id} summary.`,
    measured,
    thresholds: { ...defaults, ...thresholds },
    why: 'why',
    remedy: status === 'fail' || status === 'warn' ? `${id} remedy` : null,
    durationMs: 0,
  } satisfies CheckResult;
}

describe('causal links declared by the checks', () => {
  it('name only known checks as effects, never the cause itself', () => {
    for (const check of ALL_CHECKS) {
      for (const effect of [...check.causes.effects, ...measuredLinks(check.causes).map((m) => m.effect)]) {
        expect(CHECK_IDS, check.id).toContain(effect);
        expect(effect, check.id).not.toBe(check.id);
      }
    }
  });

  it('read checks whose measured shape is inferred key by key (compile-time)', () => {
    // Every check a typed link reads (as cause or effect): a key it never gives is an error.
    const strict: [
      Strict<typeof DeadRelu>,
      Strict<typeof Saturation>,
      Strict<typeof OverfitSmall>,
      Strict<typeof StandardCorpus>,
      Strict<typeof InitialLoss>,
      Strict<typeof LearningRate>,
      Strict<typeof Overfitting>,
      Strict<typeof InitDeep>,
      Strict<typeof InitShallow>,
      Strict<typeof ExplodingGradients>,
      Strict<typeof GradientFlow>,
      Strict<typeof UpdateRatio>,
      Strict<typeof WeightVariance>,
    ] = [true, true, true, true, true, true, true, true, true, true, true, true, true];
    expect(strict.every(Boolean)).toBe(true);
  });

  it('are typed against the effect’s measured shape and required (compile-time: tsc --noEmit)', () => {
    const base = {
      id: 'model/pretrained' as const,
      section: 'model' as const,
      title: 'A check for the type test',
      why: 'Only its types matter.',
      needs: ['model' as const],
      causeRank: 1,
      live: AT_START,
      thresholds: { limit: { value: 1, meaning: 'a limit', source: 'test' } },
      reasons: [],
      evaluate: () => ({ status: 'pass' as const, measured: { share: 0.5 } }),
      explain: () => ({ summary: 's', remedy: null }),
    };
    const typed = defineCheck({
      ...base,
      causes: {
        effects: [],
        measured: (link) => [
          link<typeof DeadRelu>('activations/dead-relu', (c, e) =>
            c.measured.share > 0.1 && typeof e.measured.worstFraction === 'number' ? 'linked' : null,
          ),
          // @ts-expect-error dead-relu's evaluate gives no `deadShare`: a renamed key is a compile error
          link<typeof DeadRelu>('activations/dead-relu', (_c, e) => String(e.measured.deadShare)),
          // @ts-expect-error the cause's own measured keys are typed too
          link<typeof DeadRelu>('activations/dead-relu', (c) => String(c.measured.shares)),
          // @ts-expect-error the effect id must be the typed check's
          link<typeof DeadRelu>('activations/saturation', () => null),
        ],
      },
      plot: { id: 'update-ratios', lines: { tooSlowBelow: 'limit' } },
    });
    expect(typed.causes.effects).toEqual([]);
    // @ts-expect-error a check without `causes` does not compile
    defineCheck({ ...base });
    defineCheck({
      ...base,
      causes: { effects: [] },
      // @ts-expect-error a plot line names one of the check's thresholds
      plot: { id: 'update-ratios', lines: { tooSlowBelow: 'limitt' } },
    });
    defineCheck({
      ...base,
      causes: { effects: [] },
      // @ts-expect-error a plot line is one the plot draws
      plot: { id: 'update-ratios', lines: { deadFail: 'limit' } },
    });
  });
});

describe('issue 20, class 3: a bad initialization is the cause, not its symptoms', () => {
  const initShallow = result('model/init-shallow', 'warn', {
    layer: 'dense_1',
    std: 5,
    expectedStd: 0.2,
    ratio: 25,
    initializer: 'RandomNormal',
    badKernels: 4,
    kernels: 5,
  });
  const gradientFlow = result('other/gradient-flow', 'fail', {
    ratio: null,
    medians: [0, 0],
    layers: 'dense_1,dense_2',
    zeroGradient: 'dense_1/kernel',
    zeroGradientCount: 1,
  });
  const initialLoss = result('loss/initial-loss', 'fail', {
    initialLoss: 14.3,
    expectedLoss: 2.48,
    ratio: 5.75,
    expectedAs: 'ln 12',
    loss: 'sparse_categorical_crossentropy',
  });
  const overfit = result('inputs/overfit-small', 'fail', {
    lossRatio: 1,
    initialLoss: 12.9,
    finalLoss: 12.9,
  });

  it('weights 25× their fan-based scale (warn) explain the failing gradient flow and initial loss', () => {
    const results = [initShallow, gradientFlow, initialLoss, overfit];
    const d = diagnose(results, ALL_CHECKS);
    expect(d.primary).toBe('model/init-shallow');
    const links = (d.chain ?? []).filter((l) => l.cause === 'model/init-shallow').map((l) => l.effect);
    expect(links).toEqual(expect.arrayContaining(['other/gradient-flow', 'loss/initial-loss']));
    const marked = withSymptoms(results, d);
    expect(marked.find((r) => r.id === 'other/gradient-flow')?.symptomOf?.cause).toBe('model/init-shallow');
    expect(marked.find((r) => r.id === 'model/init-shallow')?.symptomOf).toBeUndefined();
  });

  it('weights at their fan-based scale explain nothing', () => {
    const healthy = result('model/init-shallow', 'warn', { ...initShallow.measured, ratio: 1.5 });
    const links = causalLinks([healthy, gradientFlow, initialLoss], ALL_CHECKS);
    expect(links.filter((l) => l.cause === 'model/init-shallow')).toEqual([]);
  });

  it('a deep ReLU net whose activations grow 38× with depth (warn) explains its symptoms', () => {
    const initDeep = result('model/init-deep', 'warn', {
      firstStd: 1.35,
      lastStd: 50.7,
      ratio: 1.35 / 50.7,
      shrinkPerLayer: 0.67,
      firstLayer: 'dense_1',
      lastLayer: 'dense_10',
      hiddenLayers: 10,
      stds: [1.35, 50.7],
      hasBatchNorm: false,
      batchSize: 32,
    });
    const corpus = result('inputs/standard-corpus', 'fail', {
      lossRatio: 3.79,
      referenceLearnedAtStep: null,
    });
    const d = diagnose([initDeep, initialLoss, corpus, overfit], ALL_CHECKS);
    expect(d.primary).toBe('model/init-deep');
    expect(d.summary).toMatch(/grows 37\.6× from dense_1 to dense_10/);
  });
});

describe('issue 20, class 10: a symptom never advises the opposite of its cause', () => {
  const lr = result('loss/learning-rate', 'fail', {
    trend: 'diverged',
    configuredLr: 20,
    sweepBestLr: 0.3,
    suggestedLr: 0.03,
    relativeDrop: -0.08,
  });
  const ratio = result('other/update-ratio', 'fail', {
    minMedian: 0,
    minLayer: 'dense_2',
    maxMedian: 0.01,
    maxLayer: 'dense_1',
    medians: [0.01, 0],
    layers: 'dense_1,dense_2',
    notJudged: '',
  });

  it('update-ratio ("raise the LR") beside a diverging learning rate is its symptom and defers', () => {
    const d = diagnose([lr, ratio], ALL_CHECKS);
    expect(d.primary).toBe('loss/learning-rate');
    const marked = withSymptoms([lr, ratio], d);
    const symptom = marked.find((r) => r.id === 'other/update-ratio');
    expect(symptom?.symptomOf?.cause).toBe('loss/learning-rate');
    expect(symptom?.remedy).toMatch(
      /^A symptom of loss\/learning-rate .*follow the remedy of loss\/learning-rate first/,
    );
    expect(symptom?.remedy).not.toMatch(/raise/i);
  });

  it('also when the learning rate only warns (at or past the range test’s best LR)', () => {
    const high = result('loss/learning-rate', 'warn', {
      ...lr.measured,
      trend: 'falling',
      configuredLr: 0.5,
    });
    const d = diagnose([high, ratio], ALL_CHECKS);
    expect(d.primary).toBe('loss/learning-rate');
    expect(d.chain?.[0]?.because).toMatch(/not from a learning rate too low/);
  });

  it('beside dead ReLUs (warn), update-ratio is their symptom', () => {
    const dead = result('activations/dead-relu', 'warn', {
      worstLayer: 'dense_2',
      worstFraction: 0.4,
      worstSnapshot: 'start',
      startFraction: 0.4,
      endFraction: 0.4,
    });
    const d = diagnose([dead, ratio], ALL_CHECKS);
    expect(d.primary).toBe('activations/dead-relu');
    expect(withSymptoms([dead, ratio], d)[1].symptomOf?.cause).toBe('activations/dead-relu');
  });
});
