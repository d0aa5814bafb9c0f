// The output half of the hostile-input contract, through the real CLI in its own process:
// - reports written to the streams the command has open (`-`, /dev/stdout, /dev/stderr,
//   /proc/self/fd/N) into pipes and files, with the terminal report moved out of their way;
// - a signal during the write phase never ends in a signal exit with a replaced file;
// - a file name with control characters gives one escaped line on stderr;
// - `report --md` of a schema-valid report with 2,000,000 warnings.
// The signal is raised from inside the write phase by a preloaded module that wraps node:fs (no
// hook in nn-doctor): the outcome does not depend on how fast the machine is.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReplacer } from '../src/core/report-json.ts';
import { validateReport } from '../src/core/report-parse.ts';
import { makeTempDir } from '../src/data/testing.ts';
import { faultyReport } from '../src/render/testing/fixtures.ts';
import { CLI_ARGS } from './run-cli.ts';

const tmp = makeTempDir('nn-doctor-outputs-cli-');
afterAll(() => tmp.cleanup());
const at = (name: string) => join(tmp.dir, name);
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  fd3: string;
}

/** Runs the CLI; `stdout` may be a file descriptor (a redirection), fd 3 is a pipe. */
function run(args: string[], opts: { stdout?: number; preload?: string } = {}): Promise<Run> {
  const node = opts.preload ? ['--import', pathToFileURL(opts.preload).href] : [];
  const child = spawn(process.execPath, [...node, ...CLI_ARGS, ...args], {
    stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '', fd3: '' };
  child.stdout?.on('data', (d) => {
    out.stdout += d;
  });
  child.stderr?.on('data', (d) => {
    out.stderr += d;
  });
  (child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (d) => {
    out.fd3 += d;
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, ...out })));
}

const saved = at('saved.json');
beforeAll(() => {
  writeFileSync(saved, JSON.stringify(faultyReport(), jsonReplacer));
});

describe('reports to open streams', () => {
  it('--json /dev/stdout and --json - into a pipe: the whole report, exit 1; the terminal report on stderr', async () => {
    for (const path of ['/dev/stdout', '-']) {
      const r = await run(['report', saved, '--json', path]);
      expect(r.code, r.stderr).toBe(1);
      expect(validateReport(JSON.parse(r.stdout))).toBeNull();
      expect(r.stderr).toContain('nn-doctor checkup');
    }
  }, 120_000);

  it('/dev/stderr and /proc/self/fd/3 into pipes, --quiet: nothing else on them', async () => {
    const r = await run(['report', saved, '--md', '/dev/stderr', '--json', '/proc/self/fd/3', '--quiet']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.startsWith('# nn-doctor checkup: ❌ FAIL')).toBe(true);
    expect(validateReport(JSON.parse(r.fd3))).toBeNull();
    expect(r.stdout).toBe('');
  }, 120_000);

  it('/dev/stdout redirected to a file (`> out.json`)', async () => {
    const path = at('redirected.json');
    const fd = openSync(path, 'w');
    try {
      const r = await run(['report', saved, '--json', '/dev/stdout', '--quiet'], { stdout: fd });
      expect(r.code, r.stderr).toBe(1);
    } finally {
      closeSync(fd);
    }
    expect(validateReport(JSON.parse(readFileSync(path, 'utf8')))).toBeNull();
  }, 120_000);

  it('two outputs on one stream, a stream redirected onto the input: exit 2, one line', async () => {
    const twin = await run(['report', saved, '--json', '-', '--md', '/dev/stdout']);
    expect(twin.code).toBe(2);
    expect(twin.stderr).toMatch(
      /^nn-doctor: --md \/dev\/stdout: is also --json -; give each output its own file\n$/,
    );
    const before = hash(saved);
    const fd = openSync(saved, 'r+'); // the stream is the input itself (no truncation here)
    try {
      const onto = await run(['report', saved, '--json', '/dev/stdout'], { stdout: fd });
      expect(onto.code).toBe(2);
      expect(onto.stderr).toMatch(/is an input of this command \(the report being read\)/);
    } finally {
      closeSync(fd);
    }
    expect(hash(saved)).toBe(before);
  }, 120_000);
});

