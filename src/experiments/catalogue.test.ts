// The experiments' declared inputs decide what they do before any training: these cases stop
// before a model is touched, so no TF.js runs.
import { describe, expect, it } from 'vitest';
import type { DatasetEvidence } from '../core/evidence.ts';
import type { ProbeContext } from '../probes/context.ts';
import { EXPERIMENTS, type ExperimentInputs, experimentNamed, type Outcome } from './catalogue.ts';

const ctx = {
  task: {
    kind: 'classification',
    classes: 2,
    loss: 'sparse_categorical_crossentropy',
    labelEncoding: 'integer',
  },
  pool: new Int32Array(400),
  heldOut: new Int32Array(100),
  classWeights: null,
} as unknown as ProbeContext;

const trained: Outcome = {
  value: { loss: { steps: [], values: [] } } as unknown as Outcome['value'],
  run: { heldOut: { loss: 1, accuracy: 0.5, predictions: new Int32Array(100) }, evalIds: new Int32Array(0) },
};

const inputs = (counts: number[], ratio: number, training: Outcome | null = trained): ExperimentInputs => ({
  dataset: { classCounts: counts } as DatasetEvidence,
  options: { classBalanceRatio: ratio },
  outcomes: training ? { training } : {},
});

describe('rebalancing reads the effective class-balance ratio', () => {
  it.each([
    { counts: [400, 100], ratio: 3, skipped: false },
    { counts: [400, 100], ratio: 5, skipped: true },
    { counts: [300, 100], ratio: 3, skipped: true },
    { counts: [300, 100], ratio: 2, skipped: false },
  ])('counts $counts at ratio $ratio: skipped $skipped', async ({ counts, ratio, skipped }) => {
    const rebalancing = experimentNamed('rebalancing');
    if (skipped) {
      const outcome = await rebalancing.run(ctx, inputs(counts, ratio));
      expect(outcome.unavailable?.reason).toBe(
        `the classes are balanced (largest/smallest ≤ ${ratio}): nothing to rebalance`,
      );
    } else {
      // Not skipped: it goes on to train a clone, which this context (no model) cannot: it throws.
      await expect(rebalancing.run(ctx, inputs(counts, ratio))).rejects.toThrow();
    }
  });
});

describe('experiments that reuse the instrumented run', () => {
  it.each(['simplified', 'labelSignal', 'rebalancing'])(
    '%s passes on why the run is missing',
    async (name) => {
      const e = experimentNamed(name);
      expect(e.needs).toContain('training');
      const failed: Outcome = { unavailable: { status: 'error', reason: 'the training probe failed: boom' } };
      expect((await e.run(ctx, inputs([400, 100], 3, failed))).unavailable).toEqual(failed.unavailable);
      expect((await e.run(ctx, inputs([400, 100], 3, null))).unavailable?.status).toBe('skip');
    },
  );

  it('label-signal declares the control corpus it reads', () => {
    expect(experimentNamed('labelSignal').needs).toEqual(['training', 'control']);
  });

  it('every experiment provides its own key', () => {
    expect(new Set(EXPERIMENTS.map((e) => e.provides)).size).toBe(EXPERIMENTS.length);
  });
});
