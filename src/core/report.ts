// The one versioned report type (DESIGN.md §4). Every renderer reads only this.
// Adding a field is fine; renaming or removing one bumps SCHEMA_VERSION.
import type { CheckId, Measured, Section, Status } from './check.ts';
import type { Evidence } from './evidence.ts';

export const SCHEMA_VERSION = 1 as const;

export interface CheckResult {
  id: CheckId;
  section: Section;
  title: string;
  status: Status;
  /** One sentence: the measured value against the threshold (or why it was skipped / errored). */
  summary: string;
  measured: Measured;
  thresholds: Record<string, number>;
  /** Why the item matters. */
  why: string;
  /** What to do; null when nothing needs doing. */
  remedy: string | null;
  details?: string;
  /** Id of the plot that shows this check's evidence. */
  plot?: string;
  durationMs: number;
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
  verdict: 'pass' | 'warn' | 'fail';
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
  timings: { totalMs: number; probes: Record<string, number> };
}
