// `--only X` judges X exactly as the full checkup does (same seed): the same status and the same
// measured values. Experiments declare what they read, so selecting fewer checks plans fewer
// experiments but never changes the ones X depends on.
//
// The checkups for the ids whose selection plans the same experiments are one checkup with all of
// them selected: what a checkup measures depends only on the experiments it plans (their inputs
// are the data, the seed and the declared outcomes), so one run per distinct plan covers every id.
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/index.ts';
import type { Dataset } from '../src/core/dataset.ts';
import { createRng, permutation } from '../src/core/random.ts';
import type { Report } from '../src/core/report.ts';
import { exampleData, exampleModel } from '../src/example/mnist-mlp.ts';
import { EXPERIMENTS } from '../src/experiments/catalogue.ts';
import { plan } from '../src/experiments/scheduler.ts';
import { checkup } from '../src/node/checkup.ts';
import { selectBackend } from '../src/tfjs/backend.ts';

const BUDGET = {
  trainSteps: 40,
  overfitSteps: 40,
  overfitRecords: 30,
  controlSteps: 30,
  sweepSteps: 30,
  heldOutRecords: 300,
};
const SEED = 7;

/** The ids grouped by the experiments selecting each alone plans. */
function idsByPlan(): string[][] {
  const groups = new Map<string, string[]>();
  for (const check of ALL_CHECKS) {
    const keys = [...check.needs, ...(check.uses ?? [])];
    const names = plan(EXPERIMENTS, keys)
      .map((e) => e.name)
      .join(',');
    groups.set(names, [...(groups.get(names) ?? []), check.id]);
  }
  return [...groups.values()];
}

async function expectOnlyEquivalent(make: () => { model: tf.LayersModel; data: Dataset }): Promise<Report> {
  const full = await checkup({ ...make(), seed: SEED, budget: BUDGET, jobs: 1 });
  for (const ids of idsByPlan()) {
    const only = await checkup({ ...make(), seed: SEED, budget: BUDGET, only: ids, jobs: 1 });
    for (const id of ids) {
      const a = full.checks.find((c) => c.id === id);
      const b = only.checks.find((c) => c.id === id);
      expect(b?.status, `${id}: --only vs full`).toBe(a?.status);
      expect(b?.measured, `${id}: --only vs full`).toEqual(a?.measured);
    }
  }
  return full;
}

describe('--only X gives X the same status and measured values as the full checkup', () => {
  beforeAll(() => selectBackend());

  it('on the built-in example (MNIST MLP)', async () => {
    const data = exampleData(1500);
    const full = await expectOnlyEquivalent(() => ({ model: exampleModel(), data }));
    expect(full.checks.filter((c) => c.status === 'pass').length).toBeGreaterThan(5);
  });

  it('on a planted case: shuffled labels (label-signal reads the control corpus)', async () => {
    const ds = exampleData(1500);
    const p = permutation(ds.y.length, createRng(7));
    const data = { ...ds, y: Float32Array.from(p, (i) => ds.y[i]), source: 'mnist (shuffled labels)' };
    const full = await expectOnlyEquivalent(() => ({ model: exampleModel(), data }));
    // The case this test is about: label-signal's verdict used the control corpus's result.
    expect(full.evidence.labelSignal?.controlLearnedAtStep).not.toBeUndefined();
  });
});
