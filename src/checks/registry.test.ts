// The registry agrees with itself: the check files, the sections' lists, the public ids
// (CHECK_IDS) and the published schema name the same checks. Adding a check without its list
// entry, its id or a fresh schema fails here, in seconds, not in the packed-package test.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../core/build-report.ts';
import { type AnyCheck, CHECK_IDS, SECTIONS } from '../core/check.ts';
import { withExtraChecks } from '../core/registry.ts';
import { renderJson } from '../core/report-json.ts';
import { parseReport } from '../core/report-parse.ts';
import { activationsChecks } from './activations/index.ts';
import { distributedChecks } from './distributed/index.ts';
import { dataset } from './fixtures.ts';
import { ALL_CHECKS } from './index.ts';
import { inputsChecks } from './inputs/index.ts';
import { lossChecks } from './loss/index.ts';
import { modelChecks } from './model/index.ts';
import { otherChecks } from './other/index.ts';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../core/report.schema.json', import.meta.url));

const LISTS: Record<keyof typeof SECTIONS, AnyCheck[]> = {
  inputs: inputsChecks,
  model: modelChecks,
  loss: lossChecks,
  activations: activationsChecks,
  other: otherChecks,
  distributed: distributedChecks,
};

/** Every module of a section folder that default-exports a check, by file. */
async function checkFiles(): Promise<Map<string, AnyCheck>> {
  const out = new Map<string, AnyCheck>();
  for (const section of Object.keys(SECTIONS)) {
    for (const name of readdirSync(join(DIR, section))) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name === 'index.ts') continue;
      const mod = await import(`./${section}/${name}`);
      const value = mod.default as AnyCheck | undefined;
      if (value && typeof value.evaluate === 'function') out.set(`${section}/${name}`, value);
    }
  }
  return out;
}

describe('the check registry', () => {
  it('has a folder and a list for every section, and nothing else', () => {
    const folders = readdirSync(DIR, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.sort()).toEqual(Object.keys(SECTIONS).sort());
    expect(Object.keys(LISTS).sort()).toEqual(Object.keys(SECTIONS).sort());
  });

  it('lists every check file once, in its own section, under the id its path names', async () => {
    const files = await checkFiles();
    expect(files.size).toBeGreaterThan(20);
    const listed = Object.values(LISTS).flat();
    expect(new Set(listed).size).toBe(listed.length);
    expect([...files.values()].every((c) => listed.includes(c))).toBe(true);
    expect(listed.every((c) => [...files.values()].includes(c))).toBe(true);
    for (const [path, check] of files) {
      expect(check.id, path).toBe(path.replace(/\.ts$/, ''));
      expect(check.section, path).toBe(path.split('/')[0]);
      expect(LISTS[check.section as keyof typeof LISTS], path).toContain(check);
    }
  });

  it('has a test file beside every check file', async () => {
    for (const path of (await checkFiles()).keys())
      expect(readdirSync(join(DIR, path.split('/')[0])), path).toContain(
        basename(path).replace(/\.ts$/, '.test.ts'),
      );
  });

  it('ALL_CHECKS is the sections in checklist order, and CHECK_IDS its ids', () => {
    expect(ALL_CHECKS).toEqual(Object.values(LISTS).flat());
    expect(ALL_CHECKS.map((c) => c.id)).toEqual([...CHECK_IDS]);
  });

  it('ranks every check among causes once (no two share a rank: the tie-break must decide)', () => {
    const ranks = ALL_CHECKS.map((c) => c.causeRank);
    expect(ranks.every((r) => Number.isFinite(r))).toBe(true);
    expect(new Set(ranks).size).toBe(ranks.length);
  });

  it('the published schema names exactly these ids (run `npm run schema` after adding one)', () => {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
    expect(schema.definitions.CheckId.anyOf[0].enum).toEqual([...CHECK_IDS]);
  });
});

describe('extra checks (the plugin point)', () => {
  const extra = {
    ...ALL_CHECKS[0],
    id: 'inputs/my-check',
  };

  it('come after the built-in ones', () => {
    const checks = withExtraChecks(ALL_CHECKS, [extra]);
    expect(checks.map((c) => c.id)).toEqual([...CHECK_IDS, 'inputs/my-check']);
    expect(withExtraChecks(ALL_CHECKS, undefined)).toBe(ALL_CHECKS);
  });

  it.each([
    [{ ...extra, id: 'inputs/class-balance' }, /\[0\]: id 'inputs\/class-balance' is already taken/],
    [{ ...extra, id: 'MyCheck' }, /is not SECTION\/NAME/],
    [{ ...extra, id: 'loss/my-check' }, /must start with its section 'inputs\/'/],
    [{ ...extra, section: 'misc' }, /section 'misc' is not one of/],
    [{ ...extra, needs: ['weights'] }, /unknown evidence 'weights'/],
    [{ ...extra, evaluate: undefined }, /needs an evaluate and an explain function/],
    [{ ...extra, live: undefined }, /needs a live rule/],
    [{ ...extra, causeRank: Number.NaN }, /causeRank must be a finite number/],
    [{ ...extra, reasons: undefined }, /needs a reasons list/],
  ])('are refused with a usage error naming the option: %#', (bad, message) => {
    expect(() => withExtraChecks(ALL_CHECKS, [bad as never], 'options.extraChecks')).toThrow(message);
  });

  it('report like built-in ones, and the report reads back (the schema admits their ids)', () => {
    const evidence = { source: 'replay' as const, dataset: dataset() };
    const report = buildReport({ checks: withExtraChecks(ALL_CHECKS, [extra]), evidence });
    const mine = report.checks.find((c) => c.id === ('inputs/my-check' as string));
    expect(mine?.status).toBe(report.checks.find((c) => c.id === ALL_CHECKS[0].id)?.status);
    expect(parseReport(renderJson(report), 'report.json').checks.map((c) => c.id)).toContain(
      'inputs/my-check',
    );
  });

  it('may not repeat each other', () => {
    expect(() => withExtraChecks(ALL_CHECKS, [extra, extra])).toThrow(
      "options.extraChecks[1]: id 'inputs/my-check' is already taken",
    );
  });
});
