// Ranks the findings into one most likely cause. Many checks fire together when one thing is
// wrong (a zero-initialized layer also starves the gradient flow and flattens the loss), so the
// ranking follows causal chains (causes.ts): a finding that another finding explains, by a link
// the measured numbers support, is a symptom; the primary cause is the root whose chain holds a
// failure and explains the most findings. A fixed order of checks only breaks ties. A few
// combination rules read the pattern of verdicts the way an engineer walking the checklist would.
import { type CausalLink, type CauseSources, causalLinks } from './causes.ts';
import type { CheckId } from './check.ts';
import type { CheckResult, Report } from './report.ts';

/**
 * What diagnose needs of each check: its id, its place among causes (Check.causeRank) and the
 * causal links where it is the cause (Check.causes).
 */
export type CauseRanks = readonly ({ id: string; causeRank?: number } & CauseSources[number])[];

/**
 * Root causes first, symptoms last (each check's `causeRank`): the tie-break between findings no
 * causal link orders, and the direction kept when links point both ways. A check without a rank
 * (an extra check) comes after every ranked one.
 */
function rankerOf(checks: CauseRanks): (id: CheckId) => number {
  const last = Number.MAX_SAFE_INTEGER; // finite: two unranked checks compare equal
  const ranks = new Map(checks.map((c) => [c.id, c.causeRank ?? last]));
  return (id) => ranks.get(id) ?? last;
}

const severity = { fail: 0, warn: 1 } as const;
type Finding = CheckResult & { status: 'fail' | 'warn' };

function byId(results: CheckResult[]): Map<CheckId, CheckResult> {
  return new Map(results.map((r) => [r.id, r]));
}

/** Combination rules: a pattern of verdicts that points somewhere a single check can't. */
function combinationSummary(primary: CheckResult, all: Map<CheckId, CheckResult>): string | null {
  const status = (id: CheckId) => all.get(id)?.status;
  if (primary.id === 'inputs/overfit-small' && status('inputs/standard-corpus') === 'pass') {
    return 'The model cannot fit even 50 of your records, yet the same architecture and training code learn a standard corpus: the fault is most likely in your data or labels (preprocessing, label alignment), not in the model code.';
  }
  if (primary.id === 'inputs/standard-corpus' && status('inputs/overfit-small') === 'fail') {
    return 'The model learns neither a control corpus nor 50 of your own records: the fault is in the model or training code (architecture, loss, optimizer), not in your data.';
  }
  if (
    primary.id === 'model/init-shallow' &&
    (status('other/gradient-flow') === 'fail' || status('activations/dead-relu') === 'fail')
  ) {
    return `${primary.summary} A constant-initialized layer gives identical units and explains the dead or missing gradients further down the network.`;
  }
  return null;
}

/**
 * Checks whose pass cannot tell whether the network learns: "no NaN in the loss/data" and the
 * pretrained-checkpoint advice. A run where nothing else passed is inconclusive, not healthy —
 * unless the selection (--only) holds nothing else.
 */
export const NON_DECISIVE: ReadonlySet<CheckId> = new Set<CheckId>([
  'loss/non-finite',
  'inputs/non-finite',
  'model/pretrained',
]);

/** The checks whose pass can make a PASS: the decisive ones, or all when only non-decisive ones were selected. */
function decisive(results: CheckResult[]): CheckResult[] {
  const some = results.filter((r) => !NON_DECISIVE.has(r.id));
  return some.length > 0 ? some : results;
}

/** Why a run is inconclusive, in one sentence: what ran, what did not. */
function inconclusiveSummary(results: CheckResult[]): string {
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  const skipped = count('skip');
  const errors = count('error');
  const passed = results.filter((r) => r.status === 'pass').map((r) => r.id);
  const notRun = [
    skipped ? `${skipped} skipped for lack of evidence` : '',
    errors ? `${errors} could not run` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (results.length === 0) return 'Inconclusive: no check was selected, so nothing was judged.';
  if (passed.length === 0) {
    return `Inconclusive: no check could judge this run (${notRun}). Nothing checked is not a pass; see each check's reason for the evidence it needs.`;
  }
  return `Inconclusive: only ${passed.join(', ')} passed, which cannot tell whether the network learns; the other checks had nothing to judge (${notRun}).`;
}

/**
 * The links kept: each effect keeps the causes that do not close a cycle, taken in cause order
 * (a link pointing both ways keeps the direction of the check with the lower cause rank).
 */
function acyclic(links: CausalLink[], rank: (id: CheckId) => number): CausalLink[] {
  const kept: CausalLink[] = [];
  const reaches = (from: CheckId, to: CheckId): boolean => {
    const seen = new Set<CheckId>();
    const stack = [from];
    while (stack.length) {
      const id = stack.pop() as CheckId;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const l of kept) if (l.cause === id) stack.push(l.effect);
    }
    return false;
  };
  for (const link of [...links].sort(
    (a, b) => rank(a.cause) - rank(b.cause) || rank(a.effect) - rank(b.effect),
  )) {
    if (!reaches(link.effect, link.cause)) kept.push(link);
  }
  return kept;
}

