// Runs the checkup on healthy zoo setups: each must get no fail and no error (a false failure
// on a healthy model is the worst bug this tool can have). Shared by the zoo test files, which
// split the zoo so the test workers share it.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkup } from '../../../src/node/checkup.ts';
import { selectBackend } from '../../../src/tfjs/backend.ts';
import { expectValidReport } from '../../valid-report.ts';
import type { ZooSetup } from './setups.ts';
import { fitSetup, heldOutScore } from './verify-fit.ts';

/**
 * `verifyLearning`: after the checkup, the same model (the checkup only reads it) is trained with
 * a plain fit and must reach its held-out score, so the test itself shows the setup is healthy.
 * `skip`: setups whose false failure waits for a fix elsewhere (name → why), written as they
 * should pass and skipped until the fix is merged.
 */
export function describeZoo(
  title: string,
  setups: ZooSetup[],
  { verifyLearning = false, skip = {} }: { verifyLearning?: boolean; skip?: Record<string, string> } = {},
): void {
  describe(title, () => {
    beforeAll(() => selectBackend());
    for (const setup of setups) {
      const test = setup.name in skip ? it.skip : it;
      test(`${setup.name}: no fail${verifyLearning ? ', and a plain fit learns it' : ''}`, async () => {
        const model = await setup.model();
        const optimizer = model.optimizer;
        try {
          const { train, test: heldOut } = setup.data();
          if (setup.pretrainEpochs) await fitSetup(model, train, setup.pretrainEpochs, setup.classWeight);
          // verify 'auto': fix experiments run only on a failure — none here, so no fix is offered.
          const report = await checkup({ model, data: train, verify: 'auto', ...(setup.options?.() ?? {}) });
          const bad = report.checks
            .filter((c) => c.status === 'fail' || c.status === 'error')
            .map((c) => `${c.id} ${c.status}: ${c.summary}`);
          expect(bad).toEqual([]);
          expect(report.verdict).not.toBe('fail');
          expect(report.remedies?.status ?? 'not-run').toBe('not-run');
          expect(report.remedies?.chain ?? []).toEqual([]);
          expectValidReport(report);
          expect(setup.expect?.(report) ?? []).toEqual([]);
          if (verifyLearning) {
            await fitSetup(model, train, setup.fitEpochs, setup.classWeight);
            expect(heldOutScore(model, heldOut, setup.metric)).toBeGreaterThanOrEqual(setup.minScore);
          }
        } finally {
          model.dispose();
          optimizer?.dispose();
        }
      });
    }
  });
}
