// HTML report bench: size of the report's HTML, time to render it in Node, and time to render it
// in headless Chromium (navigation start → load event, and first paint), printed.
//
//   npx tsx bench/html-report.ts [report.json] [--runs N] [--screenshot FILE.png]
//
// With a JSON report (as written by `nn-doctor check --json out.json`) it renders that report;
// without one, the healthy MNIST-MLP fixture (src/render/testing/fixtures.ts), which fills every
// evidence key the plots draw. Targets (issue 3): < 1.5 MB and < 1 s to render in the browser.
// --screenshot FILE.png saves the top of the page (1280 px wide) there, and the plots section
// beside it as FILE-plots.png (e.g. docs/report-screenshot.png, docs/report-screenshot-plots.png).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Report } from '../src/core/report.ts';
import { renderHtml } from '../src/render/html/index.ts';
import { healthyReport } from '../src/render/testing/fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const MAX_BYTES = 1.5e6;
const MAX_LOAD_MS = 1000;

function usage(message: string): never {
  process.stderr.write(
    `bench/html-report: ${message}\nusage: npx tsx bench/html-report.ts [report.json] [--runs N] [--screenshot FILE.png]\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string | null; runs: number; screenshot: string | null } {
  let file: string | null = null;
  let screenshot: string | null = null;
  let runs = 5;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') {
      runs = Number(argv[++i]);
      if (!Number.isInteger(runs) || runs < 1) usage('--runs needs a positive integer');
    } else if (a === '--screenshot') {
      screenshot = argv[++i] ?? null;
      if (!screenshot?.endsWith('.png')) usage('--screenshot needs a .png path');
    } else if (a.startsWith('-')) usage(`unknown flag ${a}`);
    else if (file === null) file = a;
    else usage(`unexpected argument ${a}`);
  }
  return { file, runs, screenshot };
}

/** Saved reports write NaN/±Infinity as strings (src/cli/output.ts); read them back as numbers. */
function reviveNonFinite(_key: string, value: unknown): unknown {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}

function loadReport(file: string): Report {
  if (!existsSync(file)) usage(`${file}: no such file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'), reviveNonFinite);
  } catch (err) {
    usage(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const r = parsed as Partial<Report>;
  if (r?.schemaVersion !== 1 || !Array.isArray(r.checks) || typeof r.evidence !== 'object') {
    usage(`${file}: not an nn-doctor report (schemaVersion 1 with checks and evidence)`);
  }
  return r as Report;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x: number): string => `${x.toFixed(0)} ms`;

async function browserTimings(file: string, runs: number, screenshot: string | null) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const samples: { load: number; dcl: number; firstPaint: number; fcp: number }[] = [];
  const requests: string[] = [];
  const errors: string[] = [];
  try {
    // One warm-up load (process start, font cache), then fresh contexts for the measured loads.
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
      });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // Paint entries arrive after the first frame; give them a moment.
      await page
        .waitForFunction(() => performance.getEntriesByType('paint').length >= 2, null, { timeout: 5000 })
        .catch(() => {});
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const paint = Object.fromEntries(
          performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]),
        );
        return {
          load: nav.loadEventEnd - nav.startTime,
          dcl: nav.domContentLoadedEventEnd - nav.startTime,
          firstPaint: paint['first-paint'] ?? Number.NaN,
          fcp: paint['first-contentful-paint'] ?? Number.NaN,
        };
      });
      if (i > 0) samples.push(t);
      if (i === runs && screenshot) {
        await page.screenshot({
          path: screenshot,
          fullPage: true,
          clip: { x: 0, y: 0, width: 1280, height: 1180 },
        });
        const plots = page.locator('#plots');
        if ((await plots.count()) > 0)
          await plots.screenshot({ path: screenshot.replace(/\.png$/, '-plots.png') });
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { samples, requests, errors };
}

async function main(): Promise<void> {
  const { file, runs, screenshot } = parseArgs(process.argv.slice(2));
  const report = file ? loadReport(file) : healthyReport();
  const source =
    file ??
    'healthy MNIST-MLP fixture (src/render/testing/fixtures.ts); pass a report.json to bench a real run';

  renderHtml(report); // warm-up: module loading, jsdom start-up
  const renderMs: number[] = [];
  let html = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    html = renderHtml(report);
    renderMs.push(performance.now() - t0);
  }
  const bytes = Buffer.byteLength(html);
  const gz = gzipSync(html).byteLength;
  const out = fileURLToPath(new URL('../test-artifacts/bench-html-report.html', import.meta.url));
  mkdirSync(fileURLToPath(new URL('../test-artifacts/', import.meta.url)), { recursive: true });
  writeFileSync(out, html);

  const svgs = (html.match(/<svg[^>]*viewBox/g) ?? []).length;
  console.log('HTML report bench');
  console.log(`  report        ${source}`);
  console.log(`  checks        ${report.checks.length} (verdict ${report.verdict}), plot panels ${svgs}`);
  console.log(`  written to    ${out}`);
  console.log(
    `  size          ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes; gzip ${(gz / 1024).toFixed(1)} KiB)   target < 1.5 MB: ${bytes < MAX_BYTES ? 'OK' : 'OVER'}`,
  );
  console.log(
    `  render (Node) median ${ms(median(renderMs))}, max ${ms(Math.max(...renderMs))} over ${runs} runs`,
  );

  if (!existsSync(CHROMIUM)) {
    console.log(`  browser       skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
    return;
  }
  const { samples, requests, errors } = await browserTimings(out, runs, screenshot);
  const load = samples.map((s) => s.load);
  const fp = samples.map((s) => s.firstPaint).filter(Number.isFinite);
  const fcp = samples.map((s) => s.fcp).filter(Number.isFinite);
  const dcl = samples.map((s) => s.dcl);
  console.log(
    `  browser       Chromium ${CHROMIUM}, ${runs} loads from file:// in fresh contexts (after 1 warm-up)`,
  );
  console.log(
    `    navigation start → load event       median ${ms(median(load))}, max ${ms(Math.max(...load))}   target < 1 s: ${median(load) < MAX_LOAD_MS ? 'OK' : 'OVER'}`,
  );
  console.log(`    navigation start → DOMContentLoaded median ${ms(median(dcl))}`);
  if (fp.length)
    console.log(
      `    first paint                         median ${ms(median(fp))}, max ${ms(Math.max(...fp))}`,
    );
  if (fcp.length) console.log(`    first contentful paint              median ${ms(median(fcp))}`);
  console.log(`    network requests ${requests.length}, console errors ${errors.length}`);
  if (screenshot)
    console.log(
      `  screenshots   ${screenshot} (top of the page), ${screenshot.replace(/\.png$/, '-plots.png')} (plots)`,
    );
}

await main();
