// Runs checks over evidence. Missing evidence is decided here, once: a check whose needed
// evidence is absent becomes `skip` (does not apply / not logged) or `error` (its probe failed).
// A check that throws becomes `error`; it never takes the whole checkup down.
import { type AnyCheck, type CheckId, effectiveThresholds } from './check.ts';
import type { Evidence, EvidenceKey } from './evidence.ts';
import type { CheckResult } from './report.ts';

export interface RunOptions {
  /** Run only these check ids (or section prefixes like `loss/`). */
  only?: string[];
  /** Skip these check ids (or section prefixes). */
  skip?: string[];
  /** Threshold overrides per check id: `{ 'inputs/class-balance': { warnRatio: 5 } }`. */
  thresholds?: Partial<Record<CheckId, Record<string, number>>>;
}

function matches(id: string, patterns: string[]): boolean {
  return patterns.some((p) => id === p || (p.endsWith('/') && id.startsWith(p)) || id.startsWith(`${p}/`));
}

/** Whether a check is selected by --only/--skip. */
export function isSelected(id: string, options: RunOptions): boolean {
  if (options.only?.length && !matches(id, options.only)) return false;
  if (options.skip?.length && matches(id, options.skip)) return false;
  return true;
}

function missingEvidence(
  needs: readonly EvidenceKey[],
  evidence: Evidence,
): { status: 'skip' | 'error'; reason: string } | null {
  for (const key of needs) {
    if (evidence[key] !== undefined) continue;
    const why = evidence.unavailable?.[key];
    if (why) return why;
    return { status: 'skip', reason: `no ${key} evidence was gathered` };
  }
  return null;
}

/** The plot's threshold lines at this run's effective thresholds (Check.plot). */
function plotLines(check: AnyCheck, thresholds: Record<string, number>): Record<string, number> {
  const lines: Record<string, number> = {};
  for (const [line, key] of Object.entries(check.plot?.lines ?? {}))
    if (typeof key === 'string' && Number.isFinite(thresholds[key])) lines[line] = thresholds[key];
  return lines;
}

function baseResult(
  check: AnyCheck,
  thresholds: Record<string, number>,
): Omit<CheckResult, 'status' | 'summary' | 'measured' | 'remedy' | 'durationMs'> {
  return {
    id: check.id,
    section: check.section,
    title: check.title,
    thresholds,
    why: check.why,
    ...(check.plot ? { plot: check.plot.id, plotLines: plotLines(check, thresholds) } : {}),
  };
}
/** Why an at-initialization check judged a re-initialized clone (a trained checkpoint), else undefined. */
function reinitializedNote(check: AnyCheck, evidence: Evidence): string | undefined {
  const model = evidence.model;
  if (!check.atInitialization || model?.weightsFrom !== 'reinitialized-clone') return undefined;
  const why = (model.trainedSignals ?? []).slice(0, 2).join('; ');
  return `Judged on a re-initialized clone of your architecture (its layers' own initializers): your model's weights are trained${why ? ` (${why})` : ''}, and trained weights say nothing about initialization.`;
}

/**
 * The evidence a check declared (`needs` and `uses`, with `source` and `unavailable`), and nothing
 * else: what `evaluate` and `explain` receive (the type says the same; this holds for checks
 * written in JavaScript too).
 */
export function givenTo(check: AnyCheck, evidence: Evidence): Evidence {
  const out: Evidence = { source: evidence.source };
  // Where the evidence came from, not evidence a check declares: every check may word its advice for it.
  if (evidence.framework) out.framework = evidence.framework;
  if (evidence.unavailable) out.unavailable = evidence.unavailable;
  for (const key of [...check.needs, ...(check.uses ?? [])] as EvidenceKey[])
    if (evidence[key] !== undefined) Object.assign(out, { [key]: evidence[key] });
  return out;
}

export function runCheck(check: AnyCheck, evidence: Evidence, options: RunOptions = {}): CheckResult {
  const started = performance.now();
  const thresholds = effectiveThresholds(check, options.thresholds?.[check.id]);
  const base = baseResult(check, thresholds);
  const missing = missingEvidence(check.needs, evidence);
  if (missing) {
    return {
      ...base,
      status: missing.status,
      summary: missing.reason,
      measured: {},
      remedy: null,
      durationMs: 0,
    };
  }
  try {
    const given = givenTo(check, evidence);
    const detection = check.evaluate(given, thresholds);
    const words = check.explain(detection, given, thresholds);
    const note = reinitializedNote(check, evidence);
    const details = [words.details, note].filter(Boolean).join(' ') || undefined;
    return {
      ...base,
      status: detection.status,
      summary: words.summary,
      measured: detection.measured,
      remedy: detection.status === 'pass' || detection.status === 'skip' ? null : words.remedy,
      ...(details ? { details } : {}),
      durationMs: performance.now() - started,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      ...base,
      status: 'error',
      summary: `the check could not run: ${message}`,
      measured: {},
      remedy: null,
      durationMs: performance.now() - started,
    };
  }
}
export function runChecks(
  checks: readonly AnyCheck[],
  evidence: Evidence,
  options: RunOptions = {},
): CheckResult[] {
  return checks.filter((c) => isSelected(c.id, options)).map((c) => runCheck(c, evidence, options));
}
