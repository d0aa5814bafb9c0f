import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../core/check.ts';
import type { Evidence, WeightTelemetry } from '../../core/evidence.ts';
import { PLOT_IDS } from '../../core/plots.ts';
import type { Report } from '../../core/report.ts';
import { buildReport } from '../../registry.ts';
import { fmtNumber } from '../../shared/format.ts';
import { fmtValue, humanize } from '../format.ts';
import {
  faultyEvidence,
  faultyReport,
  HOSTILE,
  healthyEvidence,
  healthyReport,
  inconclusiveReport,
  plantHostileNames,
  viaJson,
} from '../testing/fixtures.ts';
import { esc } from './escape.ts';
import { checkAnchor, plotAnchor, plotIds, renderHtml } from './index.ts';

type Dom = { window: { document: Document; close(): void } };
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string) => Dom };

/** Parses the HTML without running anything in it (jsdom runs no scripts by default). */
function parse(html: string): Document {
  return new JSDOM(html).window.document;
}

const healthy = healthyReport();
const faulty = faultyReport();
const healthyHtml = renderHtml(healthy);
const faultyHtml = renderHtml(faulty);
const healthyDoc = parse(healthyHtml);
const faultyDoc = parse(faultyHtml);

describe('renderHtml: a self-contained document', () => {
  for (const [name, html] of [
    ['healthy', healthyHtml],
    ['faulty', faultyHtml],
  ] as const) {
    it(`${name}: has no scripts, no external resources and a locking CSP`, () => {
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<link\b/i);
      expect(html).not.toMatch(/@import|@font-face|url\(\s*['"]?(https?:|\/\/)/i);
      expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
      const doc = parse(html);
      for (const el of Array.from(
        doc.querySelectorAll('[src], [href], [srcset], [action], [xlink\\:href]'),
      )) {
        for (const attr of ['src', 'href', 'srcset', 'action', 'xlink:href']) {
          const v = el.getAttribute(attr);
          if (v !== null) expect(v, `${el.tagName} ${attr}`).toMatch(/^#/);
        }
      }
    });

    it(`${name}: every in-page link resolves to an anchor`, () => {
      const doc = parse(html);
      const links = Array.from(doc.querySelectorAll('a[href^="#"]')).map(
        (a) => a.getAttribute('href')?.slice(1) ?? '',
      );
      expect(links.length).toBeGreaterThan(5);
      for (const id of links) expect(doc.getElementById(id), `#${id}`).not.toBeNull();
    });
  }

  it('keeps the built-in example small (< 1.5 MB)', () => {
    expect(Buffer.byteLength(healthyHtml)).toBeLessThan(1.5e6);
    expect(Buffer.byteLength(faultyHtml)).toBeLessThan(1.5e6);
  });

  it('rounds SVG coordinates (no long decimals in path data)', () => {
    const paths = Array.from(healthyDoc.querySelectorAll('svg path')).map((p) => p.getAttribute('d') ?? '');
    expect(paths.length).toBeGreaterThan(20);
    for (const d of paths) expect(d).not.toMatch(/\d\.\d{2,}/);
  });
});

describe('renderHtml: verdict, checklist and order', () => {
  it('leads with the verdict and the primary diagnosis, then the checklist, plots and subject', () => {
    const verdict = faultyHtml.indexOf('id="verdict"');
    const firstCheck = faultyHtml.indexOf('data-check-id=');
    const plots = faultyHtml.indexOf('id="plots"');
    const subject = faultyHtml.indexOf('id="subject"');
    expect(verdict).toBeGreaterThan(0);
    expect(verdict).toBeLessThan(firstCheck);
    expect(firstCheck).toBeLessThan(plots);
    expect(plots).toBeLessThan(subject);
    const hero = faultyDoc.querySelector('.hero');
    expect(hero?.textContent).toContain('FAIL');
    expect(hero?.textContent).toContain(faulty.diagnosis.summary);
    const primary = faulty.checks.find((c) => c.id === faulty.diagnosis.primary);
    expect(primary).toBeDefined();
    expect(hero?.querySelector(`a[href="#${checkAnchor(primary?.id ?? '')}"]`)).not.toBeNull();
    if (primary?.remedy) expect(hero?.textContent).toContain(primary.remedy);
  });

  for (const [name, report, doc] of [
    ['healthy', healthy, healthyDoc],
    ['faulty', faulty, faultyDoc],
  ] as const) {
    it(`${name}: shows every check once, with its status label, summary, why and remedy`, () => {
      expect(report.checks.length).toBeGreaterThan(0);
      const items = Array.from(doc.querySelectorAll('details.check'));
      expect(items.length).toBe(report.checks.length);
      for (const c of report.checks) {
        const el = doc.querySelector(`[data-check-id="${c.id}"]`);
        expect(el, c.id).not.toBeNull();
        expect(el?.getAttribute('data-status')).toBe(c.status);
        expect(el?.id).toBe(checkAnchor(c.id));
        expect(el?.querySelector('summary .badge')?.textContent).toContain(c.status.toUpperCase());
        expect(el?.querySelector('.check-summary')?.textContent).toBe(c.summary);
        expect(el?.textContent).toContain(c.why);
        if (c.remedy) expect(el?.querySelector('.remedy')?.textContent).toContain(c.remedy);
        const open = el?.hasAttribute('open');
        expect(open, `${c.id} (${c.status}) open`).toBe(
          c.status === 'fail' || c.status === 'warn' || c.status === 'error',
        );
      }
    });

    it(`${name}: groups checks under section titles in checklist order`, () => {
      const titles = Array.from(doc.querySelectorAll('section.block[id^="section-"] > h2')).map(
        (h) => h.firstChild?.textContent ?? '',
      );
      const expected = Object.entries(SECTIONS)
        .filter(([key]) => report.checks.some((c) => c.section === key))
        .map(([, title]) => title);
      expect(titles).toEqual(expected);
      for (const c of report.checks) {
        expect(doc.querySelector(`#section-${c.section} [data-check-id="${c.id}"]`), c.id).not.toBeNull();
      }
    });

    it(`${name}: links each check to the plot that shows its evidence`, () => {
      const drawn = new Set(plotIds(report));
      for (const c of report.checks.filter((x) => x.plot)) {
        const link = doc.querySelector(`[data-check-id="${c.id}"] a.plot-link`);
        if (c.plot && drawn.has(c.plot as (typeof PLOT_IDS)[number])) {
          expect(link?.getAttribute('href'), c.id).toBe(`#${plotAnchor(c.plot)}`);
        } else {
          expect(link, c.id).toBeNull();
        }
      }
    });
  }

  it('ends with the model layers, data, settings and timings', () => {
    const subject = healthyDoc.getElementById('subject');
    const text = subject?.textContent ?? '';
    for (const l of healthy.subject.model?.layers ?? []) expect(text).toContain(l.name);
    expect(text).toContain('109,386');
    expect(text).toContain('mnist');
    expect(text).toContain('lrSweep');
    expect(text).toMatch(/Timings · 2\d\.\d s in all/);
  });
});

describe('renderHtml: plots', () => {
  it('draws every plot from the healthy evidence, each anchored by its id, with data marks', () => {
    // remedy-curves exists only where fixes were tried (src/render/remedies.test.ts draws it).
    const ids = PLOT_IDS.filter((id) => id !== 'remedy-curves' && id !== 'ranks'); // ranks: logs of a distributed job only
    expect(plotIds(healthy)).toEqual(ids);
    for (const id of ids) {
      const fig = healthyDoc.getElementById(plotAnchor(id));
      expect(fig, id).not.toBeNull();
      expect(fig?.getAttribute('data-plot')).toBe(id);
      const svgs = Array.from(fig?.querySelectorAll('.panels svg[viewBox]') ?? []).filter(
        (s) => Number(s.getAttribute('width')) > 100,
      );
      expect(svgs.length, id).toBeGreaterThan(0);
      for (const svg of svgs) {
        const marks = svg.querySelectorAll(
          'g[aria-label="line"] path, g[aria-label="dot"] circle, g[aria-label="dot"] path, g[aria-label="bar"] rect',
        );
        expect(marks.length, id).toBeGreaterThan(0);
        expect(
          svg.querySelector('[aria-label="y-axis label"], [aria-label="x-axis label"]'),
          `${id} axis label`,
        ).not.toBeNull();
      }
    }
  });

  it('uses log axes where values span decades, with plain tick labels (no SI prefixes)', () => {
    for (const id of ['lr-sweep', 'gradient-norms', 'update-ratios', 'weight-variance']) {
      const fig = healthyDoc.getElementById(plotAnchor(id));
      expect(fig?.textContent, id).toMatch(/log scale/);
      const ticks = Array.from(fig?.querySelectorAll('[aria-label$="tick label"] text') ?? []).map(
        (t) => t.textContent ?? '',
      );
      expect(ticks.length, id).toBeGreaterThan(1);
      for (const t of ticks) expect(t, id).not.toMatch(/^[\d.]+[mµkμ]$/);
    }
  });

  it('marks the configured and suggested learning rates and the update-ratio bounds', () => {
    const lr = healthyDoc.getElementById(plotAnchor('lr-sweep'))?.textContent ?? '';
    expect(lr).toContain(`configured ${fmtNumber(healthy.evidence.lrSweep?.configuredLr)}`);
    expect(lr).toContain(`suggested ${fmtNumber(healthy.evidence.lrSweep?.suggestedLr)}`);
    const ratio = healthyDoc.getElementById(plotAnchor('update-ratios'))?.textContent ?? '';
    expect(ratio).toContain('1e-4');
    expect(ratio).toContain('0.1');
  });

  it('draws each plot only when its evidence exists', () => {
    const partial: Evidence = { source: 'replay', dataset: healthyEvidence().dataset };
    const report = buildReport({ evidence: partial, createdAt: new Date(0) });
    expect(plotIds(report)).toEqual(['class-counts']);
    const doc = parse(renderHtml(report));
    expect(doc.querySelectorAll('figure.plot-card').length).toBe(1);
    const none = buildReport({ evidence: { source: 'replay' }, createdAt: new Date(0) });
    expect(plotIds(none)).toEqual([]);
    expect(() => renderHtml(none)).not.toThrow();
  });

  it('says why evidence is missing when a probe was skipped or failed', () => {
    const evidence: Evidence = {
      ...healthyEvidence(),
      lrSweep: undefined,
      unavailable: { lrSweep: { status: 'error', reason: 'the sweep ran out of memory <oops>' } },
    };
    const report = buildReport({ evidence, createdAt: new Date(0) });
    const html = renderHtml(report);
    expect(plotIds(report)).not.toContain('lr-sweep');
    expect(html).toContain('the sweep ran out of memory &lt;oops&gt;');
  });

  it('renders a report read back from JSON (NaN/Infinity became null) without NaN in the SVG', () => {
    const replay = viaJson(faulty);
    const html = renderHtml(replay);
    const doc = parse(html);
    expect(plotIds(replay)).toEqual(plotIds(faulty));
    for (const el of Array.from(doc.querySelectorAll('svg *'))) {
      for (const attr of ['d', 'x', 'y', 'cx', 'cy', 'width', 'height', 'transform']) {
        expect(el.getAttribute(attr) ?? '', `${el.tagName} ${attr}`).not.toMatch(/NaN|Infinity/);
      }
    }
  });

  it('renders a saved report whose non-finite numbers were written as strings', () => {
    const text = JSON.stringify(faulty, (_k, v) =>
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
    );
    const replay = JSON.parse(text) as Report;
    const doc = parse(renderHtml(replay));
    expect(doc.querySelectorAll('details.check').length).toBe(faulty.checks.length);
    for (const el of Array.from(doc.querySelectorAll('svg path'))) {
      expect(el.getAttribute('d') ?? '').not.toMatch(/NaN|Infinity/);
    }
  });

  it('stays small and readable for deep models and long runs', () => {
    const base = healthyEvidence();
    const layers = 40;
    const steps = Array.from({ length: 5000 }, (_, i) => i);
    const weights: WeightTelemetry[] = Array.from({ length: layers }, (_, d) => ({
      layer: `conv_${d}`,
      weight: `conv_${d}/kernel`,
      kind: 'kernel',
      depth: d,
      steps,
      gradNorm: steps.map((s) => 10 ** (-d / 10) * (1 + Math.sin(s + d) * 0.1)),
      updateRatio: steps.map((s) => 1e-3 * (1 + Math.cos(s * d) * 0.2)),
      weightNorm: steps.map(() => 1),
    }));
    const loss = { steps, values: steps.map((s) => 2.3 * Math.exp(-s / 1000) + 0.1) };
    const evidence: Evidence = {
      ...base,
      training: {
        ...(base.training as NonNullable<Evidence['training']>),
        loss,
        dataLoss: loss,
        regLoss: undefined,
        weights,
      },
    };
    const report = buildReport({ evidence, createdAt: new Date(0) });
    const html = renderHtml(report);
    expect(Buffer.byteLength(html)).toBeLessThan(1.5e6);
    const doc = parse(html);
    // More layers than a legend can carry: per-layer summaries (median dot + range) instead of lines.
    const grads = doc.getElementById(plotAnchor('gradient-norms'));
    expect(grads?.querySelectorAll('g[aria-label="dot"] circle').length).toBe(layers);
  });
});

describe('renderHtml: other model shapes', () => {
  it('names series by variable when a layer owns several kernels (RNNs)', () => {
    const base = healthyEvidence();
    const training = base.training as NonNullable<Evidence['training']>;
    const model = base.model as NonNullable<Evidence['model']>;
    const first = training.weights[0];
    const weights: WeightTelemetry[] = [
      { ...first, layer: 'lstm', weight: 'lstm/kernel', depth: 0 },
      {
        ...first,
        layer: 'lstm',
        weight: 'lstm/recurrent_kernel',
        depth: 0,
        gradNorm: first.gradNorm.map((g) => (g ?? 1) / 3),
      },
    ];
    const kernels = [
      { ...model.kernels[0], layer: 'lstm', weight: 'lstm/kernel' },
      { ...model.kernels[1], layer: 'lstm', weight: 'lstm/recurrent_kernel', depth: 0 },
    ];
    const report = buildReport({
      evidence: { ...base, training: { ...training, weights }, model: { ...model, kernels } },
      createdAt: new Date(0),
    });
    const doc = parse(renderHtml(report));
    for (const id of ['gradient-norms', 'weight-variance']) {
      const text = doc.getElementById(plotAnchor(id))?.textContent ?? '';
      expect(text, id).toContain('lstm/kernel');
      expect(text, id).toContain('lstm/recurrent_kernel');
    }
    const lines = doc.querySelectorAll(`#${plotAnchor('gradient-norms')} g[aria-label="line"] path`);
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });

  it('renders a regression task: no class plot, data described as regression', () => {
    const base = healthyEvidence();
    const evidence: Evidence = {
      ...base,
      task: {
        ...(base.task as NonNullable<Evidence['task']>),
        kind: 'regression',
        classes: null,
        loss: 'mean_squared_error',
        outputActivations: ['linear'],
        labelEncoding: 'continuous',
      },
      dataset: {
        ...(base.dataset as NonNullable<Evidence['dataset']>),
        classCounts: null,
        targetVariance: 1.7,
      },
      rebalancing: undefined,
    };
    const report = buildReport({ evidence, createdAt: new Date(0) });
    expect(plotIds(report)).not.toContain('class-counts');
    const doc = parse(renderHtml(report));
    expect(doc.getElementById('subject')?.textContent).toContain('regression');
    expect(doc.getElementById(plotAnchor('loss-curve'))?.textContent).toContain('mean squared error');
  });
});

describe('renderHtml: escaping', () => {
  it('escapes every string from the report (layer names, data source, model name)', () => {
    // (Boolean assertions: a failure would otherwise print the whole page.)
    expect(faultyHtml.includes(HOSTILE.script)).toBe(false);
    expect(faultyHtml.includes(HOSTILE.img)).toBe(false);
    expect(faultyHtml.includes(esc(HOSTILE.script))).toBe(true);
    expect(faultyHtml.includes(esc(HOSTILE.img))).toBe(true);
    // A quote may stay raw inside a text node (SVG text serialized by jsdom), where it is inert;
    // inside a tag it would end an attribute, so no tag may carry the planted handler.
    expect(/<[^>]*\bonerror\s*=[^>]*>/i.test(faultyHtml)).toBe(false);
    expect(faultyDoc.querySelectorAll('script, img, iframe, object, embed').length).toBe(0);
    for (const el of Array.from(faultyDoc.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) expect(attr.name, `${el.tagName}`).not.toMatch(/^on/i);
    }
  });

  it('keeps hostile names as literal text wherever they are shown', () => {
    const layerCells = Array.from(faultyDoc.querySelectorAll('#subject td.mono')).map((td) => td.textContent);
    expect(layerCells).toContain(`dense_1${HOSTILE.script}`);
    expect(layerCells).toContain(`dense_2${HOSTILE.attribute}${HOSTILE.img}`);
    expect(faultyDoc.querySelector('.masthead')?.textContent).toContain(
      `data/${HOSTILE.img}${HOSTILE.attribute}.npz`,
    );
    // Plot legends and tick labels are text too.
    const legend = faultyDoc.getElementById(plotAnchor('gradient-norms'))?.textContent ?? '';
    expect(legend).toContain(`dense_1${HOSTILE.script}`);
    expect(faultyDoc.title).toContain(`model${HOSTILE.script}`);
  });

  it('escapes hostile names in a healthy report too', () => {
    const html = renderHtml(
      buildReport({ evidence: plantHostileNames(healthyEvidence()), createdAt: new Date(0) }),
    );
    expect(parse(html).querySelectorAll('script, img').length).toBe(0);
    expect(html.includes(HOSTILE.script)).toBe(false);
  });

  it('esc escapes the five HTML specials and backticks', () => {
    expect(esc(`<a href="x" title='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
    expect(esc(null)).toBe('');
    expect(esc(3)).toBe('3');
  });
});

describe('renderHtml: robustness', () => {
  it('renders checks with statuses and sections it does not know', () => {
    const report: Report = structuredClone(healthy);
    report.checks.push({
      ...report.checks[0],
      id: 'future/new-check' as Report['checks'][number]['id'],
      section: 'future' as Report['checks'][number]['section'],
      title: 'A check from a newer version',
      status: 'error',
      summary: 'the check could not run: boom',
      plot: 'no-such-plot',
    });
    const doc = parse(renderHtml(report));
    const el = doc.querySelector('[data-check-id="future/new-check"]');
    expect(el?.getAttribute('data-status')).toBe('error');
    expect(el?.hasAttribute('open')).toBe(true);
    expect(doc.getElementById('section-future')).not.toBeNull();
    expect(el?.textContent).toContain('No plot');
  });

  it('renders the faulty evidence without hostile names, and the verdict is fail', () => {
    const report = buildReport({ evidence: faultyEvidence(), createdAt: new Date(0) });
    expect(report.verdict).toBe('fail');
    const doc = parse(renderHtml(report));
    expect(doc.querySelector('.hero .verdict-badge')?.textContent).toContain('FAIL');
  });
});

describe('format helpers', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [109386, '109,386'],
    [2.31234, '2.31'],
    [0.0194, '0.0194'],
    [1e-4, '1e-4'],
    [1.234e-7, '1.23e-7'],
    [123.456, '123.5'],
    [2.5e7, '2.5e7'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '∞'],
    [null, '—'],
  ])('fmtNumber(%s) = %s', (n, want) => {
    expect(fmtNumber(n)).toBe(want);
  });

  it('formats measured values and humanizes keys', () => {
    expect(fmtValue([1, 2, 3])).toBe('[1, 2, 3]');
    expect(fmtValue(Array.from({ length: 12 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, … (12 in all)]');
    expect(fmtValue(true)).toBe('yes');
    expect(fmtValue('relu')).toBe('relu');
    expect(humanize('majorityShare')).toBe('majority share');
    expect(humanize('lr_max')).toBe('lr max');
  });
});

describe('renderHtml: inconclusive', () => {
  it('shows an INCONCLUSIVE verdict badge, headline and title, never PASS', () => {
    const html = renderHtml(inconclusiveReport());
    const doc = parse(html);
    expect(doc.querySelector('.hero')?.className).toContain('v-inconclusive');
    expect(doc.querySelector('.hero .verdict-badge')?.textContent).toContain('INCONCLUSIVE');
    expect(doc.querySelector('#verdict')?.textContent).toMatch(/^Inconclusive/);
    expect(doc.querySelector('title')?.textContent).toMatch(/^nn-doctor: INCONCLUSIVE/);
    expect(doc.querySelector('.hero .verdict-badge')?.textContent).not.toContain('PASS');
  });
});
