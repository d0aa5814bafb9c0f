import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../core/check.ts';
import type { Report } from '../core/report.ts';
import { buildReport } from '../registry.ts';
import { mdEscape, renderMarkdown } from './markdown.ts';
import {
  faultyReport,
  HOSTILE,
  healthyEvidence,
  healthyReport,
  inconclusiveReport,
  plantHostileNames,
  viaJson,
} from './testing/fixtures.ts';

const healthy = healthyReport();
const faulty = faultyReport();
const healthyMd = renderMarkdown(healthy);
const faultyMd = renderMarkdown(faulty);

/** Table rows of the checks table (header and delimiter excluded). */
function tableRows(md: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf('| Section | Check | Status | Summary |');
  expect(start).toBeGreaterThan(0);
  const rows: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i]);
  return rows;
}

/** Splits a table row on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('renderMarkdown', () => {
  it('leads with the verdict and the diagnosis', () => {
    const lines = faultyMd.split('\n');
    expect(lines[0]).toBe('# nn-doctor checkup: ❌ FAIL');
    const primary = faulty.checks.find((c) => c.id === faulty.diagnosis.primary);
    expect(primary).toBeDefined();
    const diagnosis = faultyMd.slice(faultyMd.indexOf('## Diagnosis'), faultyMd.indexOf('## Checks'));
    expect(diagnosis).toContain(`Most likely cause: ${mdEscape(primary?.title)}`);
    expect(diagnosis).toContain(mdEscape(faulty.diagnosis.summary));
    if (primary?.remedy) expect(diagnosis).toContain(`**What to do:** ${mdEscape(primary.remedy)}`);
    expect(healthyMd.split('\n')[0]).toMatch(/^# nn-doctor checkup: (✅ PASS|⚠️ WARN|❌ FAIL)$/);
  });

  for (const [name, report, md] of [
    ['healthy', healthy, healthyMd],
    ['faulty', faulty, faultyMd],
  ] as const) {
    it(`${name}: has one table row per check (section, check, status, summary), four cells each`, () => {
      const rows = tableRows(md);
      expect(rows.length).toBe(report.checks.length);
      for (const c of report.checks) {
        const row = rows.find((r) => r.includes(`(\`${c.id}\`)`));
        expect(row, c.id).toBeDefined();
        const [section, check, status, summary] = cells(row ?? '');
        expect(cells(row ?? '').length).toBe(4);
        expect(section).toBe(mdEscape(SECTIONS[c.section]));
        expect(check).toContain(mdEscape(c.title));
        expect(status).toContain(c.status.toUpperCase());
        expect(summary).toBe(mdEscape(c.summary));
      }
    });

    it(`${name}: lists every non-pass finding with why and remedy, and no passing check`, () => {
      const findings = md.includes('## Findings')
        ? md.slice(md.indexOf('## Findings'), md.indexOf('## Model, data'))
        : '';
      for (const c of report.checks) {
        const heading = `: ${mdEscape(c.title)} (\`${c.id}\`)`;
        if (c.status === 'fail' || c.status === 'warn' || c.status === 'error') {
          expect(findings, c.id).toContain(
            `### ${c.status === 'warn' ? '⚠️ WARN' : c.status === 'fail' ? '❌ FAIL' : '⛔ ERROR'}${heading}`,
          );
          expect(findings).toContain(`**Why it matters:** ${mdEscape(c.why)}`);
          if (c.remedy) expect(findings).toContain(`**What to do:** ${mdEscape(c.remedy)}`);
        } else {
          expect(findings, c.id).not.toContain(heading);
        }
      }
    });
  }

  it('orders the table by section in checklist order', () => {
    const order = Object.keys(SECTIONS);
    const titles = Object.values(SECTIONS).map(mdEscape);
    const sections = tableRows(faultyMd).map((r) => titles.indexOf(cells(r)[0]));
    expect(sections.every((s) => s >= 0)).toBe(true);
    expect([...sections].sort((a, b) => a - b)).toEqual(sections);
    expect(order.length).toBe(titles.length);
  });

  it('ends with the model, data, settings and timings', () => {
    const tail = healthyMd.slice(healthyMd.indexOf('## Model, data and run'));
    expect(tail).toContain('109,386 parameters');
    expect(tail).toContain('mnist: 1,000 records, 784 features, 10 classes');
    expect(tail).toMatch(/\*\*Time:\*\* 2\d\.\d s in all/);
    expect(tail).toContain('dense\\_1 (Dense, relu)');
  });

  it('escapes pipes, HTML and Markdown punctuation from user strings', () => {
    expect(faultyMd).not.toMatch(/<script|<img/i);
    expect(faultyMd).toContain(mdEscape(HOSTILE.script));
    const evidence = plantHostileNames(healthyEvidence());
    if (evidence.dataset) evidence.dataset.source = 'a|b [x](http://evil) `code` *em*\nnext';
    if (evidence.model) evidence.model.layers[1].name = 'pipe|layer';
    const md = renderMarkdown(buildReport({ evidence, createdAt: new Date(0) }));
    // The newline is a control character: shown as `\n` (its backslash escaped), never a line break.
    expect(md).toContain('a\\|b \\[x\\](http://evil) \\`code\\` \\*em\\*\\\\nnext');
    expect(md).toContain('pipe\\|layer');
    expect(md).not.toMatch(/<script|<img/i);
    for (const row of tableRows(md)) expect(cells(row).length).toBe(4);
  });

  it('escapes a status it does not know, wherever it shows one (it went raw into "Also flagged")', () => {
    const r = structuredClone(faulty);
    const flagged = r.checks.find((c) => c.id === r.diagnosis.ranked[1]);
    if (flagged) (flagged as { status: string }).status = '<img src=x onerror=alert(1)>';
    const md = renderMarkdown(r);
    expect(md).not.toMatch(/<img/i);
    // An unknown status reads as ERROR everywhere (the view model knows five statuses).
    expect(md).toContain(`${'`'}${flagged?.id}${'`'} (ERROR)`);
  });

  it('mdEscape collapses newlines and escapes specials', () => {
    expect(mdEscape('a\n\nb')).toBe('a b');
    expect(mdEscape('<b>|x|</b> & _y_')).toBe('&lt;b&gt;\\|x\\|&lt;/b&gt; &amp; \\_y\\_');
    expect(mdEscape(null)).toBe('');
  });

  it('renders a report read back from JSON and an empty report', () => {
    const replayed = renderMarkdown(viaJson(faulty));
    expect(tableRows(replayed).length).toBe(faulty.checks.length);
    expect(replayed.split('\n')[0]).toBe('# nn-doctor checkup: ❌ FAIL');
    const empty: Report = buildReport({ evidence: { source: 'replay' }, createdAt: new Date(0) });
    expect(() => renderMarkdown(empty)).not.toThrow();
    const none: Report = {
      ...empty,
      checks: [],
      diagnosis: { primary: null, summary: 'nothing ran', ranked: [] },
    };
    expect(renderMarkdown(none)).toContain('No check ran.');
  });

  it('says INCONCLUSIVE, never PASS, when no check could run', () => {
    const md = renderMarkdown(inconclusiveReport());
    expect(md.split('\n')[0]).toBe('# nn-doctor checkup: ❔ INCONCLUSIVE');
    expect(md).not.toContain('PASS');
    expect(md).toContain('Inconclusive: no check could judge this run');
  });
});
