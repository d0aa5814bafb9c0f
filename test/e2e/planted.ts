// Planted faults on real MNIST with the built-in MLP: each must make its matching check fail
// and be named the primary diagnosis, and where the case names its fix, that fix must verify.
// Shared by the e2e test files (split so two forks run them).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.ts';
import { exampleModel } from '../../src/example/mnist-mlp.ts';
import { checkup } from '../../src/node/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { expectValidReport } from '../valid-report.ts';
import {
  E2E_REMEDY_BUDGET,
  HEALTHY_BALANCED_ACCURACY,
  HEALTHY_MARGIN,
  PLANTED,
  PLANTED_CAUSES,
  type PlantedCase,
} from './planted-cases.ts';

export { E2E_REMEDY_BUDGET, HEALTHY_BALANCED_ACCURACY, HEALTHY_MARGIN, PLANTED, PLANTED_CAUSES };

/** The right fix verified and within the margin of the healthy model, or (null) no fix claimed. */
function expectRemedy(report: Report, fix: string[] | null): void {
  const r = report.remedies;
  expect(r, 'no remedies section').toBeDefined();
  if (!r) return;
  if (fix === null) {
    expect(r.status, r.summary).not.toBe('verified');
    expect(r.chain).toEqual([]);
    expect(r.summary).toMatch(/^No (verified )?fix/);
    return;
  }
  expect(r.status, r.summary).toBe('verified');
  expect(fix, r.summary).toContain(r.chain[0]);
  const verified = r.tried.find((t) => t.verified);
  expect(verified?.effect).toBeGreaterThan(verified?.spread ?? Number.POSITIVE_INFINITY);
  expect(verified?.vsRandom).toBeGreaterThan(0);
  expect(r.after?.mean ?? 0, r.summary).toBeGreaterThanOrEqual(HEALTHY_BALANCED_ACCURACY - HEALTHY_MARGIN);
  expect(verified?.terms.tfjs.length).toBeGreaterThan(0);
}

/** One test per case: the matching check fails and is the primary diagnosis. */
export function describePlanted(title: string, cases: PlantedCase[]): void {
  describe(title, () => {
    beforeAll(() => selectBackend());
    for (const c of cases) {
      it(`${c.name} → ${c.primary.join(' or ')}`, async () => {
        const built = c.model();
        const model = built instanceof tf.LayersModel ? built : exampleModel(built);
        const verify =
          c.fix !== undefined ? { verify: 'auto' as const, remedyBudget: E2E_REMEDY_BUDGET } : {};
        const report = await checkup({ model, data: c.data(), ...verify });
        const failing: string[] = report.checks.filter((r) => r.status === 'fail').map((r) => r.id);
        const mustFail = c.fails ?? c.primary;
        expect(
          c.fails ? c.fails.every((id) => failing.includes(id)) : failing.some((id) => mustFail.includes(id)),
          `failing: ${failing.join(', ')}`,
        ).toBe(true);
        expect(c.primary, report.diagnosis.summary).toContain(String(report.diagnosis.primary));
        expect(report.verdict).toBe('fail');
        expectValidReport(report);
        if (c.chain) {
          const [cause, effect] = c.chain;
          const link = report.diagnosis.chain?.find((l) => l.cause === cause && l.effect === effect);
          expect(link, JSON.stringify(report.diagnosis.chain)).toBeDefined();
          expect(report.diagnosis.summary).toContain(effect);
        }
        if (c.fix !== undefined) expectRemedy(report, c.fix);
      });
    }
  });
}
