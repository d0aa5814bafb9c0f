// The published schema is the Report type's: generated, never edited by hand (scripts/report-schema.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateReportSchema, SCHEMA_FILE } from '../../scripts/report-schema.ts';
import { validateReport } from './report-parse.ts';

describe('report.schema.json', () => {
  it('is what the Report type generates (run `npm run schema` after changing the report type)', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(generateReportSchema());
  }, 60_000);

  it('admits the non-finite numbers a diverging run writes, and only those strings', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    expect(schema.definitions.number.anyOf[1].enum).toEqual(['NaN', 'Infinity', '-Infinity']);
    expect(validateReport({ schemaVersion: 1 })).toMatch(/must have required property/);
  });
});
