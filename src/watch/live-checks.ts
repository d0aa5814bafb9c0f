// The same pure checks as `check` and `diagnose`, evaluated again and again on the evidence of a run
// in progress. A finding is raised once per check and severity (a warning, then maybe a failure),
// at the step where its verdict became conclusive (conclusive.ts), with the measured numbers and
// the thresholds. Framework-free: the TF.js watcher and the log-directory watcher both feed it.
import { type AnyCheck, type CheckId, type Detection, effectiveThresholds } from '../core/check.ts';
import { deferredRemedy, diagnose, type SymptomOf, symptomsOf } from '../core/diagnosis.ts';
import type { Evidence } from '../core/evidence.ts';
import { validateRunOptions } from '../core/options.ts';
import type { CheckResult, LiveFinding } from '../core/report.ts';
import { givenTo, isSelected, type RunOptions } from '../core/runner.ts';
import { ALL_CHECKS } from '../registry.ts';
import { type Progress, type Rule, ruleFor } from './conclusive.ts';

export type { LiveFinding };

const LEVEL = { pass: 0, skip: 0, warn: 1, fail: 2 } as const;

interface Pending {
  step: number;
  progress: Progress;
  /** The rule the verdict was seen under (conclusive.ts). */
  rule: string;
}

export interface LiveChecksOptions extends RunOptions {
  /** Time origin of `elapsedMs` (Date.now() clock); default: when the LiveChecks was made. */
  startedAt?: number;
  /** The checks to evaluate (the built-in ones and any extra ones); default: the built-in ones. */
  checks?: readonly AnyCheck[];
}

export class LiveChecks {
  readonly findings: LiveFinding[] = [];
  private readonly checks: readonly AnyCheck[];
  private readonly pending = new Map<string, Pending>();
  private readonly raised = new Map<CheckId, number>();
  private readonly startedAt: number;
  /** Evaluations run and their total time (ms), for the overhead figures. */
  evaluations = 0;
  evaluationMs = 0;

  constructor(private readonly options: LiveChecksOptions = {}) {
    const checks = options.checks ?? ALL_CHECKS;
    validateRunOptions(options, checks);
    this.checks = checks.filter((c) => isSelected(c.id, options));
    this.startedAt = options.startedAt ?? Date.now();
  }

  /** Evaluates every selected check on `evidence`; returns the findings that became conclusive now. */
  evaluate(evidence: Evidence, progress: Progress, now = Date.now()): LiveFinding[] {
    const began = performance.now();
    const fresh: LiveFinding[] = [];
    const judged = this.judge(evidence);
    const symptoms = this.symptoms(judged, evidence);
    for (const { check, detection, thresholds } of judged) {
      const level = LEVEL[detection.status];
      for (const target of [2, 1]) {
        const key = `${check.id}:${target}`;
        if ((this.raised.get(check.id) ?? 0) >= target) continue;
        if (level < target) {
          this.pending.delete(key);
          continue;
        }
        // The same verdict must hold: a change of rule (a divergence that became a flat loss)
        // starts the wait again.
        const rule = ruleFor(check, detection);
        let seen = this.pending.get(key);
        if (!seen || seen.rule !== rule.words) {
          seen = { step: progress.step, progress, rule: rule.words };
          this.pending.set(key, seen);
        }
        if (!conclusive(rule, seen, progress)) continue;
        const words = check.explain(detection, givenTo(check, evidence), thresholds);
        const finding: LiveFinding = {
          id: check.id,
          title: check.title,
          status: target === 2 ? 'fail' : 'warn',
          step: progress.step,
          firstSeenStep: seen.step,
          wallTime: new Date(now).toISOString(),
          elapsedMs: now - this.startedAt,
          summary: words.summary,
          measured: detection.measured,
          thresholds,
          remedy: words.remedy,
          ...(check.plot ? { plot: check.plot.id } : {}),
          conclusiveBecause: rule.words,
        };
        const symptom = symptoms.get(check.id);
        if (symptom) Object.assign(finding, { symptomOf: symptom, remedy: deferredRemedy(symptom) });
        this.raised.set(check.id, target);
        this.findings.push(finding);
        fresh.push(finding);
        break; // a failure raised now makes the warning moot
      }
    }
    this.evaluations++;
    this.evaluationMs += performance.now() - began;
    return fresh;
  }

  /** Every selected check's verdict on the evidence so far (a check that throws is left out). */
  private judge(evidence: Evidence): Judged[] {
    const judged: Judged[] = [];
    for (const check of this.checks) {
      if (check.needs.some((key: keyof Evidence) => evidence[key] === undefined)) continue;
      const thresholds = effectiveThresholds(check, this.options.thresholds?.[check.id]);
      try {
        judged.push({ check, detection: check.evaluate(givenTo(check, evidence), thresholds), thresholds });
      } catch {
        // the report at the end shows the error; nothing to raise live
      }
    }
    return judged;
  }

  /**
   * The findings the evidence so far reads as symptoms (the same diagnosis as the report's, on the
   * verdicts of now): a finding raised as one defers to its cause, so a live feed never advises
   * "raise the learning rate" beside a learning rate that diverges.
   */
  private symptoms(judged: Judged[], evidence: Evidence): Map<CheckId, SymptomOf> {
    const findings: CheckResult[] = [];
    for (const { check, detection, thresholds } of judged) {
      if (detection.status !== 'fail' && detection.status !== 'warn') continue;
      let summary = '';
      try {
        summary = check.explain(detection, givenTo(check, evidence), thresholds).summary;
      } catch {
        continue;
      }
      findings.push({
        id: check.id,
        section: check.section,
        title: check.title,
        status: detection.status,
        summary,
        measured: detection.measured,
        thresholds,
        why: check.why,
        remedy: null,
        durationMs: 0,
      });
    }
    return findings.length > 1 ? symptomsOf(diagnose(findings, this.checks)) : new Map();
  }
}

interface Judged {
  check: AnyCheck;
  detection: Detection;
  thresholds: Record<string, number>;
}

function conclusive(rule: Rule, seen: Pending, now: Progress): boolean {
  if (rule.kind === 'immediate') return true;
  if (rule.kind === 'final') return false;
  const count = now[rule.counter];
  return (
    count >= rule.minPoints &&
    count - seen.progress[rule.counter] >= rule.fresh &&
    now.step - seen.step >= rule.span(seen.step)
  );
}

/**
 * Keeps evaluation under a share of the wall time: after evaluations that took d ms (the median of
 * the last few: the first ones include the JIT's warm-up), the next one is due (1/share − 1)·d ms
 * later. Urgent evidence (a NaN) is evaluated at once.
 */
export class EvaluationBudget {
  private nextAt = 0;
  private readonly recent: number[] = [];
  constructor(private readonly share = 0.02) {}

  due(now = performance.now()): boolean {
    return now >= this.nextAt;
  }

  spent(ms: number, now = performance.now()): void {
    this.recent.push(ms);
    if (this.recent.length > 5) this.recent.shift();
    const typical = [...this.recent].sort((a, b) => a - b)[this.recent.length >> 1];
    this.nextAt = now + typical * (1 / this.share - 1);
  }
}
