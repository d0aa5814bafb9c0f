// `nn-doctor report REPORT.json`: re-render a saved report without re-running anything, or
// (--replay) run the checks again on its saved evidence — e.g. with other thresholds — without
// re-training.
import { readFileSync } from 'node:fs';
import { buildReport } from '../core/build-report.ts';
import type { CheckId } from '../core/check.ts';
import { UsageError } from '../core/errors.ts';
import { type Report, SCHEMA_VERSION } from '../core/report.ts';
import { jsonDepth, readInputFile } from '../data/common.ts';
import { idList, OUTPUT_FLAGS, parse, thresholdOverrides } from './args.ts';
import { jsonReviver } from './output.ts';

export const REPORT_USAGE =
  'usage: nn-doctor report REPORT.json [--replay [--threshold CHECK_ID.NAME=VALUE ...] [--only IDS] [--skip IDS]]\n' +
  '                        [--html FILE] [--md FILE] [--json FILE] [--quiet]';

const FLAGS = {
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
      thresholds: thresholdOverrides(values.threshold) as
        | Partial<Record<CheckId, Record<string, number>>>
        | undefined,
    },
    outputs: { json: values.json, html: values.html, md: values.md },
    quiet: values.quiet ?? false,
  };
}

/** Largest report file read back (a report with full evidence is a few MB), and its nesting. */
export const MAX_REPORT_BYTES = 256 * 2 ** 20;
export const MAX_REPORT_DEPTH = 64;

/** Text from the file, shown in a message: one line, short. */
function oneLine(text: string): string {
  let out = '';
  for (const ch of text.slice(0, 80)) out += ch < ' ' || ch === '\u007f' ? ' ' : ch;
  return out;
}

function shown(v: unknown): string {
  return oneLine(typeof v === 'string' ? JSON.stringify(v) : String(v));
}

/**
 * Reads a saved report and validates it against the published JSON Schema
 * (src/core/report.schema.json) before anything renders or replays it: a report is a file like
 * any other input, and every field a renderer or a check reads must have the type it expects.
 */
export async function readReport(path: string): Promise<Report> {
  const text = new TextDecoder().decode(readInputFile(path, path, MAX_REPORT_BYTES));
  if (jsonDepth(text) > MAX_REPORT_DEPTH)
    throw new UsageError(`${path}: nests deeper than ${MAX_REPORT_DEPTH} levels; not an nn-doctor report`);
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new UsageError(`${path}: not valid JSON`);
  }
  if (!report || typeof report !== 'object' || Array.isArray(report) || !('schemaVersion' in report))
    throw new UsageError(`${path}: not an nn-doctor report (no schemaVersion)`);
  const version = (report as { schemaVersion: unknown }).schemaVersion;
  if (version !== SCHEMA_VERSION) {
    const problem =
      typeof version === 'number'
        ? `report schemaVersion ${version} is not supported (this nn-doctor reads ${SCHEMA_VERSION})`
        : `schemaVersion is ${shown(version)} (a ${version === null ? 'null' : typeof version}); an nn-doctor report has the number ${SCHEMA_VERSION}`;
    throw new UsageError(`${path}: ${problem}`);
  }
  const error = await validateReport(report);
  if (error) throw new UsageError(`${path}: not a valid nn-doctor report (${error})`);
  // Validated as written (non-finite numbers as strings); now with those strings as numbers.
  return JSON.parse(text, jsonReviver) as Report;
}

type Validator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null;
};
let validator: Validator | null = null;

/** The first schema violation as one line (`/checks/3/status: must be one of …`), or null. */
export async function validateReport(report: unknown): Promise<string | null> {
  if (!validator) {
    // Loaded on first use: only `report` needs it, and it costs ~0.1 s to import.
    const { Ajv } = await import('ajv');
    const schema = JSON.parse(readFileSync(new URL('../core/report.schema.json', import.meta.url), 'utf8'));
    validator = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema) as Validator;
  }
  if (validator(report)) return null;
  const e = validator.errors?.[0];
  if (!e) return 'it does not match the report schema';
  const allowed = e.params?.allowedValues;
  const where = oneLine(e.instancePath || '/');
  return `${where}: ${e.message ?? 'is invalid'}${Array.isArray(allowed) ? ` (${allowed.join(', ')})` : ''}`;
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
  return { ...replayed, environment: saved.environment, timings: saved.timings };
}
