// Reading a saved report back: bounded nesting, JSON, schema version, then the published JSON
// Schema (report.schema.json, beside the Report type), then NaN and ±Infinity restored. Kept apart
// from report-json.ts so that writing a report never loads the validator (ajv).
import { Ajv } from 'ajv';
import { UsageError } from './errors.ts';
import { jsonDepth } from './json-depth.ts';
import reportSchema from './report.schema.json' with { type: 'json' };
import { type Report, SCHEMA_VERSION } from './report.ts';
import { jsonReviver } from './report-json.ts';

/** Deepest nesting a report may have (a real one nests about 8 levels). */
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

type Validator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null;
};
let validator: Validator | null = null;

/** The first violation of the published schema as one line (`/checks/3/status: must be …`), or null. */
export function validateReport(report: unknown): string | null {
  validator ??= new Ajv({ strict: true, allowUnionTypes: true }).compile(reportSchema) as Validator;
  if (validator(report)) return null;
  const e = validator.errors?.[0];
  if (!e) return 'it does not match the report schema';
  const allowed = e.params?.allowedValues;
  const where = oneLine(e.instancePath || '/');
  return `${where}: ${e.message ?? 'is invalid'}${Array.isArray(allowed) ? ` (${allowed.join(', ')})` : ''}`;
}

/**
 * A saved report read back (NaN and ±Infinity restored), validated against the published JSON
 * Schema (report.schema.json, beside the Report type) before anything renders or replays it: a
 * report is a file like any other input, and every field a renderer or a check reads must have the
 * type it expects. A UsageError naming `source` otherwise.
 */
export function parseReport(text: string, source = 'report'): Report {
  if (jsonDepth(text) > MAX_REPORT_DEPTH)
    throw new UsageError(`${source}: nests deeper than ${MAX_REPORT_DEPTH} levels; not an nn-doctor report`);
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new UsageError(`${source}: not valid JSON`);
  }
  if (!report || typeof report !== 'object' || Array.isArray(report) || !('schemaVersion' in report))
    throw new UsageError(`${source}: not an nn-doctor report (no schemaVersion)`);
  const version = (report as { schemaVersion: unknown }).schemaVersion;
  if (version !== SCHEMA_VERSION) {
    const problem =
      typeof version === 'number'
        ? `report schemaVersion ${version} is not supported (this nn-doctor reads ${SCHEMA_VERSION})`
        : `schemaVersion is ${shown(version)} (a ${version === null ? 'null' : typeof version}); an nn-doctor report has the number ${SCHEMA_VERSION}`;
    throw new UsageError(`${source}: ${problem}`);
  }
  const error = validateReport(report);
  if (error) throw new UsageError(`${source}: not a valid nn-doctor report (${error})`);
  // Validated as written (non-finite numbers as strings); now with those strings as numbers.
  return JSON.parse(text, jsonReviver) as Report;
}
