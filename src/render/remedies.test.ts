// The remedies section in every renderer: the verified fix and the one that did not verify, with
// their numbers, the change in the user's terms, and (HTML) the before/after curves; hostile layer
// names stay text.

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { plotAnchor, renderHtml } from './html/index.ts';
import { renderMarkdown } from './markdown.ts';
import { renderTerminal } from './terminal.ts';
import { healthyReport, remediesReport, viaJson } from './testing/fixtures.ts';

const report = remediesReport();

describe('remedies in the renderers', () => {
  it('the report judges the fixture: re-initialization verified, the LR change not', () => {
    expect(report.remedies?.status).toBe('verified');
    expect(report.remedies?.chain).toEqual(['reinit-fan']);
    expect(report.remedies?.tried.map((t) => [t.fix, t.verified])).toEqual([
      ['lr-down', false],
      ['reinit-fan', true],
    ]);
  });

  it('terminal: both fixes, the verdicts and the TF.js change', () => {
    const text = renderTerminal(report, { color: false, width: 100 });
    expect(text).toContain('Fixes tried on clones');
    expect(text).toMatch(/VERIFIED reinit-fan/);
    expect(text).toMatch(/not verified lr-down/);
    expect(text).toContain('Verified fix: Re-initialize the weights with He/Glorot.');
    // The verified fix's TF.js change (cut at the terminal's width; the report holds it whole).
    expect(text).toMatch(/TF\.js: +tf\.layers\.dense\(\{ …, name: /);
    expect(report.remedies?.tried.find((t) => t.verified)?.terms.tfjs).toContain(
      "kernelInitializer: 'heNormal'",
    );
  });

  it('Markdown: a table of the fixes tried and the change as TF.js, Keras and model.json', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('## Fixes tried on clones');
    expect(md).toMatch(/\| 1 \| Re-initialize the weights with He\/Glorot \(reinit-fan\) \|/);
    expect(md).toContain("kernel_initializer='he_normal'");
    expect(md).toContain('config.kernel_initializer');
    // Outside fenced code (literal text in Markdown) a hostile layer name is escaped.
    const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
    expect(prose).not.toContain('dense_1<script>window.__nnDoctorPwned');
  });

  it('HTML: the section, the before/after curves, and no live markup from layer names', () => {
    const html = renderHtml(viaJson(report));
    expect(html).toContain('Fixes tried on clones');
    const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
      JSDOM: new (html: string) => { window: { document: Document } };
    };
    const doc = new JSDOM(html).window.document;
    const fig = doc.getElementById(plotAnchor('remedy-curves'));
    expect(fig?.getAttribute('data-plot')).toBe('remedy-curves');
    expect(fig?.querySelectorAll('g[aria-label="line"] path').length).toBeGreaterThan(0);
    expect(html).not.toContain("<script>window.__nnDoctorPwned='script'</script>");
  });

  it('no section without fix experiments', () => {
    const healthy = healthyReport();
    expect(healthy.remedies).toBeUndefined();
    expect(renderTerminal(healthy, { color: false, width: 100 })).not.toContain('Fixes tried');
    expect(renderMarkdown(healthy)).not.toContain('Fixes tried');
  });
});
