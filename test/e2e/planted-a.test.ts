import { beforeAll, describe, expect, it } from 'vitest';
import { checkup } from '../../src/checkup.ts';
import { exampleModel } from '../../src/example/mnist-mlp.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { PLANTED } from './planted.ts';

describe('planted faults on real MNIST (first half)', () => {
  beforeAll(() => selectBackend());
  for (const c of PLANTED.slice(0, 5)) {
    it(`${c.name} → ${c.primary.join(' or ')}`, async () => {
      const report = await checkup({ model: exampleModel(c.model()), data: c.data() });
      const failing = report.checks.filter((r) => r.status === 'fail').map((r) => r.id);
      expect(
        failing.some((id) => c.primary.includes(id)),
        `failing: ${failing.join(', ')}`,
      ).toBe(true);
      expect(c.primary, report.diagnosis.summary).toContain(report.diagnosis.primary);
      expect(report.verdict).toBe('fail');
    });
  }
});
