// The shape every check has: metadata beside a pure evaluation (detection) and a
// separate wording step (what is wrong, why it matters, what to do).

import type { Causes } from './causes.ts';
import type { Evidence, EvidenceKey } from './evidence.ts';
import type { LiveRule } from './live.ts';
import type { PlotSpec } from './plots.ts';

export const SECTIONS = {
  inputs: 'Inputs',
  model: 'Model architecture & initialization',
  loss: 'Loss',
  activations: 'Activation functions',
  other: 'Other',
  distributed: 'Distributed training (ranks compared)',
} as const;
export type Section = keyof typeof SECTIONS;

/** Stable, public check ids (docs/design.md §1). */
export const CHECK_IDS = [
  'inputs/non-finite',
  'inputs/overfit-small',
  'inputs/standard-corpus',
  'inputs/mean-centering',
  'inputs/target-scale',
  'inputs/class-balance',
  'inputs/rebalancing',
  'inputs/label-signal',
  'model/simplify',
  'model/init-shallow',
  'model/init-deep',
  'model/pretrained',
  'loss/output-mismatch',
  'loss/initial-loss',
  'loss/learning-rate',
  'loss/regularization',
  'loss/steep-drop',
  'loss/non-finite',
  'loss/overfitting',
  'activations/saturation',
  'activations/dead-relu',
  'other/exploding-gradients',
  'other/gradient-flow',
  'other/update-ratio',
  'other/weight-variance',
  'distributed/non-finite',
  'distributed/loss-skew',
  'distributed/replica-divergence',
  'distributed/step-sync',
  'distributed/stragglers',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type Status = 'pass' | 'warn' | 'fail' | 'skip' | 'error';

/** A default threshold and where it comes from. */
export interface Threshold {
  value: number;
  /** What the number means, e.g. "warn when largest/smallest class count exceeds this". */
  meaning: string;
  /** Where the default comes from (checklist, SageMaker Debugger rule, paper…). */
  source: string;
}

export type MeasuredValue = number | string | boolean | null | number[];
export type Measured = Record<string, MeasuredValue>;
/**
 * The measured shape of one check, as TypeScript infers it from what `evaluate` returns: the
 * branches' object literals, normalized (a key one branch lacks is `undefined` there).
 */
export type MeasuredShape = { [key: string]: MeasuredValue | undefined };

/** Every key of a union of object types. */
type KeysOf<U> = U extends unknown ? keyof U : never;
/**
 * A union of measured shapes flattened to one: each key any branch gives, with the types it takes
 * there (`undefined` where a branch, a skip, lacks it). Reading a key no branch gives is an error.
 */
export type Flat<U> = {
  [Key in KeysOf<U> & string]: U extends unknown ? (Key extends keyof U ? U[Key] : undefined) : never;
};
/** What `explain` reads: the check's own measured keys typed, any other a Measured value. */
export type Readable<D extends Detection<string, MeasuredShape>> = Detection<
  NonNullable<D['reason']>,
  Flat<D['measured']> & Measured
>;

/** What `evaluate` decides: status and the numbers behind it. No prose. */
export interface Detection<R extends string = string, M extends MeasuredShape = Measured> {
  status: Exclude<Status, 'error'>;
  measured: M;
  /**
   * Short machine-readable reason for the status, used by `explain` (e.g. `missing-class`,
   * `diverged`): one of the check's declared `reasons`, which its table test asserts.
   */
  reason?: R;
}

/** The words for a detection: what is wrong (measured vs threshold) and what to do. */
export interface Explanation {
  /** One sentence with the measured value against the threshold. */
  summary: string;
  /** Concrete remedy for this model; null on pass/skip. */
  remedy: string | null;
  details?: string;
}

export type Thresholds<K extends string> = Record<K, number>;

/**
 * What `evaluate` and `explain` receive: the evidence a check needs (present) and uses (maybe
 * present), and nothing else — reading an undeclared key is a compile error.
 */
export type Given<N extends EvidenceKey, U extends EvidenceKey> = Pick<
  Evidence,
  'source' | 'framework' | 'unavailable'
> &
  Required<Pick<Evidence, N>> &
  Pick<Evidence, U>;

export interface Check<
  K extends string = string,
  N extends EvidenceKey = EvidenceKey,
  R extends string = string,
  U extends EvidenceKey = EvidenceKey,
  D extends Detection<R, MeasuredShape> = Detection<R>,
  I extends CheckId = CheckId,
> {
  id: I;
  section: Section;
  title: string;
  /** Why the item matters (the second pillar; shown with every non-pass finding). */
  why: string;
  /** Evidence keys the check cannot do without. The runner turns their absence into skip/error. */
  needs: readonly N[];
  /** Evidence keys used when present. */
  uses?: readonly U[];
  thresholds: Record<K, Threshold>;
  /**
   * Every reason `evaluate` may give (as ESLint rules declare their message ids): `explain` and the
   * table test (checks/testing.ts) match on these, and a reason not declared is a compile error.
   */
  reasons: readonly R[];
  /**
   * Its place among causes (core/diagnosis.ts), lower for root causes, higher for symptoms: it
   * breaks ties between findings no causal link orders, and keeps the direction of a link that
   * points both ways. The built-in checks use distinct multiples of 10.
   */
  causeRank: number;
  /**
   * When a verdict on a run in progress (`watch`) is conclusive: a rule (core/live.ts), or one per
   * detection. `NEEDS_EXPERIMENT` for checks that judge an experiment on the model itself.
   */
  // (A method's type: its parameter is bivariant, so a check fits the list type AnyCheck.)
  // (Loosely typed: declared before `evaluate`, it must not fix the measured shape's inference.)
  live: LiveRule | { rule(detection: Detection<NoInfer<R>>): LiveRule }['rule'];
  /**
   * The findings this check can cause (core/causes.ts), typed against its own `measured` and, for
   * links that read the effect's numbers, the effect's: `noCauses` for a check that explains none.
   */
  causes: Causes<Flat<D['measured']>>;
  /**
   * The report plot that shows this check's evidence, and the thresholds it draws: each line's
   * name in the plot (core/plots.ts) and the threshold of this check it is drawn at. The report
   * carries their effective values (user overrides applied); the plot reads only those.
   */
  plot?: PlotSpec<NoInfer<K>>;
  /**
   * The check judges the model at initialization. On a trained checkpoint its evidence comes from
   * a re-initialized clone of the architecture, and the runner says so in its details.
   */
  atInitialization?: boolean;
  /** Pure: same evidence and thresholds, same detection. */
  evaluate(evidence: Given<N, U>, thresholds: Thresholds<K>): D;
  explain(detection: Readable<D>, evidence: Given<N, U>, thresholds: Thresholds<K>): Explanation;
}

/** Any check, whatever its threshold and evidence keys (for lists of checks). */
// biome-ignore lint/suspicious/noExplicitAny: checks differ in their threshold and evidence keys
export type AnyCheck = Check<any, any, any, any, any, CheckId>;

/** The measured shape of a check (what its `evaluate` returns), for links typed against it. */
// biome-ignore lint/suspicious/noExplicitAny: any threshold, evidence and reason keys
export type MeasuredOf<C> = C extends Check<any, any, any, any, infer D, any> ? Flat<D['measured']> : never;

/**
 * Lets a check file declare itself with full type inference: `export default defineCheck({...})`.
 * The measured shape is inferred from `evaluate` (declare `causes` after it, so that its links are
 * typed against that shape).
 */
export function defineCheck<
  K extends string,
  N extends EvidenceKey,
  const I extends CheckId,
  const R extends string = never,
  U extends EvidenceKey = never,
  D extends Detection<NoInfer<R>, MeasuredShape> = Detection<NoInfer<R>>,
>(check: Check<K, N, R, U, D, I>): Check<K, N, R, U, D, I> {
  return check;
}

/** Default threshold values of a check, with user overrides applied. */
export function effectiveThresholds<K extends string>(
  check: Pick<Check<K>, 'thresholds'>,
  overrides: Partial<Record<string, number>> | undefined,
): Thresholds<K> {
  const out = {} as Thresholds<K>;
  for (const key of Object.keys(check.thresholds) as K[]) {
    out[key] = overrides?.[key] ?? check.thresholds[key].value;
  }
  return out;
}
