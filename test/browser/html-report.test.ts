// Opens the HTML report in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) for a healthy and a faulty report, and checks what a person would see: every
// check with its status, every plot drawn with data marks, no console errors, no network
// requests, planted markup inert. Screenshots land in test-artifacts/ (gitignored).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.ts';
import { plotAnchor, plotIds, renderHtml } from '../../src/render/html/index.ts';
import { faultyReport, HOSTILE, healthyReport, PWNED_GLOBAL } from '../../src/render/testing/fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

interface Visit {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

/** Writes the report's HTML to test-artifacts/ and opens it from disk, recording what happens. */
async function open(browser: Browser, name: string, report: Report): Promise<Visit> {
  const file = `${ARTIFACTS}html-report-${name}.html`;
  writeFileSync(file, renderHtml(report));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const visit: Visit = { page, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') visit.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => visit.pageErrors.push(e.message));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) visit.requests.push(url);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return visit;
}

describe.skipIf(!HAS_CHROMIUM)(
  `HTML report in headless Chromium${HAS_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} not found; install it with apt-get install -y chromium)`}`,
  () => {
    let browser: Browser;
    const reports: Record<string, Report> = { healthy: healthyReport(), faulty: faultyReport() };
    const visits: Record<string, Visit> = {};

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      for (const [name, report] of Object.entries(reports)) visits[name] = await open(browser, name, report);
    });

    afterAll(async () => {
      await browser?.close();
    });

    for (const name of ['healthy', 'faulty']) {
      describe(name, () => {
        it('shows every check of the report with its status', async () => {
          const report = reports[name];
          const shown = await visits[name].page.$$eval('details.check', (els) =>
            els.map((el) => ({
              id: el.getAttribute('data-check-id'),
              status: el.getAttribute('data-status'),
              label: el.querySelector('summary .badge')?.textContent ?? '',
              title: el.querySelector('.check-title')?.textContent ?? '',
              open: (el as HTMLDetailsElement).open,
              visible: (el as HTMLElement).offsetHeight > 0,
            })),
          );
          expect(shown.map((s) => s.id)).toEqual(report.checks.map((c) => c.id));
          for (const c of report.checks) {
            const s = shown.find((x) => x.id === c.id);
            expect(s?.status, c.id).toBe(c.status);
            expect(s?.label, c.id).toContain(c.status.toUpperCase());
            expect(s?.title, c.id).toBe(c.title);
            expect(s?.visible, c.id).toBe(true);
            expect(s?.open, c.id).toBe(c.status === 'fail' || c.status === 'warn' || c.status === 'error');
          }
          const verdict = await visits[name].page.textContent('.hero .verdict-badge');
          expect(verdict).toContain(report.verdict.toUpperCase());
        });

        it('renders every plot as a non-empty SVG with data marks', async () => {
          const expected = plotIds(reports[name]);
          expect(expected.length).toBeGreaterThan(5);
          for (const id of expected) {
            const panels = await visits[name].page.$$eval(`#${plotAnchor(id)} .panels svg[viewBox]`, (svgs) =>
              svgs
                .map((svg) => {
                  const box = svg.getBoundingClientRect();
                  const marks = Array.from(
                    svg.querySelectorAll(
                      'g[aria-label="line"] path, g[aria-label="dot"] circle, g[aria-label="dot"] path, g[aria-label="bar"] rect',
                    ),
                  ) as SVGGraphicsElement[];
                  const drawn = marks.filter((m) => {
                    const b = m.getBBox();
                    return b.width > 0 || b.height > 0;
                  });
                  return { width: box.width, height: box.height, marks: marks.length, drawn: drawn.length };
                })
                .filter((p) => p.width > 100),
            );
            expect(panels.length, id).toBeGreaterThan(0);
            for (const p of panels) {
              expect(p.height, id).toBeGreaterThan(100);
              expect(p.marks, id).toBeGreaterThan(0);
              expect(p.drawn, `${id}: marks with a non-empty box`).toBeGreaterThan(0);
            }
          }
        });

        it('links each check to its plot, and the link lands on it', async () => {
          const { page } = visits[name];
          const links = await page.$$eval('details.check a.plot-link', (as) =>
            as.map((a) => a.getAttribute('href') ?? ''),
          );
          for (const href of links) {
            expect(await page.locator(href).count(), href).toBe(1);
          }
        });

        it('logs no console errors and makes no network requests', () => {
          expect(visits[name].consoleErrors).toEqual([]);
          expect(visits[name].pageErrors).toEqual([]);
          expect(visits[name].requests).toEqual([]);
        });

        it('saves a screenshot', async () => {
          const path = `${ARTIFACTS}html-report-${name}.png`;
          await visits[name].page.screenshot({ path, fullPage: true });
          expect(existsSync(path)).toBe(true);
        });
      });
    }

    it('faulty: planted <script> and onerror markup did not execute and shows as text', async () => {
      const { page } = visits.faulty;
      const pwned = await page.evaluate(
        (g) => (window as unknown as Record<string, unknown>)[g],
        PWNED_GLOBAL,
      );
      expect(pwned).toBeUndefined();
      expect(await page.$$eval('script, img', (els) => els.length)).toBe(0);
      const onHandlers = await page.$$eval('*', (els) =>
        els.flatMap((el) =>
          Array.from(el.attributes)
            .filter((a) => /^on/i.test(a.name))
            .map((a) => `${el.tagName} ${a.name}`),
        ),
      );
      expect(onHandlers).toEqual([]);
      const text = await page.textContent('#subject');
      expect(text).toContain(`dense_1${HOSTILE.script}`);
      expect(text).toContain(HOSTILE.img);
    });

    it('prints cleanly: navigation hidden, all checks and plots on paper', async () => {
      const { page } = visits.faulty;
      await page.emulateMedia({ media: 'print' });
      const toc = await page.$eval('.toc', (el) => getComputedStyle(el).display);
      expect(toc).toBe('none');
      const breaks = await page.$eval('.plot-card', (el) => getComputedStyle(el).breakInside);
      expect(breaks).toBe('avoid');
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      writeFileSync(`${ARTIFACTS}html-report-faulty.pdf`, pdf);
      expect(pdf.byteLength).toBeGreaterThan(10_000);
      await page.emulateMedia({ media: 'screen' });
    });
  },
);
