// A table-driven tester for checks, in the spirit of ESLint's RuleTester: each case gives
// evidence and the expected status, reason id and measured values (never wording). Wording is
// still exercised: every case must explain itself, and non-pass cases must carry a remedy. As
// RuleTester asserts messageIds, every faulty case names the reason `evaluate` gives (one of the
// check's declared `reasons`, typed), and every declared reason is given by some case.
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AnyCheck, type Check, effectiveThresholds, type Status } from '../core/check.ts';
import type { Evidence } from '../core/evidence.ts';
import { givenTo, runCheck } from '../core/runner.ts';

export interface CheckCase<R extends string = string> {
  name: string;
  evidence: Evidence;
  thresholds?: Record<string, number>;
  status: Status;
  /** The reason `evaluate` gives (one of the check's `reasons`), or null for none. */
  reason?: R | null;
  /** Expected measured values; numbers compare to 3 significant digits unless `exact`. */
  measured?: Record<string, unknown>;
  exact?: boolean;
}

/** A faulty case: its reason is required (null when `evaluate` gives none). */
export type FaultyCase<R extends string = string> = CheckCase<R> & { reason: R | null };

/** The reason `evaluate` gives for a case, null for none; undefined when it does not run. */
function reasonOf(check: AnyCheck, c: CheckCase<string>): string | null | undefined {
  if (check.needs.some((key: keyof Evidence) => c.evidence[key] === undefined)) return undefined;
  try {
    return (
      check.evaluate(givenTo(check, c.evidence), effectiveThresholds(check, c.thresholds)).reason ?? null
    );
  } catch {
    return undefined; // the runner turns it into `error`, which the case's status asserts
  }
}

function close(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    if (!Number.isFinite(expected)) return actual === expected;
    return Math.abs(actual - expected) <= 1e-3 * Math.max(1e-12, Math.abs(expected)) + 1e-12;
  }
  return Object.is(actual, expected) || JSON.stringify(actual) === JSON.stringify(expected);
}

export function testCheck<R extends string>(
  // biome-ignore lint/suspicious/noExplicitAny: any check, whatever its threshold and evidence keys
  check: Check<any, any, R, any, any, any>,
  cases: { valid: CheckCase<NoInfer<R>>[]; invalid: FaultyCase<NoInfer<R>>[] },
): void {
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
    it('declares its reasons once each, and every one is given by a case', () => {
      expect(new Set(check.reasons).size).toBe(check.reasons.length);
      const given = new Set([...cases.valid, ...cases.invalid].map((c) => reasonOf(check, c)));
      expect(check.reasons.filter((r) => !given.has(r))).toEqual([]);
    });
    for (const c of [...cases.valid, ...cases.invalid]) {
      it(`${c.status}: ${c.name}`, () => {
        const result = runCheck(
          check,
          c.evidence,
          c.thresholds ? { thresholds: { [check.id]: c.thresholds } } : {},
        );
        expect(result.status, result.summary).toBe(c.status);
        const reason = reasonOf(check, c);
        if (reason !== undefined && reason !== null)
          expect(check.reasons, `reason '${reason}' is not declared`).toContain(reason);
        if (c.reason !== undefined) expect(reason, 'reason').toBe(c.reason);
        if (process.env.NN_DOCTOR_RECORD_REASONS)
          appendFileSync(
            process.env.NN_DOCTOR_RECORD_REASONS,
            `${JSON.stringify({ id: check.id, name: c.name, reason })}\n`,
          );
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
