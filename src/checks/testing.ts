// A table-driven tester for checks, in the spirit of ESLint's RuleTester: each case gives
// evidence and the expected status and measured values (never wording). Wording is still
// exercised: every case must explain itself, and non-pass cases must carry a remedy.
import { describe, expect, it } from 'vitest';
import type { AnyCheck, Status } from '../core/check.ts';
import type { Evidence } from '../core/evidence.ts';
import { runCheck } from '../core/runner.ts';

export interface CheckCase {
  name: string;
  evidence: Evidence;
  thresholds?: Record<string, number>;
  status: Status;
  /** Expected measured values; numbers compare to 3 significant digits unless `exact`. */
  measured?: Record<string, unknown>;
  exact?: boolean;
}

function close(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    if (!Number.isFinite(expected)) return actual === expected;
    return Math.abs(actual - expected) <= 1e-3 * Math.max(1e-12, Math.abs(expected)) + 1e-12;
  }
  return Object.is(actual, expected) || JSON.stringify(actual) === JSON.stringify(expected);
}

export function testCheck(check: AnyCheck, cases: { valid: CheckCase[]; invalid: CheckCase[] }): void {
  describe(check.id, () => {
    it('has metadata: title, why, a source for every threshold', () => {
      expect(check.title.length).toBeGreaterThan(3);
      expect(check.why.length).toBeGreaterThan(10);
      for (const t of Object.values(check.thresholds)) expect(t.source.length).toBeGreaterThan(2);
    });
    it('has healthy and faulty cases', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.some((c) => c.status === 'fail' || c.status === 'warn')).toBe(true);
    });
    for (const c of [...cases.valid, ...cases.invalid]) {
      it(`${c.status}: ${c.name}`, () => {
        const result = runCheck(
          check,
          c.evidence,
          c.thresholds ? { thresholds: { [check.id]: c.thresholds } } : {},
        );
        expect(result.status, result.summary).toBe(c.status);
        expect(result.summary.length).toBeGreaterThan(10);
        if (c.status === 'warn' || c.status === 'fail')
          expect(result.remedy?.length ?? 0).toBeGreaterThan(10);
        for (const [key, value] of Object.entries(c.measured ?? {})) {
          const actual = result.measured[key];
          if (c.exact) expect(actual, key).toEqual(value);
          else
            expect(
              close(actual, value),
              `${key}: got ${JSON.stringify(actual)}, want ${JSON.stringify(value)}`,
            ).toBe(true);
        }
      });
    }
  });
}
