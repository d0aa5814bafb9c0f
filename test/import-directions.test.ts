// The import directions of src/, in one table: a module may import only from the folders (or
// top-level files) its entry allows. Imports run downhill — core/ at the bottom knows no other
// folder, the registry (src/registry.ts) is handed to it by the entry points — so a check, a
// renderer or the TF.js adapter can be read and tested on its own. Every `import`, `export … from`
// and `import()` of every shipped src/**/*.ts is read with TypeScript's own pre-parser; test files
// and test support (testing.ts, testing/, fixtures.ts) may reach across to build their fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

const ENTRY = ['checkup.ts', 'registry.ts'];
/**
 * What each part of src/ may import, besides itself. The longest matching key decides (a file
 * key overrides its folder's). `shared` (number formatting) may be imported by anyone and imports
 * nothing.
 */
const ALLOWED: Record<string, readonly string[]> = {
  shared: [],
  core: ['shared'],
  data: ['core', 'shared'],
  checks: ['core', 'shared'],
  remedies: ['core', 'checks', 'shared'],
  render: ['core', 'shared'],
  tensorboard: ['core', 'shared'],
  // The diagnose entry point: it runs the checks on what it read from the logs.
  'tensorboard/diagnose.ts': ['core', 'shared', 'registry.ts'],
  // Model files (model.json and shards, .keras, .h5): validation and parsing, no TF.js.
  'model-files': ['core', 'data', 'shared'],
  tfjs: ['core', 'data', 'model-files', 'remedies', 'shared'],
  probes: ['core', 'data', 'remedies', 'tfjs', 'shared'],
  // The experiments' declarations, their scheduler and worker threads: above the probes they run.
  experiments: ['core', 'data', 'probes', 'tfjs', 'shared'],
  // Types only: the setup prepares what the entry point's options (CheckupOptions) describe.
  'experiments/setup.ts': ['core', 'data', 'probes', 'tfjs', 'shared', 'checkup.ts'],
  example: ['core', 'data', 'shared'],
  // The registry as a value: the built-in checks and the remedy judge, handed to core/.
  'registry.ts': ['checks', 'core', 'remedies', 'shared'],
  'checkup.ts': ['core', 'data', 'experiments', 'probes', 'tfjs', 'registry.ts', 'shared'],
  watch: ['core', 'render', 'tensorboard', 'tfjs', 'registry.ts', 'shared'],
  // What the checkup takes from Node (worker threads, MNIST): the host the Node entry gives it.
  node: ['core', 'data', 'experiments', 'shared', 'checkup.ts'],
  cli: [
    'checks',
    'core',
    'data',
    'example',
    'model-files',
    'node',
    'render',
    'tensorboard',
    'tfjs',
    'watch',
    'shared',
    ...ENTRY,
  ],
  // The library's entries: browser-safe (browser.ts), Node's (node.ts), and the package's main.
  'browser.ts': ['core', 'data', 'model-files', 'render', 'tfjs', 'watch', 'shared', ...ENTRY],
  'node.ts': ['browser.ts', 'node', 'data', 'tensorboard', 'tfjs', 'watch'],
  'index.ts': ['node.ts'],
};

/**
 * Known imports against the table, each to be removed by the work that owns it (number formatting
 * moves to src/shared/). The test fails when one is no longer needed, so the list only shrinks.
 */
const PENDING: readonly string[] = [];

const isTestSupport = (path: string) =>
  /\.test\.ts$|(^|\/)testing\.ts$|(^|\/)testing\/|(^|\/)fixtures\.ts$|-testing\.ts$/.test(path);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The part of src/ a path (relative to src/) belongs to: its top folder, or the top-level file. */
const partOf = (path: string) => path.split('/')[0];