function descendants(root: CheckId, links: CausalLink[]): CheckId[] {
  const out: CheckId[] = [];
  const stack = [root];
  while (stack.length) {
    const id = stack.pop() as CheckId;
    for (const l of links)
      if (l.cause === id && !out.includes(l.effect) && l.effect !== root) {
        out.push(l.effect);
        stack.push(l.effect);
      }
  }
  return out;
}

export function diagnose(results: CheckResult[], checks: CauseRanks): Report['diagnosis'] {
  const rank = rankerOf(checks);
  const findings = results.filter((r): r is Finding => r.status === 'fail' || r.status === 'warn');
  const all = byId(results);
  if (!findings.length) {
    if (overallVerdict(results) === 'inconclusive')
      return { primary: null, summary: inconclusiveSummary(results), ranked: [], chain: [] };
    const errors = results.filter((r) => r.status === 'error').length;
    return {
      primary: null,
      summary:
        errors > 0
          ? `No check failed, but ${errors} could not run; see their reasons.`
          : 'No check failed: the checklist finds nothing that keeps this network from learning.',
      ranked: [],
      chain: [],
    };
  }
  const links = acyclic(causalLinks(findings, checks), rank);
  const explained = new Set(links.map((l) => l.effect));
  const roots = findings.filter((f) => !explained.has(f.id));
  const chainOf = new Map(roots.map((r) => [r.id, descendants(r.id, links)]));
  const chainFails = (r: Finding) =>
    r.status === 'fail' || (chainOf.get(r.id) ?? []).some((id) => all.get(id)?.status === 'fail');
  roots.sort(
    (a, b) =>
      Number(!chainFails(a)) - Number(!chainFails(b)) ||
      (chainOf.get(b.id)?.length ?? 0) - (chainOf.get(a.id)?.length ?? 0) ||
      severity[a.status] - severity[b.status] ||
      rank(a.id) - rank(b.id),
  );
  const ranked: CheckId[] = [];
  const bySeverity = (ids: CheckId[]) =>
    [...ids].sort(
      (a, b) =>
        severity[(all.get(a)?.status ?? 'warn') as 'fail' | 'warn'] -
          severity[(all.get(b)?.status ?? 'warn') as 'fail' | 'warn'] || rank(a) - rank(b),
    );
  for (const r of roots) {
    for (const id of [r.id, ...bySeverity(chainOf.get(r.id) ?? [])])
      if (!ranked.includes(id)) ranked.push(id);
  }
  const primary = roots[0];
  const failing = chainFails(primary);
  const lead = failing ? 'Most likely cause' : 'No check failed; the strongest warning';
  const own = links.filter((l) => l.cause === primary.id);
  const combined = combinationSummary(primary, all);
  let summary = combined ?? `${lead} (${primary.id}): ${primary.summary}`;
  if (own.length) {
    // One sentence per distinct reason: "because …: effect, effect".
    const reasons = new Map<string, CheckId[]>();
    for (const l of own) reasons.set(l.because, [...(reasons.get(l.because) ?? []), l.effect]);
    const parts = [...reasons]
      .slice(0, 3)
      .map(([because, effects]) => `${effects.join(', ')}, because ${because}`);
    const more = reasons.size > 3 ? `; and ${reasons.size - 3} more` : '';
    summary += ` The other findings are its symptoms: ${parts.join('; ')}${more}.`;
  }
  return { primary: primary.id, summary, ranked, chain: links };
}

/** Why a finding is a symptom: the cause it follows from, and the measured reason. */
export interface SymptomOf {
  cause: CheckId;
  because: string;
}

/**
 * The findings the diagnosis reads as symptoms, each with the link to the cause it defers to: the
 * primary cause's when it is one of the finding's causes, else its first (lowest-ranked) cause.
 */
export function symptomsOf(diagnosis: Report['diagnosis']): Map<CheckId, SymptomOf> {
  const out = new Map<CheckId, SymptomOf>();
  for (const l of diagnosis.chain ?? []) {
    const known = out.get(l.effect);
    if (!known || (l.cause === diagnosis.primary && known.cause !== diagnosis.primary))
      out.set(l.effect, { cause: l.cause, because: l.because });
  }
  return out;
}

/**
 * What a symptom advises: its cause's remedy first. Its own remedy (raise the learning rate, when
 * the cause is a learning rate far too high) may point the opposite way, and a report never
 * advises both directions.
 */
export function deferredRemedy(s: SymptomOf): string {
  return `A symptom of ${s.cause} (see the diagnosis): follow the remedy of ${s.cause} first; this finding should clear with it.`;
}

/** The results with each symptom marked and its remedy deferring to its cause (Report.checks). */
export function withSymptoms(results: CheckResult[], diagnosis: Report['diagnosis']): CheckResult[] {
  const symptoms = symptomsOf(diagnosis);
  return results.map((r) => {
    const s = symptoms.get(r.id);
    return s && (r.status === 'fail' || r.status === 'warn')
      ? { ...r, symptomOf: s, remedy: deferredRemedy(s) }
      : r;
  });
}

/**
 * fail > warn > pass, and `inconclusive` when no decisive check passed (all skipped, errored, or
 * only NON_DECISIVE ones passed): a CI gate must not turn green on a run nothing could judge.
 */
export function overallVerdict(results: CheckResult[]): Report['verdict'] {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'warn')) return 'warn';
  if (!decisive(results).some((r) => r.status === 'pass')) return 'inconclusive';
  return 'pass';
}
