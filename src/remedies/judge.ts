// The report's remedies section, judged from the fix experiments' evidence: each fix tried with
// its effect against the setup as it is and against the random-fix baseline, the verified chain,
// and one sentence that says what was verified (or that nothing was), with the numbers. Pure: a
// saved report's evidence judges the same way.
import type { CheckId } from '../core/check.ts';
import type { Evidence } from '../core/evidence.ts';
import type { RemediesReport, RemedyArm, RemedyEvidence, Spread, TriedFix } from '../core/remedies.ts';
import { fixById } from './catalogue/index.ts';
import { fmtEffect, fmtScore, METRIC_LABEL } from './score.ts';
import { userTerms } from './terms.ts';
import {
  judgeFix,
  randomBaselineFor,
  spreadOf,
  VERDICT_THRESHOLDS,
  type VerdictThresholds,
} from './verdict.ts';

const scores = (arms: RemedyArm[]) => arms.flatMap((a) => a.runs.map((r) => r.score));
const losses = (arms: RemedyArm[]) => arms.flatMap((a) => a.runs.map((r) => r.loss));
const titleOf = (id: string) => fixById(id)?.title ?? id;

function describeRange(e: RemedyEvidence, s: Spread): string {
  return `${fmtScore(e.metric, s.mean)} (${fmtScore(e.metric, s.min)}–${fmtScore(e.metric, s.max)})`;
}

function whyText(e: RemedyEvidence, t: Omit<TriedFix, 'why' | 'terms'>, min: number): string {
  const effect = fmtEffect(e.metric, t.effect);
  const spread = fmtEffect(e.metric, t.spread).replace(/^\+/, '');
  const vsRandom = fmtEffect(e.metric, t.vsRandom);
  const random = `the random-fix baseline (${t.random.fixes.join(', ') || 'none'}: ${fmtScore(e.metric, t.random.mean)})`;
  if (t.verified)
    return `Verified: ${effect} over ${e.seeds} seeds, beyond the seed spread ${spread}, and ${vsRandom} above ${random}.`;
  if (!t.improved)
    return t.effect > t.spread
      ? `Not verified: ${effect} is beyond the seed spread ${spread} but below the ${fmtEffect(e.metric, min).replace(/^\+/, '')} that counts.`
      : `Not verified: ${effect} is within the seed spread ${spread}.`;
  return `Not verified: it helps (${effect}, seed spread ${spread}), but no more than ${random} (${vsRandom}).`;
}

/** Each candidate of each stage, judged. */
function triedFixes(e: RemedyEvidence, optimizer: string, t: VerdictThresholds): TriedFix[] {
  const out: TriedFix[] = [];
  e.stages.forEach((stage, i) => {
    const before = scores([stage.baseline]);
    for (const c of stage.candidates) {
      const applied = c.arm.fixes[c.arm.fixes.length - 1];
      const fix = applied ? fixById(applied.id) : undefined;
      if (!applied) continue;
      const baseline = randomBaselineFor(stage.random, applied.id);
      const random = scores(baseline);
      const after = scores([c.arm]);
      const v = judgeFix(before, after, random, t);
      const base = {
        fix: applied.id,
        title: titleOf(applied.id),
        stage: i + 1,
        on: stage.base,
        finding: c.finding,
        addresses: [...(fix?.addresses ?? [])] as CheckId[],
        change: fix ? fix.describe(applied.changes, applied.params) : applied.id,
        before: spreadOf(before),
        after: spreadOf(after),
        random: {
          ...spreadOf(random),
          fixes: baseline.map((a) => a.fixes[a.fixes.length - 1]?.id ?? '?'),
        },
        lossBefore: spreadOf(losses([stage.baseline])),
        lossAfter: spreadOf(losses([c.arm])),
        ...v,
        ...(c.stillFailing ? { stillFailing: c.stillFailing } : {}),
      };
      out.push({ ...base, why: whyText(e, base, t.minEffect), terms: userTerms(applied, optimizer) });
    }
  });
  return out;
}

function summaryOf(e: RemedyEvidence, report: Omit<RemediesReport, 'summary'>): string {
  const label = METRIC_LABEL[e.metric];
  const budget = `${e.seeds} seeds × ${e.steps} steps, scored on ${e.heldOut} held-out records`;
  const { tried, chain } = report;
  if (chain.length && report.before && report.after) {
    const names = chain.map(titleOf).join(', then ');
    const last = tried.filter((t) => t.verified).at(-1);
    const remaining = report.remaining.length
      ? ` Still failing after it: ${report.remaining.join(', ')}.`
      : '';
    return `Verified fix: ${names}. It raises the ${label} from ${describeRange(e, report.before)} to ${describeRange(e, report.after)} (${budget}), beyond the seed spread and ${last ? fmtEffect(e.metric, last.vsRandom) : ''} above the random-fix baseline.${remaining}`;
  }
  if (tried.length) {
    const best = [...tried].sort((a, b) => b.effect - a.effect)[0];
    return `No verified fix: ${tried.length} fix${tried.length === 1 ? '' : 'es'} tried (${tried.map((t) => t.fix).join(', ')}), none raised the ${label} beyond the seed spread and the random-fix baseline; the best, ${best.fix}, changed it by ${fmtEffect(e.metric, best.effect)} (seed spread ${fmtEffect(e.metric, best.spread).replace(/^\+/, '')}, random-fix baseline ${fmtScore(e.metric, best.random.mean)}) (${budget}).`;
  }
  return `No fix in the catalogue addresses ${e.findings.length ? e.findings.join(', ') : 'the findings'}: nothing was tried, and no fix is claimed.`;
}

/** The remedies section of a report, or undefined when the evidence has nothing about fixes (diagnose). */
export function judgeRemedies(
  evidence: Evidence,
  t: VerdictThresholds = VERDICT_THRESHOLDS,
): RemediesReport | undefined {
  const e = evidence.remedies;
  const thresholds = { minEffect: t.minEffect };
  if (!e) {
    const why = evidence.unavailable?.remedies;
    if (!why) return undefined;
    return {
      status: 'not-run',
      summary:
        why.status === 'error'
          ? `The fix experiments could not run: ${why.reason}`
          : `No fix was tried: ${why.reason}.`,
      reason: why.reason,
      tried: [],
      chain: [],
      before: null,
      after: null,
      remaining: [],
      thresholds,
    };
  }
  const tried = triedFixes(e, evidence.task?.optimizer ?? 'Adam', t);
  // The chain: the verified candidate of each stage, while each stage verified one.
  const chain: string[] = [];
  let last: TriedFix | null = null;
  for (let stage = 1; ; stage++) {
    const v = tried.find((x) => x.stage === stage && x.verified);
    if (!v) break;
    chain.push(v.fix);
    last = v;
  }
  const first = e.stages[0];
  const partial: Omit<RemediesReport, 'summary'> = {
    status: chain.length ? 'verified' : tried.length ? 'not-verified' : 'no-candidate',
    metric: e.metric,
    seeds: e.seeds,
    steps: e.steps,
    heldOut: e.heldOut,
    tried,
    chain,
    before: first ? spreadOf(scores([first.baseline])) : null,
    after: last ? last.after : null,
    remaining: last?.stillFailing ?? [],
    thresholds,
  };
  return { ...partial, summary: summaryOf(e, partial) };
}