describe('signals during the write phase', () => {
  /**
   * A preload that sends the process SIGTERM at the `nth` call of `fn` on a path containing
   * `match`. (Before the fix, the rename case exited 143 with the report already replaced.)
   */
  function preload(name: string, fn: 'renameSync' | 'openSync', match: string, nth: number): string {
    return tmp.file(
      name,
      `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const real = fs.${fn};
let seen = 0;
fs.${fn} = function (path, ...rest) {
  if (String(path).includes(${JSON.stringify(match)}) && ++seen === ${nth}) {
    process.kill(process.pid, 'SIGTERM');
    // Work still pending (as a checkup's last timers are): the event loop turns once more and
    // runs the handler. Without it the process could end before Node looks at the signal.
    setTimeout(() => {}, 300);
  }
  return real.call(this, path, ...rest);
};
syncBuiltinESMExports();
`,
    );
  }

  it('SIGTERM while the outputs are renamed into place: they are all written and the exit is 1, not 143', async () => {
    const out = at('sig-rename.json');
    const md = at('sig-rename.md');
    writeFileSync(out, 'old report');
    const r = await run(['report', saved, '--json', out, '--md', md, '--quiet'], {
      preload: preload('rename.mjs', 'renameSync', '.nn-doctor-', 1),
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.signal).toBeNull();
    expect(r.stderr).toContain('nn-doctor: SIGTERM: the report is already being written; finishing');
    expect(validateReport(JSON.parse(readFileSync(out, 'utf8')))).toBeNull();
    expect(readFileSync(md, 'utf8')).toMatch(/^# nn-doctor checkup/);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.nn-doctor-'))).toEqual([]);
  }, 120_000);

  it('SIGTERM when the outputs are planned again after the run: a signal exit leaves every output untouched', async () => {
    const out = at('sig-plan.json');
    const html = at('sig-plan.html');
    writeFileSync(out, 'old report');
    const before = hash(out);
    // The second probe of the output folder is the re-planning after the run, before rendering.
    const r = await run(['report', saved, '--json', out, '--html', html, '--quiet'], {
      preload: preload('plan.mjs', 'openSync', '.probe.nn-doctor-', 2),
    });
    // Either outcome keeps the contract; which one comes depends on when Node runs the handler.
    if (r.code === 143) {
      expect(hash(out)).toBe(before);
      expect(readdirSync(tmp.dir)).not.toContain('sig-plan.html');
      expect(r.stderr).toContain('nn-doctor: interrupted (SIGTERM)');
    } else {
      expect(r.code, r.stderr).toBe(1);
      expect(validateReport(JSON.parse(readFileSync(out, 'utf8')))).toBeNull();
    }
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.nn-doctor-'))).toEqual([]);
  }, 120_000);
});

describe('hostile strings on stderr and in big reports', () => {
  it('a file name with ESC, BEL, CR and a forged line: one line on stderr, escaped', async () => {
    const name = at('x\u001b]0;pwned\u0007\u001b[2J\r\nnn-doctor: all checks passed\n.json');
    const r = await run(['report', name]);
    expect(r.code).toBe(2);
    expect(r.stderr.endsWith('\n')).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the test
    expect(r.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(r.stderr).toContain('x\\x1b]0;pwned\\x07\\x1b[2J\\r\\nnn-doctor: all checks passed\\n.json');
  }, 120_000);

  it('report --md of a schema-valid report with 2,000,000 warnings (it overflowed the stack: exit 3)', async () => {
    const report = faultyReport();
    report.warnings = Array.from({ length: 2_000_000 }, (_, i) => `w${i}`);
    const big = tmp.file('big.json', JSON.stringify(report, jsonReplacer));
    const md = at('big.md');
    const r = await run(['report', big, '--md', md, '--quiet']);
    expect(r.code, r.stderr).toBe(1);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('\n- w0\n');
    expect(text).toContain('\n- w1999999\n');
  }, 300_000);
});
