// The live engine on synthetic runs fed step by step: a healthy run raises nothing, each planted
// fault is raised once, at a step bounded by its conclusiveness rule, and never before its onset.
import { describe, expect, it } from 'vitest';
import type { ActivationStats, Evidence } from '../core/evidence.ts';
import { progressOf } from './conclusive.ts';
import { LiveChecks, type LiveFinding } from './live-checks.ts';
import { TrainingLog } from './training-log.ts';

const VARS = [
  { layer: 'hidden', weight: 'hidden/kernel', kind: 'kernel' as const, depth: 0, size: 100 },
  { layer: 'out', weight: 'out/kernel', kind: 'kernel' as const, depth: 1, size: 50 },
];

interface Plan {
  steps: number;
  loss: (s: number) => number;
  grad?: (s: number) => number;
  val?: (s: number) => number;
  dead?: (s: number) => number;
  every?: number;
}

function act(fractionDead: number): ActivationStats[] {
  return [
    {
      layer: 'hidden',
      activation: 'relu',
      depth: 0,
      units: 100,
      records: 256,
      mean: 0.5,
      std: 0.5,
      fractionDead,
      fractionSaturated: 0,
    },
  ];
}

/** Feeds a run step by step, evaluating every 8 steps (as the throttled watcher would, roughly). */
function run(plan: Plan): LiveFinding[] {
  const log = new TrainingLog(VARS, { optimizer: 'Adam', learningRate: () => 1e-3, batchSize: 32 });
  const live = new LiveChecks({ startedAt: 0 });
  const every = plan.every ?? 4;
  for (let s = 0; s < plan.steps; s++) {
    log.addLoss(s, plan.loss(s));
    if (s % every === 0) {
      const g = plan.grad?.(s) ?? 1;
      log.addTelemetry(s, {
        gradSq: [g * g, g * g],
        updateSq: [1e-6 * 100, 1e-6 * 50],
        weightSq: [100, 50],
        weightSum: [0, 0],
      });
    }
    if (plan.val && s % 50 === 49) log.addValidation(s, plan.val(s));
    if (plan.dead && s % 32 === 0) log.addActivations(act(plan.dead(s)));
    if (s % 8 === 7 || s === plan.steps - 1) {
      const e: Evidence = { source: 'tfjs', training: log.evidence() };
      live.evaluate(e, progressOf(e, s, log.activationProbes), s);
    }
  }
  return live.findings;
}

// A healthy curve: falls from 2.3 towards 0.2 with batch noise.
const noise = (s: number) => 0.05 * Math.sin(s * 12.9898) * Math.cos(s * 78.233);
const smooth = (s: number) => 0.2 + 2.1 * Math.exp(-s / 150);
const healthy = (s: number) => smooth(s) + noise(s);
/** Validation loss on a fixed set: no batch noise, but it wobbles by a few % as the model moves. */
const validation = (s: number) => smooth(s) + 0.05 + 0.2 * noise(s);

describe('live checks on a run in progress', () => {
  it('raises nothing on a healthy run, with validation following the training loss', () => {
    const findings = run({ steps: 1500, loss: healthy, val: validation });
    expect(findings).toEqual([]);
  });

  it('does not call a run flat while it is young, even when the loss has not moved yet', () => {
    // Flat for the first 150 steps (a warm-up), then learning.
    const findings = run({ steps: 600, loss: (s) => (s < 150 ? 2.3 + noise(s) : healthy(s - 150)) });
    expect(findings.map((f) => f.id)).not.toContain('loss/learning-rate');
  });

  const faults: {
    name: string;
    plan: Plan;
    id: string;
    status: 'warn' | 'fail';
    onset: number;
    within: number;
  }[] = [
    {
      name: 'a NaN loss at step 300',
      plan: { steps: 600, loss: (s) => (s >= 300 ? Number.NaN : healthy(s)) },
      id: 'loss/non-finite',
      status: 'fail',
      onset: 300,
      within: 8,
    },
    {
      name: 'gradients blowing up 1e4× at step 400',
      plan: { steps: 700, loss: healthy, grad: (s) => (s >= 400 ? 1e4 : 1) },
      id: 'other/exploding-gradients',
      status: 'fail',
      onset: 400,
      within: 24,
    },
    {
      name: 'the loss diverging from step 500',
      plan: { steps: 1000, loss: (s) => (s >= 500 ? 5 + (s - 500) * 0.05 : healthy(s)) },
      id: 'loss/learning-rate',
      status: 'fail',
      onset: 500,
      within: 120,
    },
    {
      name: 'validation loss turning up from step 500',
      plan: {
        steps: 1200,
        loss: healthy,
        val: (s) => (s < 500 ? validation(s) : validation(500) + (s - 500) * 0.002),
      },
      id: 'loss/overfitting',
      status: 'warn',
      onset: 500,
      within: 250,
    },
    {
      name: 'ReLUs killed at step 320',
      plan: { steps: 800, loss: healthy, dead: (s) => (s >= 320 ? 1 : 0.02) },
      id: 'activations/dead-relu',
      status: 'fail',
      onset: 320,
      within: 72,
    },
  ];
  for (const f of faults) {
    it(`raises ${f.id} (${f.status}) once for ${f.name}, within ${f.within} steps of the onset`, () => {
      const findings = run(f.plan);
      const hits = findings.filter((x) => x.id === f.id);
      expect(hits.length).toBeGreaterThanOrEqual(1);
      const hit = hits.find((x) => x.status === f.status);
      expect(hit, JSON.stringify(findings.map((x) => [x.id, x.status, x.step]))).toBeDefined();
      expect(new Set(hits.map((x) => x.status)).size).toBe(hits.length);
      expect(hit?.step).toBeGreaterThanOrEqual(f.onset);
      expect(hit?.step).toBeLessThanOrEqual(f.onset + f.within);
      expect(hit?.summary.length).toBeGreaterThan(10);
      expect(hit?.conclusiveBecause.length).toBeGreaterThan(10);
      expect(hit?.thresholds).toBeTypeOf('object');
    });
  }

  it('raises a finding only once, however long it stays true', () => {
    const findings = run({ steps: 900, loss: (s) => (s >= 300 ? Number.NaN : healthy(s)) });
    expect(findings.filter((f) => f.id === 'loss/non-finite')).toHaveLength(1);
  });

  it('forgets a verdict that did not hold: a one-off spike is not a divergence', () => {
    const findings = run({ steps: 1000, loss: (s) => (s >= 500 && s < 520 ? 8 : healthy(s)) });
    expect(findings.map((f) => f.id)).not.toContain('loss/learning-rate');
  });
});
