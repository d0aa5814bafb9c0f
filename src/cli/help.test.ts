// Every flag a command's parser accepts is explained in its --help, and nothing else is; the
// "did you mean" suggestions find typos and leave unrelated words alone.
import { describe, expect, it } from 'vitest';
import { FLAGS as CHECK_FLAGS } from './check.ts';
import { FLAGS as CHECKS_FLAGS } from './checks.ts';
import { FLAGS as DIAGNOSE_FLAGS } from './diagnose.ts';
import { COMMANDS, type Command, commandHelp, explainedFlags, overview } from './help.ts';
import { FLAGS as REPORT_FLAGS } from './report.ts';
import { closest, didYouMean } from './suggest.ts';
import { FLAGS as WATCH_FLAGS } from './watch.ts';

const PARSED: Record<Command, object> = {
  check: CHECK_FLAGS,
  diagnose: DIAGNOSE_FLAGS,
  watch: WATCH_FLAGS,
  report: REPORT_FLAGS,
  checks: CHECKS_FLAGS,
};

describe('--help of each command', () => {
  it.each(COMMANDS)('%s: explains exactly the flags its parser accepts', (command) => {
    expect(explainedFlags(command).sort()).toEqual(Object.keys(PARSED[command]).sort());
    const help = commandHelp(command);
    expect(help).toMatch(new RegExp(`^usage: nn-doctor ${command}\\b`));
    for (const name of Object.keys(PARSED[command])) expect(help).toContain(`--${name}`);
  });

  it('the overview names every command', () => {
    for (const command of COMMANDS) expect(overview()).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});

describe('did you mean', () => {
  it.each([
    ['dignose', ['check', 'diagnose', 'watch'], 'diagnose'],
    ['chekc', ['check', 'checks', 'diagnose'], 'check'],
    ['--htlm', ['--html', '--json', '--md'], '--html'],
    ['loss/lerning-rate', ['loss/learning-rate', 'loss/initial-loss'], 'loss/learning-rate'],
    ['DIAGNOSE', ['diagnose'], 'diagnose'],
  ])('%s → %s', (input, known, expected) => {
    expect(closest(input, known)).toBe(expected);
    expect(didYouMean(input, known)).toBe(` (did you mean '${expected}'?)`);
  });

  it.each([
    ['foo', ['check', 'diagnose']],
    ['--everything', ['--html', '--json']],
    ['check', ['check']], // an exact name is not a typo
  ])('%s: no suggestion', (input, known) => {
    expect(closest(input, known)).toBeNull();
    expect(didYouMean(input, known)).toBe('');
  });
});
