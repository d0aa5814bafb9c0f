// The one versioned report type (docs/design.md §4). Every renderer reads only this.
// Adding a field is fine; renaming or removing one bumps SCHEMA_VERSION.
import type { CheckId, Measured, MeasuredShape, Section, Status } from './check.ts';
import type { Evidence } from './evidence.ts';
import type { RemediesReport } from './remedies.ts';

export const SCHEMA_VERSION = 1 as const;

export const VERDICTS = ['pass', 'warn', 'fail', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

// M: the measured shape of one check (core/causes.ts types its links with it); the report's is Measured.
/** One check's result. */
export interface CheckResult<M extends MeasuredShape = Measured> {
  id: CheckId;
  section: Section;
  title: string;
  status: Status;
  /** One sentence: the measured value against the threshold (or why it was skipped / errored). */
  summary: string;
  measured: M;
  thresholds: Record<string, number>;
  /** Why the item matters. */
  why: string;
  /** What to do; null when nothing needs doing. */
  remedy: string | null;
  details?: string;
  /** Id of the plot that shows this check's evidence. */
  plot?: string;
  /**
   * The threshold lines that plot draws for this check, by line name (core/plots.ts), at their
   * effective values (user overrides applied). Added in schema 1 (older reports lack it).
   */
  plotLines?: Record<string, number>;
  /**
   * A finding the diagnosis reads as the symptom of another (the cause and the measured reason);
   * its `remedy` then defers to the cause's. Added in schema 1 (older reports lack it).
   */
  symptomOf?: { cause: CheckId; because: string };
  durationMs: number;
}

/** A tag of the logs and what became of it (diagnose only). */
export interface LogTag {
  run: string;
  tag: string;
  kind: 'scalar' | 'histogram';
  /** Read as (e.g. `training loss (per batch)`), or why it was not used. */
  as: string;
  /** For an unused tag that could feed a check: the `--map TAG=ROLE` that would use it. */
  map?: string;
}

/** One experiment (a run folder, with its train/validation sub-runs) of a log directory. */
export interface LogExperiment {
  name: string;
  runs: string[];
  /** Last wall time written, ISO 8601; null when no value was. */
  lastWritten: string | null;
  verdict: Verdict;
  primary: CheckId | null;
  /** Checks that ran (pass, warn or fail). */
  checksRun: number;
  diagnosed: boolean;
}

/** What `diagnose` read from a log directory, and what it did not use. */
export interface LogsReport {
  /** The experiment the checks judged, and why that one. */
  experiment: string;
  chosenBecause: string;
  /** Every experiment found, each diagnosed; the chosen one has `diagnosed: true`. */
  experiments: LogExperiment[];
  /** Tags of the chosen experiment that reached the evidence. */
  used: LogTag[];
  /** Tags of the chosen experiment that did not, each with the reason and, where one would help, a --map line. */
  unused: LogTag[];
  /** How derived series were formed (e.g. the training loss as a sum of logged terms). */
  notes: string[];
}

/** A finding raised while a run was watched: a check's verdict became conclusive at `step`. */
export interface LiveFinding {
  id: CheckId;
  title: string;
  status: 'warn' | 'fail';
  /** Training step at which the verdict became conclusive (the step the finding is raised at). */
  step: number;
  /** Step at which the evidence first showed this verdict (≤ step). */
  firstSeenStep: number;
  /** Wall-clock time it was raised (ISO 8601) and milliseconds since watching began. */
  wallTime: string;
  elapsedMs: number;
  /** One sentence: the measured value against the threshold. */
  summary: string;
  measured: Measured;
  thresholds: Record<string, number>;
  remedy: string | null;
  /** Id of the report plot that shows its evidence. */
  plot?: string;
  /** Why it counted as conclusive then (the rule of src/watch/conclusive.ts, in words). */
  conclusiveBecause: string;
  /**
   * When it was raised as the symptom of another finding the evidence showed then (the same
   * causal links as the report's diagnosis); its `remedy` defers to that cause's. Added in schema 1.
   */
  symptomOf?: { cause: CheckId; because: string };
}

/** `watch` only: what was raised while the run went on. */
export interface WatchReport {
  source: 'tfjs' | 'tensorboard';
  /** Steps watched (the last step seen + 1). */
  steps: number;
  /** In the order they were raised. */
  findings: LiveFinding[];
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  createdAt: string;
  /** Effective options of the run (seed, lr, batch size, only/skip, threshold overrides…). */
  settings: Record<string, unknown>;
  environment: { backend: string | null; node: string; platform: string };
  subject: {
    model: {
      name: string;
      layers: { name: string; className: string; activation: string | null; params: number }[];
      params: number;
    } | null;
    data: { records: number; features: number; classes: number | null; source: string } | null;
  };
  /**
   * `fail` when a check failed, `warn` when one warned, `pass` when checks that can tell whether
   * the network learns passed, and `inconclusive` when none could (every check skipped, could not
   * run, or only checks that cannot tell passed — see `overallVerdict`). Nothing checked is never
   * a pass; the CLI exits 4 on `inconclusive`.
   */
  verdict: Verdict;
  diagnosis: {
    primary: CheckId | null;
    summary: string;
    ranked: CheckId[];
    /**
     * The causal links between findings the ranking followed (cause → effect, with the measured
     * reason); the primary cause has no incoming link. Added in schema 1 (older reports lack it).
     */
    chain?: { cause: CheckId; effect: CheckId; because: string }[];
  };
  checks: CheckResult[];
  /** The evidence the checks judged: per-step and per-layer series for the plots; replayable. */
  evidence: Evidence;
  /** Problems met while gathering evidence that are not check findings (e.g. corrupt log records). */
  warnings: string[];
  /**
   * Fixes tried on clones of the model and whether each verifiably helps (`check` only; absent in
   * `diagnose` reports and in reports written before it existed). Added in schema 1.
   */
  remedies?: RemediesReport;
  /** `diagnose` only: the experiments and tags of the log directory, used and unused. */
  logs?: LogsReport;
  /** `watch` only: the findings raised live, with their steps. */
  watch?: WatchReport;
  timings: { totalMs: number; probes: Record<string, number> };
}
