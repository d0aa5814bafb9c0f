// The library in a web app: docs/library.md's browser example (index.html + web-app.ts) bundled by
// esbuild for the browser platform, with `nn-doctor` resolved through package.json's "exports" as
// a bundler does (the "browser" condition), then run in headless Chromium from a plain static
// server: a checkup on a small model prints its verdict, the HTML report renders, and watching the
// app's own training raises findings as events. The bundle imports no Node built-in.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageExports } from './package-exports.ts';
import { type StaticServer, serveStatic } from './static-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-background-networking', '--no-first-run'];
const ROOT = join(import.meta.dirname, '..', '..');
// Inside the repository, so that the app's `@tensorflow/tfjs` resolves from its node_modules.
const APP = join(ROOT, 'test-artifacts', 'web-app');

/** The fenced blocks of docs/library.md labelled with a file name (```lang name). */
function docExamples(): Map<string, string> {
  const doc = readFileSync(join(ROOT, 'docs', 'library.md'), 'utf8');
  return new Map([...doc.matchAll(/```\w+ (\S+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]));
}

type Built = { result: esbuild.BuildResult<{ metafile: true; write: false }>; bundle: string };
let built: Promise<Built> | undefined;

/** Writes the example to test-artifacts/web-app/ and bundles it (once for both suites). */
function buildExample(): Promise<Built> {
  built ??= (async () => {
    const examples = docExamples();
    const app = examples.get('web-app.ts');
    const page = examples.get('index.html');
    if (!app || !page) throw new Error('docs/library.md lacks the web-app.ts or index.html example');
    mkdirSync(APP, { recursive: true });
    writeFileSync(join(APP, 'web-app.ts'), app);
    writeFileSync(join(APP, 'index.html'), page);
    const result = await esbuild.build({
      entryPoints: [join(APP, 'web-app.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      metafile: true,
      outfile: join(APP, 'app.js'),
      logLevel: 'silent',
      plugins: [packageExports],
    });
    const bundle = result.outputFiles.find((f) => f.path.endsWith('app.js'))?.text ?? '';
    writeFileSync(join(APP, 'app.js'), bundle);
    return { result, bundle };
  })();
  return built;
}

describe('the library in a browser bundle (docs/library.md, "In a web app")', () => {
  let result: Built['result'];
  let bundle: string;

  beforeAll(async () => {
    ({ result, bundle } = await buildExample());
  }, 120_000);

  it('bundles for the browser platform without errors, on the browser entry', () => {
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('src/browser.ts');
    expect(inputs).not.toContain('src/node.ts');
    expect(inputs.some((p) => p.includes('node_modules/@tensorflow/tfjs-layers/'))).toBe(true);
  });

  it('contains no Node built-in: no node: import, no read of files by path, no worker threads', () => {
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
    // The one import left to the page: linkedom's optional 'canvas' package, required inside a
    // try that falls back to linkedom's own shim (the report's plots need no canvas).
    expect(imports.filter((i) => i.external)).toEqual([
      { path: 'canvas', kind: 'require-call', external: true },
    ]);
    expect(bundle).not.toMatch(/\b(from|import|require)\s*\(?\s*["']node:/);
    const inputs = Object.keys(result.metafile.inputs);
    for (const nodeOnly of ['src/data/read-file.ts', 'src/experiments/pool.ts', 'src/data/mnist.ts'])
      expect(inputs).not.toContain(nodeOnly);
  });
});

describe.skipIf(!HAS_CHROMIUM)(
  `the browser bundle runs in headless Chromium${HAS_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} not found; apt-get install -y chromium)`}`,
  () => {
    let browser: Browser;
    let server: StaticServer;
    const logs: string[] = [];
    const errors: string[] = [];
    const offOrigin: string[] = [];

    beforeAll(async () => {
      await buildExample();
      server = await serveStatic(APP);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const page = await browser.newPage();
      page.on('console', (m) => (m.type() === 'error' ? errors : logs).push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith(server.url) && !/^(data|about|blob):/.test(r.url())) offOrigin.push(r.url());
      });
      // The last line the example logs, or the first error (an uncaught one logs nothing).
      const done = Promise.race([
        page.waitForEvent('console', {
          predicate: (m) => m.text().startsWith('watched:') || m.type() === 'error',
          timeout: 280_000,
        }),
        page.waitForEvent('pageerror', { timeout: 280_000 }),
      ]);
      await page.goto(server.url);
      await done;
      logs.push(`findings shown: ${await page.locator('#findings li').count()}`);
      logs.push(`report checks: ${await page.frameLocator('iframe').locator('details.check').count()}`);
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('runs a checkup on a small model and prints its verdict', () => {
      expect(errors).toEqual([]);
      const verdict = logs.find((l) => l.startsWith('verdict:'));
      expect(verdict).toMatch(/^verdict: (pass|warn|fail|inconclusive) \(on (webgl|cpu|wasm|webgpu)\)$/);
    });

    it('renders the HTML report in the page and watches the training with findings as events', () => {
      expect(Number(logs.find((l) => l.startsWith('report checks:'))?.split(': ')[1])).toBeGreaterThan(10);
      const watched = logs.find((l) => l.startsWith('watched:')) ?? '';
      expect(watched).toMatch(/^watched: 38 steps, (\d+) findings, verdict \w+/);
      const findings = Number(/(\d+) findings/.exec(watched)?.[1]);
      expect(logs).toContain(`findings shown: ${findings}`);
    });

    it('asks nothing of any origin but its own', () => {
      expect(offOrigin).toEqual([]);
      expect(server.served).toEqual(expect.arrayContaining(['/', '/app.js']));
    });
  },
);
