// The shape of a catalogue fix: which findings it addresses, whether it can be built for a setup,
// its parameters for that setup, and how it changes a copy of the model's topology and the
// training setup. Everything here is pure (no framework): the TF.js adapter (tfjs/patch.ts) builds
// the fixed clone from what `apply` returns, and fits the data transforms it asks for.
import type { CheckId } from '../core/check.ts';
import type {
  DatasetEvidence,
  LrSweepEvidence,
  ModelEvidence,
  RebalancingEvidence,
  TaskEvidence,
  TrainingEvidence,
} from '../core/evidence.ts';
import type { FixChanges, JsonValue } from '../core/remedies.ts';
import type { CheckResult } from '../core/report.ts';
import type { Json } from './topology.ts';

export type Params = { [key: string]: JsonValue };

/** The training setup a fix starts from (after the fixes beneath it). */
export interface Setup {
  /** TF.js optimizer class name, e.g. `Adam`, `SGD`. */
  optimizer: string;
  learningRate: number | null;
  /** Loss, snake_case (`categorical_crossentropy`). */
  loss: string;
  classWeights: number[] | null;
}

/** What a fix may read to decide whether and how it applies. */
export interface FixContext {
  task: TaskEvidence;
  model?: ModelEvidence;
  dataset?: DatasetEvidence;
  training?: TrainingEvidence;
  lrSweep?: LrSweepEvidence;
  rebalancing?: RebalancingEvidence;
  /** Every check result of the checkup, by id. */
  results: ReadonlyMap<CheckId, CheckResult>;
  setup: Setup;
  /** The model's topology (read only here). */
  topology: Json;
}

/** Data transforms the adapter fits on the training records, as the fix asks. */
export type DataFit = 'inputs' | 'targets' | 'oversample';

export interface FixResolution {
  /** Changes to the model and the training setup (data transforms are filled in once fitted). */
  changes: FixChanges;
  fit?: DataFit[];
}

export interface Fix {
  id: string;
  title: string;
  /** Fixes of one family are alternatives: a chain holds at most one (one learning-rate change…). */
  family: string;
  /** The findings (check ids) this fix is a remedy for. */
  addresses: readonly CheckId[];
  /** Null when the fix can be built for this setup, else why not (one phrase). */
  applies(ctx: FixContext): string | null;
  /**
   * Whether it is a sensible remedy for this finding as measured (e.g. raising the LR for a loss
   * that stays flat, not for one that diverges). Default: yes.
   */
  suits?(finding: CheckResult, ctx: FixContext): boolean;
  /** Its parameters for this setup. */
  params(ctx: FixContext): Params;
  /** Applies the fix to `topology` (a copy, edited in place) and `setup`; returns what changed. */
  apply(topology: Json, params: Params, setup: Setup): FixResolution;
  /** The change in a few words, e.g. `learning rate 5 → 0.5`. */
  describe(changes: FixChanges, params: Params): string;
}
