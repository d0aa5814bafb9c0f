import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.ts';
import { renderCheckList } from '../cli/checks.ts';
import { createProgress } from '../cli/progress.ts';
import { CHECK_IDS } from '../core/check.ts';
import { renderTerminal } from './terminal.ts';
import { faultyReport, healthyReport, inconclusiveReport } from './testing/fixtures.ts';

describe('terminal report', () => {
  it('lists every check under its section, then the diagnosis and the remedies of what failed', () => {
    const report = faultyReport();
    const text = renderTerminal(report);
    // Every check is named, but a section none of whose checks applies is one line.
    for (const c of report.checks)
      expect(text).toContain(c.section === 'distributed' ? 'distributed/* (5 checks)' : c.id);
    const sections = [
      'Inputs',
      'Model architecture & initialization',
      'Loss',
      'Activation functions',
      'Other',
    ];
    const positions = sections.map((s) => text.indexOf(`\n${s}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('Verdict: FAIL');
    expect(text.indexOf(report.diagnosis.summary.split(' ').slice(0, 4).join(' '))).toBeLessThan(
      positions[0],
    );
    const failing = report.checks.filter((c) => c.status === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    for (const c of failing) expect(text).toContain(`Do: ${c.remedy?.split(' ').slice(0, 3).join(' ')}`);
    expect(text.includes('\u001b[')).toBe(false); // no colour unless asked
  });

  it('points a failed checkup whose fixes were not tried at --verify on, and no other report', () => {
    const faulty = faultyReport();
    expect(faulty.remedies).toBeUndefined();
    expect(renderTerminal(faulty)).toContain('add --verify on to try the candidate fixes');
    expect(renderTerminal(healthyReport())).not.toContain('--verify');
    expect(renderTerminal(inconclusiveReport())).not.toContain('--verify');
  });

  it('colours statuses only when asked, and cuts passing lines only when asked', () => {
    const report = healthyReport();
    expect(renderTerminal(report, { color: true })).toContain('\u001b[32m[PASS]');
    const long = report.checks.find((c) => c.status === 'pass' && c.summary.length > 80);
    expect(long).toBeDefined();
    expect(renderTerminal(report, { width: 80 })).toContain(long?.summary);
    expect(renderTerminal(report, { width: 80, truncate: true })).not.toContain(long?.summary);
    expect(CHECK_IDS.length).toBeGreaterThan(20);
  });
});

describe('terminal report: sections that do not apply', () => {
  it('folds a section whose checks all skip for one reason into one line; the JSON keeps them all', () => {
    const report = healthyReport();
    const distributed = report.checks.filter((c) => c.section === 'distributed');
    expect(distributed.length).toBe(5);
    expect(new Set(distributed.map((c) => `${c.status} ${c.summary}`)).size).toBe(1);
    const lines = renderTerminal(report).split('\n');
    const folded = lines.filter((l) => l.includes('distributed/'));
    expect(folded).toEqual([`  [SKIP] ${'distributed/* (5 checks)'.padEnd(27)} ${distributed[0].summary}`]);
    // On a terminal (truncate) the folded line is cut to one screen line like any skip line.
    const cut = renderTerminal(report, { width: 100, truncate: true })
      .split('\n')
      .filter((l) => l.includes('distributed/'));
    expect(cut).toHaveLength(1);
    expect(cut[0].length).toBeLessThanOrEqual(100);
  });

  it('keeps one line per check when the reasons differ or one check applies', () => {
    const report = healthyReport();
    const [first] = report.checks.filter((c) => c.section === 'distributed');
    first.summary = 'a reason of its own';
    const text = renderTerminal(report);
    expect(text).not.toContain('distributed/* (');
    for (const c of report.checks.filter((x) => x.section === 'distributed')) expect(text).toContain(c.id);
    const passing = healthyReport();
    const one = passing.checks.find((c) => c.section === 'distributed');
    if (one) one.status = 'pass';
    expect(renderTerminal(passing)).not.toContain('distributed/* (');
  });
});

describe('terminal report: inconclusive', () => {
  it('says INCONCLUSIVE, never PASS, when no check could run', () => {
    const report = inconclusiveReport();
    expect(report.verdict).toBe('inconclusive');
    const text = renderTerminal(report);
    expect(text).toContain('Verdict: INCONCLUSIVE');
    expect(text).not.toContain('Verdict: PASS');
    expect(text).toContain('Inconclusive: no check could judge this run');
    expect(renderTerminal(report, { color: true })).toContain('\u001b[1;35mVerdict: INCONCLUSIVE');
  });
});

describe('progress on stderr', () => {
  function fakeStream(isTTY: boolean) {
    const writes: string[] = [];
    return {
      writes,
      stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream,
    };
  }
  it('shows which probe and how far on a terminal, and clears the line at the end', () => {
    const { writes, stream } = fakeStream(true);
    const p = createProgress(false, stream);
    p.update({ probe: 'training', done: 0, total: 100 });
    p.update({ probe: 'training', done: 100, total: 100 });
    p.done();
    expect(writes.join('')).toContain('training');
    expect(writes.join('')).toContain('100/100');
    expect(writes.at(-1)).toBe('\r\u001b[2K');
  });
  it('is silent with --quiet, on a terminal or not (src/cli/progress.test.ts: the plain lines)', () => {
    for (const [quiet, tty] of [
      [true, true],
      [true, false],
    ] as const) {
      const { writes, stream } = fakeStream(tty);
      const p = createProgress(quiet, stream);
      p.update({ probe: 'training', done: 1, total: 2 });
      p.done();
      expect(writes).toEqual([]);
    }
  });
});

describe('nn-doctor checks (the list)', () => {
  it('lists every check id with each threshold name, default and source', () => {
    const text = renderCheckList();
    for (const check of ALL_CHECKS) {
      expect(text).toContain(check.id);
      for (const [name, t] of Object.entries(check.thresholds))
        expect(text).toContain(`${name} = ${t.value}: `);
    }
  });
});
