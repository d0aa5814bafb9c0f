// `nn-doctor report REPORT.json`: re-render a saved report without re-running anything.
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import { type Report, SCHEMA_VERSION } from '../core/report.ts';
import { OUTPUT_FLAGS, parse } from './args.ts';
import { jsonReviver } from './output.ts';

export const REPORT_USAGE =
  'usage: nn-doctor report REPORT.json [--html FILE] [--md FILE] [--json FILE] [--quiet]';

export function parseReportArgs(args: string[]) {
  const { values, positionals } = parse(args, OUTPUT_FLAGS, true);
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError('report: give exactly one saved report (REPORT.json)');
  return {
    help: false as const,
    path: positionals[0],
    outputs: { json: values.json, html: values.html, md: values.md },
    quiet: values.quiet ?? false,
  };
}

export function readReport(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a report file' : 'cannot be read'}`,
    );
  }
  let report: Report;
  try {
    report = JSON.parse(text, jsonReviver) as Report;
  } catch {
    throw new UsageError(`${path}: not valid JSON`);
  }
  if (!report || typeof report !== 'object' || !('schemaVersion' in report))
    throw new UsageError(`${path}: not an nn-doctor report (no schemaVersion)`);
  if (report.schemaVersion !== SCHEMA_VERSION)
    throw new UsageError(
      `${path}: report schemaVersion ${report.schemaVersion} is not supported (this nn-doctor reads ${SCHEMA_VERSION})`,
    );
  if (!Array.isArray(report.checks) || !report.diagnosis)
    throw new UsageError(`${path}: malformed report (no checks or diagnosis)`);
  return report;
}
