// The remedies section judged from fix-experiment evidence: a verified chain, or "no verified fix"
// with the numbers, never a claim the scores do not support.
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../core/evidence.ts';
import type { AppliedFix, RemedyArm, RemedyEvidence } from '../core/remedies.ts';
import { judgeRemedies } from './judge.ts';

const reinit: AppliedFix = {
  id: 'reinit-fan',
  params: {},
  changes: {
    edits: [
      {
        kind: 'set',
        layer: 'dense_1',
        className: 'Dense',
        field: 'kernel_initializer',
        from: { class_name: 'Zeros', config: {} },
        to: {
          class_name: 'VarianceScaling',
          config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null },
        },
      },
    ],
    reinitialized: ['dense_1'],
  },
};
const lrDown: AppliedFix = {
  id: 'lr-down',
  params: { learningRate: 0.1 },
  changes: { edits: [], reinitialized: [], learningRate: { from: 1, to: 0.1 } },
};

function arm(fixes: AppliedFix[], scores: number[]): RemedyArm {
  return {
    fixes,
    runs: scores.map((score, i) => ({
      seed: i,
      initSeed: i,
      score,
      loss: 1 - score,
      accuracy: score,
      curve: { steps: [0, 50], values: [0.1, score] },
      nonFinite: false,
    })),
  };
}

function evidence(candidate: number[], random: number[]): Evidence {
  const remedies: RemedyEvidence = {
    metric: 'balanced-accuracy',
    seeds: 3,
    steps: 100,
    heldOut: 1000,
    findings: ['model/init-shallow'],
    ended: 'not-verified',
    stages: [
      {
        base: [],
        baseline: arm([], [0.1, 0.1, 0.1]),
        random: random.map((s) => arm([lrDown], [s])),
        candidates: [{ finding: 'model/init-shallow', arm: arm([reinit], candidate), stillFailing: [] }],
      },
    ],
  };
  return { source: 'tfjs', remedies, unavailable: {} } as Evidence;
}

describe('judgeRemedies', () => {
  it('a fix beyond the seed spread and the random baseline is verified and forms the chain', () => {
    const r = judgeRemedies(evidence([0.9, 0.91, 0.92], [0.1, 0.2, 0.1]));
    expect(r?.status).toBe('verified');
    expect(r?.chain).toEqual(['reinit-fan']);
    expect(r?.after?.mean).toBeCloseTo(0.91, 10);
    expect(r?.summary).toMatch(/^Verified fix: /);
    // In the user's terms: the layer, the field, TF.js and model.json.
    expect(r?.tried[0].terms.where).toContain('dense_1.kernel_initializer');
    expect(r?.tried[0].terms.tfjs).toContain("kernelInitializer: 'heNormal'");
    expect(r?.tried[0].terms.keras).toContain("kernel_initializer='he_normal'");
    expect(r?.tried[0].terms.modelJson).toContain('config.kernel_initializer');
  });

  it('a fix no better than the random baseline is not verified, and the summary gives the numbers', () => {
    const r = judgeRemedies(evidence([0.9, 0.91, 0.92], [0.9, 0.92, 0.91]));
    expect(r?.status).toBe('not-verified');
    expect(r?.chain).toEqual([]);
    expect(r?.after).toBeNull();
    expect(r?.summary).toMatch(/^No verified fix: 1 fix tried \(reinit-fan\)/);
    expect(r?.summary).toMatch(/\+81\.0 points/);
    expect(r?.tried[0].why).toMatch(/no more than the random-fix baseline/);
  });

  it('says why nothing was tried when the experiments did not run', () => {
    const r = judgeRemedies({
      source: 'tfjs',
      unavailable: { remedies: { status: 'skip', reason: 'no check failed: nothing to fix' } },
    } as Evidence);
    expect(r?.status).toBe('not-run');
    expect(r?.tried).toEqual([]);
  });

  it('has no section when the evidence says nothing about fixes (diagnose)', () => {
    expect(judgeRemedies({ source: 'tensorboard', unavailable: {} } as Evidence)).toBeUndefined();
  });
});
