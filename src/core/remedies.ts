// Verified remedies: the evidence of the fix experiments (probes/remedies.ts) and the report
// section judged from it (remedies/judge.ts). Plain data, no framework: a saved report replays it.

import { pct } from '../shared/format.ts';
import type { CheckId } from './check.ts';
import type { Series } from './evidence.ts';

/** A value of a fix parameter or a config field (JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The held-out score the experiments compare (higher is better): mean recall over the classes
 * present (single-label classification: chance is 1/classes whatever the imbalance), the share of
 * (record, label) pairs on the right side of 0.5 (multi-label), or R² (regression; floored at −1,
 * and a run whose predictions are not finite scores −1).
 */
export type RemedyMetric = 'balanced-accuracy' | 'label-accuracy' | 'r2';

/** One change to the model's topology, as model.json / the Keras config holds it. */
export type ConfigEdit =
  | { kind: 'set'; layer: string; className: string; field: string; from: JsonValue; to: JsonValue }
  | { kind: 'insert'; after: string; layer: string; className: string; config: { [key: string]: JsonValue } };

/** Per-feature or per-channel standardization (x − mean) / std, fitted on the training records. */
export interface Standardizer {
  /** `feature`: one mean/std per input value; `channel`: per last-axis channel (images); `output`: per target. */
  axis: 'feature' | 'channel' | 'output';
  /** Shape the mean and std broadcast with, per record (e.g. `[28, 28, 1]`, `[3]`). */
  shape: number[];
  mean: number[];
  std: number[];
  /** Records it was fitted on (the experiments' training records, never the held-out ones). */
  records: number;
}

/** Everything one fix changed, resolved for this model and data. */
export interface FixChanges {
  edits: ConfigEdit[];
  /** Layers whose weights (or, with ` (bias)`, only biases) are freshly initialized. */
  reinitialized: string[];
  learningRate?: { from: number | null; to: number };
  /** Gradients are rescaled so that their global L2 norm is at most this. */
  clipNorm?: number;
  loss?: { from: string; to: string };
  inputs?: Standardizer;
  targets?: Standardizer;
  /** Per-class loss weights (index = class). */
  classWeights?: number[];
  /** Records per class in an epoch after oversampling the minority classes (index = class). */
  oversampledCounts?: number[];
}

/** A catalogue fix with its parameters for this setup and what it changed. */
export interface AppliedFix {
  /** Catalogue id (remedies/catalogue). */
  id: string;
  params: { [key: string]: JsonValue };
  changes: FixChanges;
}

/** One short training run of an arm, judged on the held-out records. */
export interface RemedyRun {
  /** Seed of the run (batch order, dropout) and of any fresh weights (`initSeed`). */
  seed: number;
  initSeed: number;
  /** Held-out score at the end (RemedyEvidence.metric). */
  score: number;
  /** Held-out loss at the end, in the user's loss and target units. */
  loss: number;
  /** Held-out accuracy (classification), else null. */
  accuracy: number | null;
  /** The score along the run, on up to 256 held-out records. */
  curve: Series;
  /** The training loss became NaN/Inf. */
  nonFinite: boolean;
}

/** A setup trained over several seeds: the fixes applied (none = the setup as it is). */
export interface RemedyArm {
  fixes: AppliedFix[];
  runs: RemedyRun[];
}

/** A candidate fix tried on top of the stage's base, and what the checks said after it. */
export interface RemedyCandidate {
  /** The finding the fix was chosen for. */
  finding: CheckId;
  arm: RemedyArm;
  /**
   * Checks re-run on the first seed's evidence of the fixed setup (its training run, model and
   * data; experiments such as overfit-50 are not re-run): the ones that still fail.
   */
  stillFailing?: CheckId[];
}

/** One step of the chain: candidates tried on top of the fixes verified so far. */
export interface RemedyStage {
  /** Ids of the fixes beneath this stage (verified in earlier stages). */
  base: string[];
  /** The base setup (stage 1: no fix; later: the previous stage's verified arm). */
  baseline: RemedyArm;
  /** Random-fix baseline: each arm one fix drawn at random from the catalogue, on top of the base, one run each. */
  random: RemedyArm[];
  candidates: RemedyCandidate[];
}

