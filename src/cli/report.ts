// `nn-doctor report REPORT.json`: re-render a saved report without re-running anything, or
// (--replay) run the checks again on its saved evidence — e.g. with other thresholds — without
// re-training.

import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { parseReport } from '../core/report-parse.ts';
import { readInputFile } from '../data/read-file.ts';
import { buildReport } from '../registry.ts';
import { idList, OUTPUT_FLAGS, parse, thresholdOverrides } from './args.ts';

export const REPORT_USAGE =
  'usage: nn-doctor report REPORT.json [--replay [--threshold CHECK_ID.NAME=VALUE ...] [--only IDS] [--skip IDS]]\n' +
  '                        [--html FILE] [--md FILE] [--json FILE] [--quiet]';

export const FLAGS = {
  replay: { type: 'boolean' },
  threshold: { type: 'string', multiple: true },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  ...OUTPUT_FLAGS,
} as const;

export function parseReportArgs(args: string[]) {
  const { values, positionals } = parse(args, FLAGS, true);
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError('report: give exactly one saved report (REPORT.json)');
  const replay = values.replay ?? false;
  for (const flag of ['threshold', 'only', 'skip'] as const) {
    if (values[flag] !== undefined && !replay)
      throw new UsageError(`--${flag}: needs --replay (checks only run again on replay)`);
  }
  return {
    help: false as const,
    path: positionals[0],
    replay,
    options: {
      only: idList('only', values.only),
      skip: idList('skip', values.skip),
      thresholds: thresholdOverrides(values.threshold),
    },
    outputs: { json: values.json, html: values.html, md: values.md },
    quiet: values.quiet ?? false,
  };
}

export { MAX_REPORT_DEPTH, validateReport } from '../core/report-parse.ts';

/** Largest report file read back (a report with full evidence is a few MB). */
export const MAX_REPORT_BYTES = 256 * 2 ** 20;

/** Reads a saved report (a regular file, bounded in size) and validates it (parseReport). */
export function readReport(path: string): Report {
  return parseReport(new TextDecoder().decode(readInputFile(path, path, MAX_REPORT_BYTES)), path);
}

/** The checks run again on a saved report's evidence; run facts (environment, timings) are kept. */
export function replayReport(
  saved: Report,
  options: ReturnType<typeof parseReportArgs> & { help: false },
): Report {
  const replayed = buildReport({
    evidence: saved.evidence,
    options: options.options,
    settings: { ...saved.settings, replayedFrom: saved.createdAt },
    backend: saved.environment.backend,
    warnings: saved.warnings,
    probeTimings: saved.timings.probes,
  });
  // What diagnose read from the logs is a fact of the run, like its environment: kept as saved.
  return {
    ...replayed,
    environment: saved.environment,
    timings: saved.timings,
    ...(saved.logs ? { logs: saved.logs } : {}),
  };
}
