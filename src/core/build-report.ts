// Evidence in, report out: runs the checks, ranks the diagnosis and assembles the versioned report.
// Shared by `check` (TF.js probes), `diagnose` (TensorBoard logs) and replays of saved evidence.
// The checks to run and the remedy judge come in with the input (the entry points pass the
// registry, src/registry.ts): core/ imports no other folder of src/.
import type { AnyCheck } from './check.ts';
import { diagnose, overallVerdict, withSymptoms } from './diagnosis.ts';
import type { Evidence } from './evidence.ts';
import { validateRunOptions } from './options.ts';
import type { RemediesReport } from './remedies.ts';
import { type Report, SCHEMA_VERSION } from './report.ts';
import { type RunOptions, runChecks } from './runner.ts';
import { TOOL_NAME, TOOL_VERSION } from './version.ts';

export interface BuildReportInput {
  /** The checks to run, in report order (the registry's list). */
  checks: readonly AnyCheck[];
  /** Turns the fix experiments' evidence into the report's `remedies` section (remedies/judge.ts). */
  judgeRemedies?: (evidence: Evidence) => RemediesReport | undefined;
  evidence: Evidence;
  options?: RunOptions;
  settings?: Record<string, unknown>;
  backend?: string | null;
  warnings?: string[];
  /** Wall time of each probe, ms. */
  probeTimings?: Record<string, number>;
  /** Start of the whole run (performance.now() clock), for timings.totalMs. */
  startedAt?: number;
  /** Report creation time; injectable for reproducible tests. */
  createdAt?: Date;
}

export function buildReport(input: BuildReportInput): Report {
  const { evidence } = input;
  validateRunOptions(input.options ?? {}, input.checks);
  const results = runChecks(input.checks, evidence, input.options);
  const diagnosis = diagnose(results, input.checks);
  // Symptoms defer to their cause's remedy: one diagnosis, never advice in two directions.
  const checks = withSymptoms(results, diagnosis);
  const model = evidence.model;
  const data = evidence.dataset;
  const remedies = input.judgeRemedies?.(evidence);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    settings: { ...input.settings, ...input.options },
    environment: {
      backend: input.backend ?? null,
      // In a browser (the library in a web app, the page) there is no Node: 'none', 'browser'.
      node: globalThis.process?.version ?? 'none',
      platform: globalThis.process ? `${process.platform}-${process.arch}` : 'browser',
    },
    subject: {
      model: model
        ? {
            name: model.name,
            params: model.params,
            layers: model.layers.map((l) => ({
              name: l.name,
              className: l.className,
              activation: l.activation,
              params: l.params,
            })),
          }
        : null,
      data: data
        ? {
            records: data.records,
            features: data.features,
            classes: evidence.task?.classes ?? null,
            source: data.source,
          }
        : null,
    },
    verdict: overallVerdict(checks),
    diagnosis,
    checks,
    ...(remedies ? { remedies } : {}),
    evidence,
    warnings: input.warnings ?? [],
    timings: {
      totalMs: input.startedAt === undefined ? 0 : performance.now() - input.startedAt,
      probes: input.probeTimings ?? {},
    },
  };
}
