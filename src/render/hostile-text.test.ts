// Strings from the user's files that try to drive a terminal (ESC, BEL, CR, a newline that forges a
// line of nn-doctor's own) come out of every renderer made visible, and reports with arrays of
// millions of entries render without a stack overflow.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.ts';
import { buildReport } from '../core/build-report.ts';
import type { Report } from '../core/report.ts';
import { renderMarkdown } from './markdown.ts';
import { renderTerminal } from './terminal.ts';
import { faultyEvidence, faultyReport, remediesReport } from './testing/fixtures.ts';
import { viewModel } from './view-model.ts';

const FORGED = 'nn-doctor: all checks passed';
/** Retitles the terminal (OSC 0 … BEL), clears the screen, returns the cursor, then forges a line. */
const HOSTILE = `x\u001b]0;pwned\u0007\u001b[2J\r\n${FORGED}\n\u202e`;

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the test
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

function hostileReport(): Report {
  const evidence = faultyEvidence();
  if (evidence.dataset) evidence.dataset.source = `data/${HOSTILE}.npz`;
  if (evidence.model) {
    evidence.model.name = `model${HOSTILE}`;
    evidence.model.layers[1].name = `dense${HOSTILE}`;
  }
  const report = buildReport({ checks: ALL_CHECKS, evidence, createdAt: new Date(0) });
  report.warnings.push(`class folder ${HOSTILE} has no images`);
  report.logs = {
    experiment: `run${HOSTILE}`,
    chosenBecause: `because${HOSTILE}`,
    experiments: [{ name: `other${HOSTILE}`, verdict: 'fail', primary: null, diagnosed: false }],
    notes: [`note${HOSTILE}`],
    used: [{ tag: `loss${HOSTILE}`, run: `.`, as: 'loss' }],
    unused: [
      { tag: `tag${HOSTILE}`, run: `r${HOSTILE}`, as: 'not a known name', map: `--map t${HOSTILE}=loss` },
    ],
  } as unknown as Report['logs'];
  report.watch = {
    source: 'tensorboard',
    steps: 10,
    findings: [
      {
        id: 'loss/non-finite',
        status: 'fail',
        summary: `NaN in ${HOSTILE}`,
        step: 3,
        firstSeenStep: 3,
        elapsedMs: 1,
      },
    ],
  } as unknown as Report['watch'];
  report.checks[0].summary = `${report.checks[0].summary} ${HOSTILE}`;
  report.checks[0].measured = { [`key${HOSTILE}`]: `value${HOSTILE}` };
  return report;
}

describe('user strings are made visible in every text output', () => {
  const report = hostileReport();

  it('terminal: no control character but its own colours, no forged line, every string still there', () => {
    for (const color of [false, true]) {
      const text = renderTerminal(report, { color, width: 100 });
      // Colour codes are nn-doctor's own: ESC [ digits m, nothing else.
      const stripped = text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
      expect(stripped).not.toMatch(RAW_CONTROL);
      for (const line of stripped.split('\n')) expect(line.trim()).not.toBe(FORGED);
      expect(stripped).toContain('x\\x1b]0;pwned\\x07\\x1b[2J\\r\\nnn-doctor: all checks passed\\n\\u202e');
      for (const where of ['Logs', 'Found while watching', 'Warnings']) expect(stripped).toContain(where);
      expect(stripped).toContain('tag'); // the unused tag, escaped
    }
  });

  it('Markdown: no raw control character, no forged line', () => {
    const md = renderMarkdown(report);
    expect(md).not.toMatch(RAW_CONTROL);
    for (const line of md.split('\n')) expect(line.replace(/^[-#*| ]+/, '').trim()).not.toBe(FORGED);
    // The backslash of each escape is itself escaped for Markdown: it reads `\x1b` when rendered.
    expect(md).toContain('x\\\\x1b\\]0;pwned\\\\x07\\\\x1b\\[2J\\\\r\\\\nnn-doctor: all checks passed');
  });

  it('HTML: no raw control character', async () => {
    const { renderHtml } = await import('./html/index.ts');
    const html = renderHtml(report);
    expect(html).not.toMatch(RAW_CONTROL);
    expect(html).toContain('x\\x1b]0;pwned\\x07\\x1b[2J\\r\\nnn-doctor: all checks passed');
  }, 60_000);

  it('code meant to be copied keeps its newlines, and only them', () => {
    const r = remediesReport();
    const t = r.remedies?.tried.find((x) => x.verified);
    expect(t).toBeDefined();
    if (!t) return;
    t.terms.tfjs = `const a = 1;\n// layer x\u001b]0;pwned\u0007\u001b[2J\r\u202e\nconst b = 2;`;
    const view = viewModel(r);
    const code = view.report.remedies?.tried.find((x) => x.verified)?.terms.tfjs ?? '';
    expect(code.split('\n')).toHaveLength(3);
    expect(code).not.toMatch(RAW_CONTROL);
    expect(renderMarkdown(r)).not.toMatch(RAW_CONTROL);
    expect(renderTerminal(r)).not.toMatch(RAW_CONTROL);
  });

  it('the view model leaves the report it was given unchanged', () => {
    const before = JSON.stringify(report);
    viewModel(report);
    expect(JSON.stringify(report)).toBe(before);
  });
});

describe('arrays of unbounded length', () => {
  it('2,000,000 warnings: Markdown and terminal render (no stack overflow); every warning in Markdown', () => {
    const r = faultyReport();
    r.warnings = Array.from({ length: 2_000_000 }, (_, i) => `w${i}`);
    const md = renderMarkdown(r);
    expect(md).toContain('- w1999999\n');
    const terminal = renderTerminal(r);
    expect(terminal).toContain('… and 1999980 more (see the JSON report)');
  }, 120_000);

  // 300,000: past the ~120,000 arguments where a spread overflowed, and quick enough under load.
  it('300,000 unused tags render in Markdown and the terminal', () => {
    const r = hostileReport();
    const logs = r.logs as NonNullable<Report['logs']>;
    const tag = logs.unused[0];
    logs.unused = Array.from({ length: 300_000 }, (_, i) => ({
      ...tag,
      tag: `t${i}`,
      map: `--map t${i}=loss`,
    }));
    const md = renderMarkdown(r);
    expect(md).toContain('| t299999 |');
    expect(renderTerminal(r)).toContain('… and 299988 more (see the JSON report)');
  }, 120_000);
});