function allowedFor(path: string): readonly string[] {
  const key = Object.keys(ALLOWED)
    .filter((k) => path === k || path.startsWith(`${k}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (key === undefined) throw new Error(`src/${path}: no entry in the import-direction table`);
  return ALLOWED[key];
}

/** Every relative module a file imports (static, re-export, dynamic, type-only), relative to src/. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) =>
      relative(SRC, resolve(dirname(file), name))
        .split('\\')
        .join(posix.sep),
    );
}

interface Edge {
  from: string;
  to: string;
}

function violations(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split('\\').join(posix.sep);
    if (isTestSupport(from)) continue;
    const allowed = allowedFor(from);
    for (const to of importsOf(file)) {
      if (to.startsWith('..')) {
        out.push({ from, to });
        continue;
      }
      const part = partOf(to);
      if (part === partOf(from) || allowed.includes(part)) continue;
      out.push({ from, to });
    }
  }
  return out;
}

/** Node's built-in modules, as a browser bundle cannot have them. */
const NODE_BUILTIN = new RegExp(`^(node:|(${builtinModules.join('|')})(/|$))`);

/** Every shipped module the browser entry reaches, each with the Node built-ins it imports. */
function browserReach(): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const queue = ['browser.ts'];
  while (queue.length) {
    const path = queue.shift() as string;
    if (reached.has(path)) continue;
    const file = join(SRC, path);
    const all = ts
      .preProcessFile(readFileSync(file, 'utf8'), true, true)
      .importedFiles.map((f) => f.fileName);
    reached.set(
      path,
      all.filter((name) => NODE_BUILTIN.test(name)),
    );
    queue.push(...importsOf(file));
  }
  return reached;
}

describe('the browser entry (src/browser.ts, `nn-doctor` in a browser bundle)', () => {
  const reached = browserReach();

  it('reaches no module that imports a Node built-in', () => {
    const offenders = [...reached]
      .filter(([, builtins]) => builtins.length)
      .map(([p, b]) => `${p}: ${b.join(', ')}`);
    expect(offenders).toEqual([]);
  });

  it('reaches the checkup, the watcher and the renderers (so the walk is not vacuous)', () => {
    for (const path of ['checkup.ts', 'watch/tfjs/watcher.ts', 'render/html/index.ts', 'registry.ts'])
      expect(reached.has(path), path).toBe(true);
    expect(reached.has('tfjs/model-files/from-files.ts')).toBe(true);
    expect(reached.has('model-files/keras/zip.ts')).toBe(true);
    expect(reached.has('data/read-file.ts')).toBe(false);
    expect(reached.has('model-files/disk.ts')).toBe(false);
    expect(reached.has('data/from-files.ts') && reached.has('data/inflate.ts')).toBe(true);
    expect(reached.has('data/index.ts')).toBe(false);
    expect(reached.has('experiments/pool.ts')).toBe(false);
    expect(NODE_BUILTIN.test('node:fs') && NODE_BUILTIN.test('fs') && NODE_BUILTIN.test('fs/promises')).toBe(
      true,
    );
  });
});

describe('import directions of src/', () => {
  const found = violations().map((e) => `${e.from} -> ${e.to}`);

  it('every module imports only what the table allows', () => {
    expect(found.filter((v) => !PENDING.includes(v))).toEqual([]);
  });

  it('the pending exceptions are all still needed (remove the ones that are fixed)', () => {
    expect(PENDING.filter((p) => !found.includes(p))).toEqual([]);
  });

  it('core/ imports no other folder of src/, and shared/ nothing at all', () => {
    expect(ALLOWED.core).toEqual(['shared']);
    expect(ALLOWED.shared).toEqual([]);
  });

  it('the reader sees every kind of import (so the table is not vacuous)', () => {
    const checkup = importsOf(join(SRC, 'checkup.ts'));
    expect(checkup).toContain('registry.ts');
    expect(checkup).toContain('core/check.ts'); // `import type`
    const main = importsOf(join(SRC, 'cli/main.ts'));
    expect(main).toContain('cli/check.ts'); // `await import(…)`
    const index = importsOf(join(SRC, 'browser.ts'));
    expect(index).toContain('registry.ts'); // `export … from`
    expect(allowedFor('tensorboard/diagnose.ts')).toContain('registry.ts');
    expect(allowedFor('tensorboard/wire.ts')).not.toContain('registry.ts');
  });
});
