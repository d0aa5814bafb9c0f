// Verified remedies on a healthy model: a fix is offered only when it verifiably helps. The
// built-in MLP trains well; its init-shallow check is made to fail by a threshold override (any
// kernel std below 10 counts as "constant"),
// so the re-initialization the catalogue offers for it is tried — and must not verify (it draws
// the same healthy weights again). Its "before" arm is the healthy baseline the planted faults'
// fixes are held against (planted.ts HEALTHY_BALANCED_ACCURACY).
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleData, exampleModel } from '../../src/example/mnist-mlp.ts';
import { checkup } from '../../src/node/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { expectValidReport } from '../valid-report.ts';
import { E2E_REMEDY_BUDGET, HEALTHY_BALANCED_ACCURACY } from './planted.ts';

describe('verified remedies on a healthy model', () => {
  beforeAll(() => selectBackend());

  it('refuses a bad verify mode or remedy budget before any work', async () => {
    const model = exampleModel();
    const data = exampleData();
    const bad = [
      [{ verify: 'sometimes' as never }, /options\.verify/],
      [{ remedyBudget: { seeds: 0 } }, /remedyBudget\.seeds/],
      [{ remedyBudget: { seeds: 2.5 } }, /remedyBudget\.seeds/],
      [{ remedyBudget: { tries: 3 } as never }, /remedyBudget\.tries: unknown/],
    ] as const;
    for (const [options, message] of bad)
      await expect(checkup({ model, data, ...options })).rejects.toThrow(message);
    model.dispose();
  });

  it('a forced finding on the healthy MLP: the fix is tried and not verified', async () => {
    const report = await checkup({
      model: exampleModel(),
      data: exampleData(),
      thresholds: { 'model/init-shallow': { minStd: 10 } },
      verify: 'auto',
      remedyBudget: E2E_REMEDY_BUDGET,
    });
    expect(report.checks.find((c) => c.id === 'model/init-shallow')?.status).toBe('fail');
    const r = report.remedies;
    expect(r?.tried.map((t) => t.fix)).toContain('reinit-fan');
    expect(r?.status, r?.summary).toBe('not-verified');
    expect(r?.chain).toEqual([]);
    expect(r?.summary).toMatch(/^No verified fix: /);
    // The healthy baseline the planted faults' fixes are held against.
    expect(r?.before?.mean ?? 0).toBeGreaterThanOrEqual(HEALTHY_BALANCED_ACCURACY - 0.02);
    expectValidReport(report);
  });
});
