// Evidence in, report out: runs the checks, ranks the diagnosis and assembles the versioned report.
// Shared by `check` (TF.js probes), `diagnose` (TensorBoard logs) and replays of saved evidence.
import { ALL_CHECKS } from '../checks/index.ts';
import { judgeRemedies } from '../remedies/judge.ts';
import { diagnose, overallVerdict } from './diagnosis.ts';
import type { Evidence } from './evidence.ts';
import { validateRunOptions } from './options.ts';
import { type Report, SCHEMA_VERSION } from './report.ts';
import { type RunOptions, runChecks } from './runner.ts';
import { TOOL_NAME, TOOL_VERSION } from './version.ts';

export interface BuildReportInput {
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
  validateRunOptions(input.options ?? {});
  const checks = runChecks(ALL_CHECKS, evidence, input.options);
  const model = evidence.model;
  const data = evidence.dataset;
  const remedies = judgeRemedies(evidence);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    settings: { ...input.settings, ...input.options },
    environment: {
      backend: input.backend ?? null,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
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
    diagnosis: diagnose(checks),
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
