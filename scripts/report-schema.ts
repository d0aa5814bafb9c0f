// Generates the published JSON Schema of the report (src/core/report.schema.json) from the
// `Report` type itself, so the schema that `nn-doctor report` and `parseReport` enforce can never
// drift from what the code writes: `npm run schema` rewrites the file, and a test fails when the
// committed file differs from a fresh generation.
//
// One adjustment to the generated schema: JSON has no NaN or ±Infinity, and a diverging run
// measures exactly those, so reports write them as the strings "NaN", "Infinity", "-Infinity"
// (core/report-json.ts): every number in the schema also admits those three strings.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import { EXTRA_CHECK_ID_PATTERN } from '../src/core/registry.ts';

type Schema = Record<string, unknown>;

const ROOT = new URL('..', import.meta.url);
export const SCHEMA_FILE = fileURLToPath(new URL('src/core/report.schema.json', ROOT));

const NUMBER_REF = { $ref: '#/definitions/number' };

/** Every `type: number` (alone or in a list of types) also admits the non-finite strings. */
function admitNonFinite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(admitNonFinite);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'enum' || k === 'const' ? v : admitNonFinite(v);
  const type = out.type;
  if (type === 'number') {
    delete out.type;
    return Object.keys(out).length ? { allOf: [NUMBER_REF], ...out } : { ...NUMBER_REF };
  }
  if (Array.isArray(type) && type.includes('number')) {
    const rest = type.filter((t) => t !== 'number');
    delete out.type;
    return { anyOf: [{ type: rest.length === 1 ? rest[0] : rest }, NUMBER_REF], ...out };
  }
  return out;
}

/**
 * A check id is a built-in one (the enum, docs/design.md §1) or an extra check's SECTION/NAME (a
 * library user's own check, core/registry.ts): a report holding one reads back too.
 */
function extraIdsAllowed(builtin: Schema): Schema {
  const { description, ...ids } = builtin;
  return {
    description:
      `${description ?? ''} Built-in ids are listed; an extra check (options.extraChecks) has any SECTION/NAME id.`.trim(),
    anyOf: [ids, { type: 'string', pattern: EXTRA_CHECK_ID_PATTERN }],
  };
}

export function generateReportSchema(): Schema {
  const generated = createGenerator({
    path: fileURLToPath(new URL('src/core/report.ts', ROOT)),
    tsconfig: fileURLToPath(new URL('tsconfig.json', ROOT)),
    type: 'Report',
    additionalProperties: true, // adding a field is allowed by the contract (docs/design.md §4)
    expose: 'export',
    jsDoc: 'extended',
    skipTypeCheck: true, // `npm run typecheck` does that
  }).createSchema('Report');
  const { $schema, definitions, ...rest } = generated as Schema & { definitions: Schema };
  return {
    $schema,
    title: 'nn-doctor report, schemaVersion 1',
    description:
      'The JSON report nn-doctor writes (`--json`) and reads back (`nn-doctor report`, `parseReport`), generated from the Report type in src/core/report.ts by scripts/report-schema.ts. Contract: docs/design.md §4. Adding a field is allowed (additional properties are accepted everywhere); renaming or removing one bumps schemaVersion. JSON has no NaN or Infinity: those numbers are written as the strings "NaN", "Infinity", "-Infinity".',
    ...rest,
    definitions: {
      number: {
        description: 'A number; NaN and ±Infinity are written as these strings.',
        anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }],
      },
      ...(admitNonFinite(definitions) as Schema),
      CheckId: extraIdsAllowed(definitions.CheckId as Schema),
    },
  };
}

export function renderSchema(schema: Schema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, renderSchema(generateReportSchema()));
  // In the project's own format, so that `biome check` passes on a freshly generated file.
  execFileSync(fileURLToPath(new URL('node_modules/.bin/biome', ROOT)), ['format', '--write', SCHEMA_FILE], {
    stdio: 'ignore',
  });
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
