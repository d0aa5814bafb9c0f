// Ranks the findings into one most likely cause. Many checks fire together when one thing is
// wrong (a zero-initialized layer also starves the gradient flow and flattens the loss), so the
// ranking orders checks from root causes to symptoms, fails before warns, and a few combination
// rules read the pattern of verdicts the way an engineer walking the checklist would.
import type { CheckId } from './check.ts';
import type { CheckResult, Report } from './report.ts';

/**
 * Root causes first, symptoms last. A check high in this list, when it fails, usually explains
 * the failures of checks below it; the reverse is rare.
 */
export const CAUSE_ORDER: readonly CheckId[] = [
  'inputs/non-finite', // NaN in the data poisons everything downstream
  'loss/output-mismatch', // the loss is computed on the wrong kind of output
  'model/init-shallow', // symmetric/zero weights: no gradient, no learning
  'inputs/mean-centering', // raw pixels saturate units and blow up gradients
  'inputs/class-balance', // the majority class is the easy minimum
  'loss/regularization', // the penalty, not the data, is being minimized
  // Above the unit checks: a diverging LR also kills ReLUs and saturates units during training,
  // while units that are dead from the start leave no LR working (learning-rate then only warns).
  'loss/learning-rate',
  'activations/saturation', // saturated units pass no gradient
  'activations/dead-relu', // dead units pass no gradient
  'loss/initial-loss', // a symptom of output scale / init
  'model/init-deep', // activations vanish with depth
  'other/exploding-gradients',
  'loss/non-finite',
  'other/gradient-flow',
  'other/update-ratio',
  'other/weight-variance',
  'inputs/standard-corpus', // the setup can't learn even a known corpus: see the causes above
  'model/simplify',
  'inputs/overfit-small',
  // Below everything that stops learning altogether: a model that learns nothing learns no
  // more from real labels than from shuffled ones, so this failure alone points at the labels.
  'inputs/label-signal',
  'loss/overfitting',
  'inputs/rebalancing',
  'loss/steep-drop',
  'model/pretrained',
];

const rank = (id: CheckId): number => {
  const i = CAUSE_ORDER.indexOf(id);
  return i < 0 ? CAUSE_ORDER.length : i;
};

const severity = { fail: 0, warn: 1 } as const;

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

export function diagnose(results: CheckResult[]): Report['diagnosis'] {
  const findings = results
    .filter((r): r is CheckResult & { status: 'fail' | 'warn' } => r.status === 'fail' || r.status === 'warn')
    .sort((a, b) => severity[a.status] - severity[b.status] || rank(a.id) - rank(b.id));
  const ranked = findings.map((r) => r.id);
  const primary = findings[0];
  if (!primary) {
    if (overallVerdict(results) === 'inconclusive')
      return { primary: null, summary: inconclusiveSummary(results), ranked };
    const errors = results.filter((r) => r.status === 'error').length;
    return {
      primary: null,
      summary:
        errors > 0
          ? `No check failed, but ${errors} could not run; see their reasons.`
          : 'No check failed: the checklist finds nothing that keeps this network from learning.',
      ranked,
    };
  }
  const combined = combinationSummary(primary, byId(results));
  const lead = primary.status === 'fail' ? 'Most likely cause' : 'No check failed; the strongest warning';
  return {
    primary: primary.id,
    summary: combined ?? `${lead} (${primary.id}): ${primary.summary}`,
    ranked,
  };
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
