// `nn-doctor report` reads a file like any other input: it is validated against the published
// JSON Schema before anything renders or replays it. Regression cases from the hostile-input
// review (5 malformed reports crashed it with exit 3; a status of markup went raw into Markdown),
// then a fuzz over mutated real reports: always a rendered report or a UsageError, never a crash.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { createRng } from '../core/random.ts';
import type { Report } from '../core/report.ts';
import { jsonReplacer } from '../core/report-json.ts';
import { makeTempDir } from '../data/testing.ts';
import { renderHtml } from '../render/html/index.ts';
import { renderMarkdown } from '../render/markdown.ts';
import { renderTerminal } from '../render/terminal.ts';
import { faultyReport, healthyReport } from '../render/testing/fixtures.ts';
import { parseReportArgs, readReport, replayReport, validateReport } from './report.ts';

const tmp = makeTempDir('nn-doctor-report-');
afterAll(() => tmp.cleanup());
let files = 0;
const write = (text: string) => tmp.file(`r${files++}.json`, text);
const asJson = (r: unknown) => JSON.stringify(r, jsonReplacer);

async function refused(text: string, pattern: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await readReport(write(text));
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as Error).message).not.toContain('\n');
  expect((caught as Error).message).toMatch(pattern);
}

// biome-ignore lint/suspicious/noExplicitAny: reports are edited freely here
type Loose = Record<string, any>;

function edited(edit: (r: Loose) => void): string {
  const r = JSON.parse(asJson(faultyReport()));
  edit(r);
  return JSON.stringify(r);
}

describe('reading a saved report', () => {
  it('reads real reports back (with NaN/Infinity written as strings) and they validate', async () => {
    for (const report of [healthyReport(), faultyReport()]) {
      const back = await readReport(write(asJson(report)));
      expect(back.checks.map((c) => c.status)).toEqual(report.checks.map((c) => c.status));
      expect(await validateReport(JSON.parse(asJson(report)))).toBeNull();
    }
    const faulty = await readReport(write(asJson(faultyReport())));
    expect(faulty.evidence.training?.loss.values.some((v) => Number.isNaN(v))).toBe(true);
  });

  it('says what schemaVersion is when it is not the number 1 (the string "1" was "1 is not supported")', async () => {
    await refused(
      edited((r) => (r.schemaVersion = '1')),
      /schemaVersion is "1" \(a string\); an nn-doctor report has the number 1/,
    );
    await refused(
      edited((r) => (r.schemaVersion = 2)),
      /report schemaVersion 2 is not supported \(this nn-doctor reads 1\)/,
    );
    await refused(
      edited((r) => (r.schemaVersion = null)),
      /schemaVersion is null \(a null\)/,
    );
  });

  it('refuses a check status that is not a status (markup went raw into Markdown)', async () => {
    await refused(
      edited((r) => (r.checks[0].status = '<img src=x onerror=alert(1)>')),
      /\/checks\/0\/status: must be equal to one of the allowed values \(pass, warn, fail, skip, error\)/,
    );
  });

  it.each([
    ['checks not a list', (r: Loose) => (r.checks = {}), /\/checks: must be array/],
    [
      'a check without id',
      (r: Loose) => delete r.checks[2].id,
      /\/checks\/2: must have required property 'id'/,
    ],
    ['diagnosis missing', (r: Loose) => delete r.diagnosis, /must have required property 'diagnosis'/],
    ['layers not a list', (r: Loose) => (r.subject.model.layers = 5), /\/subject\/model/],
    [
      'evidence series of strings',
      (r: Loose) => (r.evidence.training.loss.values = ['a']),
      /\/evidence\/training\/loss\/values\/0/,
    ],
    ['timings missing', (r: Loose) => delete r.timings, /required property 'timings'/],
    [
      'a verdict of markup',
      (r: Loose) => (r.verdict = '<b>'),
      /\/verdict: must be equal to one of the allowed values \(pass, warn, fail, inconclusive\)/,
    ],
  ])('refuses %s with one line naming the field', async (_name, edit, pattern) => {
    await refused(edited(edit), pattern);
  });

  it('accepts an "inconclusive" verdict and fields it does not know (adding a field is allowed)', async () => {
    const text = edited((r) => {
      r.verdict = 'inconclusive';
      r.newField = { anything: [1, 2] };
      r.checks[0].extra = 'x';
    });
    expect((await readReport(write(text))).verdict).toBe('inconclusive');
  });

  it('refuses non-JSON, non-objects, deep nesting and FIFOs', async () => {
    await refused('{', /not valid JSON/);
    await refused('[1]', /not an nn-doctor report \(no schemaVersion\)/);
    await refused(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, /nests deeper than 64 levels/);
    const fifo = join(tmp.dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    let caught: unknown;
    try {
      await readReport(fifo);
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).toMatch(/report\.fifo: is not a regular file/);
  });
});

// ---- fuzz ----

const FUZZ_CASES = 600;
const HOSTILE_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  'NaN',
  'Infinity',
  '',
  '<img src=x onerror=alert(1)>',
  'pass',
  'inputs/x',
  true,
  [],
  {},
  [1, 'a'],
  { a: 1 },
];

type Node = Record<string, unknown> | unknown[];

function mutateReport(rng: () => number, report: unknown): void {
  const slots: [Node, string | number][] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    const entries = Object.entries(v);
    for (const [k, child] of entries.slice(0, 40)) {
      slots.push([v as Node, Array.isArray(v) ? Number(k) : k]);
      walk(child, depth + 1);
    }
  };
  walk(report, 0);
  const [parent, key] = slots[Math.floor(rng() * slots.length)];
  const roll = rng();
  if (roll < 0.3 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
  else
    (parent as Record<string, unknown>)[key as string] =
      HOSTILE_VALUES[Math.floor(rng() * HOSTILE_VALUES.length)];
}

describe(`report fuzz (${FUZZ_CASES} mutated reports)`, () => {
  it('renders (terminal, Markdown, HTML), replays, or refuses with a UsageError — never crashes', async () => {
    const rng = createRng(8);
    const bases = [asJson(healthyReport()), asJson(faultyReport())];
    const crashes: string[] = [];
    const outcomes = { rendered: 0, refused: 0 };
    const args = parseReportArgs(['x.json', '--replay']) as Extract<
      ReturnType<typeof parseReportArgs>,
      { help: false }
    >;
    for (let i = 0; i < FUZZ_CASES; i++) {
      const report = JSON.parse(bases[i % 2]);
      const mutations = 1 + Math.floor(rng() * 3);
      for (let m = 0; m < mutations; m++) mutateReport(rng, report);
      const path = write(JSON.stringify(report));
      try {
        let saved: Report = await readReport(path);
        if (i % 3 === 0) saved = replayReport(saved, args);
        renderTerminal(saved);
        const md = renderMarkdown(saved);
        expect(md).not.toContain('<img');
        if (i % 30 === 0) expect(renderHtml(saved)).not.toContain('<img src=x');
        outcomes.rendered++;
      } catch (err) {
        if (err instanceof UsageError) outcomes.refused++;
        else
          crashes.push(
            `case ${i}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 300),
          );
      }
    }
    console.log(
      `report fuzz: ${FUZZ_CASES} cases, ${outcomes.rendered} rendered, ${outcomes.refused} refused, ${crashes.length} crashes`,
    );
    expect(crashes).toEqual([]);
    expect(outcomes.rendered).toBeGreaterThan(FUZZ_CASES / 20);
  }, 300_000);
});
