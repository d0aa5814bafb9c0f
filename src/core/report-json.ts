// A report as JSON and back. JSON has no NaN or ±Infinity, and a diverging run measures exactly
// those: they are written as the strings "NaN", "Infinity", "-Infinity" and read back as numbers,
// so a saved report replays (re-running the checks on its evidence) as the original run would.
import type { Report } from './report.ts';

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
