// The CLI as a first-time user meets it (git's, npm's and eslint's conventions): bare `nn-doctor`
// prints a short help, --version the version, every command's --help its flags (exit 0), and a
// mistyped command, flag or check id gets a "did you mean" (exit 2, one line).
import { describe, expect, it } from 'vitest';
import { FLAGS as CHECK_FLAGS } from '../src/cli/check.ts';
import { COMMANDS } from '../src/cli/help.ts';
import { TOOL_VERSION } from '../src/core/version.ts';
import { cli } from './run-cli.ts';

// Each case is its own process: run them side by side.
describe.concurrent('discovering the CLI', () => {
  it('bare nn-doctor prints the commands, runs nothing and exits 0', async () => {
    const r = await cli([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    for (const command of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(r.stdout).toContain('--version');
    expect(r.stdout.split('\n').length).toBeLessThan(30);
  });

  it.each([['--version'], ['-v']])('%s prints the version', async (flag) => {
    const r = await cli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${TOOL_VERSION}\n`);
  });

  it.each(COMMANDS.map((c) => [c]))('%s --help exits 0 and explains each flag', async (command) => {
    const r = await cli([command, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: nn-doctor ${command}`));
    // Each flag starts a line, its explanation beside it or (a long flag) on the next line.
    const lines = r.stdout.split('\n');
    const flags = lines.flatMap((l, i) => (/^ {2}(-h, )?--\S/.test(l) ? [i] : []));
    expect(flags.length).toBeGreaterThan(0);
    for (const i of flags) {
      const explained = /^ {2}\S+( \S+)?\s{2,}\S/.test(lines[i]) || /^ {20,}\S/.test(lines[i + 1] ?? '');
      expect(explained, lines[i]).toBe(true);
    }
    expect(r.stdout).toContain('-h, --help');
    const helpB = await cli(['help', command]);
    expect(helpB.stdout).toBe(r.stdout);
  });

  it('check --help explains every flag check takes', async () => {
    const r = await cli(['check', '--help']);
    for (const name of Object.keys(CHECK_FLAGS))
      expect(r.stdout).toMatch(new RegExp(`^  (-h, )?--${name}\\b`, 'm'));
  });

  it.each([
    [['dignose', 'runs'], /unknown command 'dignose' \(did you mean 'diagnose'\?\)/],
    [['chek'], /unknown command 'chek' \(did you mean 'check'\?\)/],
    [['help', 'wach'], /unknown command 'wach' \(did you mean 'watch'\?\)/],
    [['check', '--htlm', 'r.html'], /unknown flag '--htlm' \(did you mean '--html'\?\)/],
    [['diagnose', 'runs', '--qiet'], /unknown flag '--qiet' \(did you mean '--quiet'\?\)/],
    [['--verison'], /unknown flag '--verison' \(did you mean '--version'\?\)/],
    [['checks', '--hepl'], /unknown flag '--hepl' \(did you mean '--help'\?\)/],
    [
      ['diagnose', 'runs', '--only', 'loss/lerning-rate'],
      /--only: unknown check 'loss\/lerning-rate' \(did you mean 'loss\/learning-rate'\?\)/,
    ],
    [
      ['check', '--skip', 'activations/dead-rleu'],
      /--skip: unknown check 'activations\/dead-rleu' \(did you mean 'activations\/dead-relu'\?\)/,
    ],
    [['check', '--threshold', 'inputs/clas-balance.failRatio=3'], /did you mean 'inputs\/class-balance'\?/],
  ])('%j: a suggestion, exit 2, one line', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unrelated word gets no guess, only the list of commands', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('did you mean');
    expect(r.stderr).toContain('commands: check, diagnose, watch, report, checks');
  });
});
