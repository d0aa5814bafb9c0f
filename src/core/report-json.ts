// A report as JSON and back. JSON has no NaN or ±Infinity, and a diverging run measures exactly
// those: they are written as the strings "NaN", "Infinity", "-Infinity" and read back as numbers,
// so a saved report replays (re-running the checks on its evidence) as the original run would.
import { UsageError } from './errors.ts';
import { type Report, SCHEMA_VERSION } from './report.ts';

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

export function jsonReviver(_key: string, value: unknown): unknown {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}

/** The report as the JSON file `--json` writes (NaN and ±Infinity kept as strings). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, jsonReplacer, 2)}\n`;
}

/**
 * A saved report read back (NaN and ±Infinity restored). A UsageError naming `source` when the
 * text is not an nn-doctor report of this schema version.
 */
export function parseReport(text: string, source = 'report'): Report {
  let report: Report;
  try {
    report = JSON.parse(text, jsonReviver) as Report;
  } catch {
    throw new UsageError(`${source}: not valid JSON`);
  }
  if (!report || typeof report !== 'object' || !('schemaVersion' in report))
    throw new UsageError(`${source}: not an nn-doctor report (no schemaVersion)`);
  if (report.schemaVersion !== SCHEMA_VERSION)
    throw new UsageError(
      `${source}: report schemaVersion ${report.schemaVersion} is not supported (this nn-doctor reads ${SCHEMA_VERSION})`,
    );
  if (!Array.isArray(report.checks) || !report.diagnosis)
    throw new UsageError(`${source}: malformed report (no checks or diagnosis)`);
  return report;
}
