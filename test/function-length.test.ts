// No function in src/ is longer than ~120 lines (issue 18): a function that long does several
// jobs, and its state is shared by all of them. Measured with the TypeScript compiler's AST: a
// function's length is the line of its end minus the line of its start (nested functions count
// inside their parent too). Parsers and kernels, whose length is one long table or state machine,
// are allowed by name below, each with why.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MAX_FUNCTION_LINES = 120;

/** `file:function` (file relative to src/) → why it may be longer. */
const ALLOWED: Record<string, string> = {
  // Parsers: one loop over the bytes of a record / one switch over the layer classes.
  'tensorboard/records.ts:readRecords': 'parser (one pass over a file of length-prefixed records)',
  'model-files/topology-bounds.ts:layer': 'parser (one case per TF.js layer class)',
  // Test data: each a literal of the evidence a report is rendered from (one record, not logic).
  'render/testing/fixtures.ts:*': 'test data (an evidence literal per function)',
};

interface Measured {
  file: string;
  name: string;
  line: number;
  lines: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(d.name) && !/\.test\.ts$/.test(d.name) && !/\.d\.ts$/.test(d.name) ? [path] : [];
  });
}

/** The name a function goes by: its own, or that of the variable, property or method holding it. */
function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && (ts.isIdentifier(named.name) || ts.isStringLiteral(named.name))) return named.name.text;
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)))
    return ts.isIdentifier(parent.name) ? parent.name.text : '(anonymous)';
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '(anonymous)';
}

/** Every function-like node of a source text with its length in lines. */
function measure(file: string, text: string): Measured[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Measured[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as { body?: ts.Node }).body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ file, name: nameOf(node), line: start + 1, lines: end - start });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const SRC = join(import.meta.dirname, '..', 'src');
const allowed = (m: Measured) => ALLOWED[`${m.file}:${m.name}`] ?? ALLOWED[`${m.file}:*`];

describe('function length', () => {
  const measured = sourceFiles(SRC).flatMap((f) => measure(relative(SRC, f), readFileSync(f, 'utf8')));

  it.each([
    ['function f() {\n  a();\n  b();\n}\n', 'f', 3],
    ['const g = (x: number) => {\n  return x;\n};\n', 'g', 2],
    ['class C {\n  m() {\n    return 1;\n  }\n}\n', 'm', 2],
    ['const o = { p: function () {\n\n\n  } };\n', 'p', 3],
    ['export async function outer() {\n  const inner = () => {\n    x();\n  };\n}\n', 'inner', 2],
    ['export async function outer() {\n  const inner = () => {\n    x();\n  };\n}\n', 'outer', 4],
  ])('measures %j: %s is %i lines', (text, name, lines) => {
    expect(measure('x.ts', text).find((m) => m.name === name)?.lines).toBe(lines);
  });

  it('walks src/ (finds its functions)', () => {
    expect(measured.length).toBeGreaterThan(500);
  });

  it(`no function outside the allow-list is over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = measured
      .filter((m) => m.lines > MAX_FUNCTION_LINES && !allowed(m))
      .map((m) => `src/${m.file}:${m.line} ${m.name} (${m.lines} lines)`);
    expect(long).toEqual([]);
  });

  it('every allow-list entry still names a file that exists', () => {
    const files = new Set(measured.map((m) => m.file));
    const missing = Object.keys(ALLOWED).filter((k) => !files.has(k.split(':')[0]));
    expect(missing).toEqual([]);
  });
});
