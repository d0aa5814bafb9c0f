// The live page of `nn-doctor watch --serve` in headless Chromium while a writer process appends
// to the logs: the plots grow, the findings appear (each linking to the plot of its evidence), the
// page asks nothing of any server but the local one, and logs no console error. The writer logs a
// layer that gets no gradient at all (fc1: 0 at every step), which a log axis cannot show: it is
// drawn as × on a floor line, and the figure's note names the layer.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');
const WRITER = join(ROOT, 'test', 'watch', 'writer.ts');

describe.skipIf(!HAS_CHROMIUM)(
  `live page in headless Chromium${HAS_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} not found)`}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-live-'));
    let browser: Browser | undefined;
    let watcher: ChildProcess | undefined;

    afterAll(async () => {
      await browser?.close();
      watcher?.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows plots growing and findings appearing while the run goes on', async () => {
      const logdir = join(dir, 'logs');
      mkdirSync(logdir);
      watcher = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          CLI,
          'watch',
          logdir,
          '--serve',
          '0',
          '--poll',
          '100',
          '--idle-timeout',
          '60',
          '--quiet',
        ],
        { cwd: ROOT },
      );
      let stderr = '';
      const url = await new Promise<string>((done, fail) => {
        watcher?.stderr?.on('data', (d) => {
          stderr += d;
          const m = /live page at (http:\/\/\S+)/.exec(stderr);
          if (m) done(m[1]);
        });
        watcher?.on('close', () => fail(new Error(`watch ended before serving: ${stderr}`)));
      });
      const exited = new Promise<number | null>((done) => watcher?.on('close', (code) => done(code)));

      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const consoleErrors: string[] = [];
      const foreign: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith(url)) foreign.push(r.url());
      });
      const headers = (await page.goto(url))?.headers() ?? {};
      expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(await page.textContent('#headline')).toMatch(/Waiting/);

      const writer = new Promise<void>((done, fail) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', WRITER, logdir, '300', 'layers'],
          { cwd: ROOT },
          (err) => (err ? fail(err) : done()),
        ),
      );
      // The loss curve appears, then grows.
      await page.waitForSelector('#loss-curve svg', { state: 'attached', timeout: 30_000 });
      const first = Number(await page.getAttribute('#loss-curve', 'data-points'));
      await page.waitForFunction(
        (n) => Number(document.getElementById('loss-curve')?.getAttribute('data-points')) > n + 20,
        first,
        { timeout: 30_000 },
      );
      // Findings appear with their step, and link to the plot of their evidence.
      await page.waitForSelector('li[data-check-id="other/exploding-gradients"]', { timeout: 30_000 });
      const finding = await page.$eval('li[data-check-id="other/exploding-gradients"]', (li) => ({
        step: Number(li.getAttribute('data-step')),
        text: li.textContent ?? '',
        link: li.querySelector('a.plot-link')?.getAttribute('href') ?? null,
      }));
      expect(finding.step).toBeGreaterThanOrEqual(80);
      expect(finding.text).toMatch(/step \d+/);
      expect(finding.link).toBe('#gradient-norms');
      expect(await page.$('#gradient-norms svg')).not.toBeNull();
      // Following the link brings the plot into view.
      await page.click('li[data-check-id="other/exploding-gradients"] a.plot-link');
      expect(await page.evaluate(() => location.hash)).toBe('#gradient-norms');
      await page.waitForSelector('li[data-check-id="loss/non-finite"]', { timeout: 30_000 });
      // The status at the top says what was found and its primary cause with the remedy (not the
      // latest finding); the list shows the latest first.
      expect(await page.textContent('#headline')).toMatch(/failed — most likely cause: \S+\. Do: /);
      // The gradient plot speaks of the user's own run, not of an instrumented one.
      expect(await page.textContent('#gradient-norms figcaption')).toContain('the logged run');
      expect(await page.textContent('#gradient-norms figcaption')).not.toContain('instrumented');
      // A PyTorch log (its tags name `fc1.weight`): PyTorch's word for a layer's weight matrix.
      expect(await page.textContent('#gradient-norms figcaption')).toContain("each weight's gradient");
      expect(await page.textContent('#loss-curve figcaption')).toContain('Loss of the logged run');
      // fc1's zero gradient is drawn on the floor line (× marks, labelled), and the note names it.
      const gradients = await page.$eval('#gradient-norms', (fig) => ({
        svg: Array.from(fig.querySelectorAll('svg'), (s) => s.textContent ?? '').join(' '),
        crosses: fig.querySelectorAll('svg g[aria-label="dot"] path').length,
        notes: Array.from(fig.querySelectorAll('.plot-notes li'), (li) => li.textContent ?? ''),
      }));
      expect(gradients.crosses).toBeGreaterThan(10);
      expect(gradients.svg).toContain('0 / NaN');
      expect(gradients.svg).toContain('× on the floor: 0 or NaN/Inf');
      // PyTorch's name of the dead layer's weight, as the logger wrote it.
      expect(await page.textContent('li[data-check-id="other/gradient-flow"]')).toContain('(fc1.weight)');
      expect(gradients.notes.join(' ')).toMatch(
        /No gradient at any step \(zero or missing: drawn as × on the floor line\): fc1\b/,
      );
      const order = await page.$$eval('#findings li', (lis) =>
        lis.map((li) => li.getAttribute('data-check-id')),
      );
      expect(order.indexOf('loss/non-finite')).toBeLessThan(order.indexOf('other/exploding-gradients'));
      // The README's pictures (docs/live-page.png, docs/live-page-gradients.png) are these two.
      await page
        .screenshot({ path: join(ROOT, 'test-artifacts', 'live-page.png'), fullPage: false })
        .catch(() => {});
      await page
        .locator('#gradient-norms')
        .screenshot({ path: join(ROOT, 'test-artifacts', 'live-page-gradients.png') })
        .catch(() => {});
      await writer;
      // Told to stop (SIGTERM): the watch ends, the page says so, and the exit code is diagnose's.
      await new Promise((r) => setTimeout(r, 500));
      watcher.kill('SIGTERM');
      expect(await exited).toBe(1);
      expect(foreign).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(await page.textContent('#phase')).toBe('Finished');
    });
  },
);