/** The fix experiments: same short training with and without each candidate fix, over several seeds. */
export interface RemedyEvidence {
  metric: RemedyMetric;
  /** Seeds per arm. */
  seeds: number;
  /** Training steps per run (the instrumented run's budget). */
  steps: number;
  /** Held-out records each run is scored on. */
  heldOut: number;
  stages: RemedyStage[];
  /** Findings the experiments looked for fixes for (fail first), in diagnosis order. */
  findings: CheckId[];
  /** Why the chain ended: verified and nothing failing, no candidate verified, no candidate, or the bound. */
  ended: 'resolved' | 'not-verified' | 'no-candidate' | 'bound';
}

/** Mean, range and per-seed values of a score or loss over an arm's runs. */
export interface Spread {
  mean: number;
  min: number;
  max: number;
  values: number[];
}

/** How to make the change yourself. */
export interface UserTerms {
  /** What changes, e.g. `hidden_1.kernel_initializer`, `optimizer learning rate`, `inputs`. */
  where: string[];
  /** TF.js code (model building, compile or fit). */
  tfjs: string;
  /** The change to model.json (`modelTopology` and `trainingConfig`), or null when none. */
  modelJson: string | null;
  /** The Keras (Python) code or config change. */
  keras: string;
}

/** One fix tried, with its effect against the base and against the random-fix baseline. */
export interface TriedFix {
  fix: string;
  title: string;
  /** 1-based stage of the chain. */
  stage: number;
  /** Fixes beneath it (verified earlier). */
  on: string[];
  finding: CheckId;
  /** The check ids the catalogue says this fix addresses. */
  addresses: CheckId[];
  /** The change in a few words, e.g. `learning rate 5 → 0.0316`. */
  change: string;
  before: Spread;
  after: Spread;
  /** The random-fix baseline: its fixes and scores. */
  random: Spread & { fixes: string[] };
  /** Held-out loss (user's loss and units) before and after. */
  lossBefore: Spread;
  lossAfter: Spread;
  /** mean(after) − mean(before). */
  effect: number;
  /** The seed spread the effect must exceed: the larger range (max − min) of the two arms. */
  spread: number;
  /** mean(after) − mean(random). */
  vsRandom: number;
  improved: boolean;
  beatsRandom: boolean;
  verified: boolean;
  /** One sentence: why it counts as verified or not, with the numbers. */
  why: string;
  stillFailing?: CheckId[];
  terms: UserTerms;
}

/** The report's verified-remedies section. */
export interface RemediesReport {
  /**
   * `verified`: a fix (or a chain of fixes) verified; `not-verified`: fixes were tried, none
   * verified; `no-candidate`: no catalogue fix addresses the findings; `not-run`: no experiment ran
   * (no check failed, `--verify never`, or no held-out records), `reason` says which.
   */
  status: 'verified' | 'not-verified' | 'no-candidate' | 'not-run';
  summary: string;
  reason?: string;
  metric?: RemedyMetric;
  seeds?: number;
  steps?: number;
  heldOut?: number;
  tried: TriedFix[];
  /** Ids of the verified fixes, in the order they are applied. */
  chain: string[];
  /** The setup as it is and with the verified chain (null when nothing verified). */
  before: Spread | null;
  after: Spread | null;
  /** Checks still failing after the chain (re-checked on the fixed setup's training run). */
  remaining: CheckId[];
  /** Thresholds the verdicts used. */
  thresholds: { minEffect: number };
}

/** How each metric is named in a sentence. */
export const METRIC_LABEL: Record<RemedyMetric, string> = {
  'balanced-accuracy': 'held-out balanced accuracy',
  'label-accuracy': 'held-out label accuracy',
  r2: 'held-out R²',
};

/** A score for a sentence: accuracies in percent, R² as a number. */
export function fmtScore(metric: RemedyMetric, x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return metric === 'r2' ? x.toFixed(3) : pct(x);
}

/** A difference of scores: points of accuracy, or R² units. */
export function fmtEffect(metric: RemedyMetric, x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const sign = x >= 0 ? '+' : '−';
  return metric === 'r2'
    ? `${sign}${Math.abs(x).toFixed(3)}`
    : `${sign}${Math.abs(x * 100).toFixed(1)} points`;
}
