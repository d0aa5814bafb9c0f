// Every report a test produces must round-trip through the published schema, as `nn-doctor report`
// reads it back: written as JSON (non-finite numbers as strings), then validated.
import { expect } from 'vitest';
import type { Report } from '../src/core/report.ts';
import { renderJson } from '../src/core/report-json.ts';
import { validateReport } from '../src/core/report-parse.ts';

export function expectValidReport(report: Report): void {
  expect(validateReport(JSON.parse(renderJson(report)))).toBeNull();
}
