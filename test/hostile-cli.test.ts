// The hostile-input contract end to end, through the real CLI (its own process, as the installed bin runs it): outputs that
// are inputs are refused before any work (and nothing is written), an unwritable output is found
// before the run, a FIFO input does not hang, a bad report is exit 2 (never 3), and signals reach
// the checkup: SIGINT/SIGTERM to the command exit 128+n, the report is not written afterwards, and no
// temporary file is left.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReplacer } from '../src/core/report-json.ts';
import { encodeNpy, makeTempDir } from '../src/data/testing.ts';
import { faultyReport } from '../src/render/testing/fixtures.ts';
import { plantRun } from '../src/tensorboard/testing/planted.ts';
import { CLI_ARGS, cli } from './run-cli.ts';

const tmp = makeTempDir('nn-doctor-hostile-cli-');
afterAll(() => tmp.cleanup());
const at = (name: string) => join(tmp.dir, name);
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(() => {
  writeFileSync(at('x.npy'), encodeNpy(new Float32Array(8), [4, 2]));
  writeFileSync(at('y.npy'), encodeNpy([0, 1, 0, 1], [4], '<i4'));
  mkdirSync(at('logs'));
  plantRun(at('logs'), 'pytorch', 'none');
  writeFileSync(at('saved.json'), JSON.stringify(faultyReport(), jsonReplacer));
});

/** Exit 2, exactly one line on stderr matching `pattern`. */
function expectRefused(r: { code: number; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe('outputs never overwrite inputs (exit 2 before any work, nothing written)', () => {
  it('diagnose: an event file as --json', async () => {
    const event = readdirSync(at('logs'), { recursive: true, encoding: 'utf8' }).find((f) =>
      f.includes('tfevents'),
    );
    const path = join(at('logs'), event as string);
    const before = hash(path);
    const r = await cli(['diagnose', at('logs'), '--json', path, '--md', at('diag.md')]);
    expectRefused(r, /--json .*tfevents.*: is an input of this command \(event file of/);
    expect(hash(path)).toBe(before);
    expect(existsSync(at('diag.md'))).toBe(false);
  });

  it('report: the report being re-rendered as --md', async () => {
    const before = hash(at('saved.json'));
    const r = await cli(['report', at('saved.json'), '--md', at('saved.json')]);
    expectRefused(r, /is an input of this command \(the report being read\)/);
    expect(hash(at('saved.json'))).toBe(before);
  });

  it('check: --labels as --html (every input of check: src/cli/args.test.ts)', async () => {
    const before = hash(at('y.npy'));
    expectRefused(
      await cli(['check', '--data', at('x.npy'), '--labels', at('y.npy'), '--html', at('y.npy')]),
      /--html .*y\.npy: is an input of this command \(--labels\)/,
    );
    expect(hash(at('y.npy'))).toBe(before);
  });

  it('an unwritable output is found before the run, and the other outputs are not written', async () => {
    const r = await cli(['check', '--md', at('first.md'), '--json', '/proc/nn-doctor.json']);
    expectRefused(r, /--json \/proc\/nn-doctor\.json: folder \/proc is not writable/);
    expect(existsSync(at('first.md'))).toBe(false);
  });
});

describe('inputs that are not files, reports that are not reports, flags', () => {
  it('a FIFO as --model is refused at once (it hung)', async () => {
    execFileSync('mkfifo', [at('model.fifo')]);
    expectRefused(await cli(['check', '--model', at('model.fifo')]), /model\.fifo: is not a regular file/);
  });

  it('a malformed report is exit 2, not an internal error', async () => {
    const r = faultyReport() as unknown as { checks: { status: string }[] };
    r.checks[0].status = '<img src=x onerror=alert(1)>';
    writeFileSync(at('xss.json'), JSON.stringify(r, jsonReplacer));
    expectRefused(
      await cli(['report', at('xss.json'), '--md', at('xss.md')]),
      /\/checks\/0\/status: must be equal to one of/,
    );
    expect(existsSync(at('xss.md'))).toBe(false);
  });

  it('a diagnose report reads back through the schema', async () => {
    const out = at('diag.json');
    expect((await cli(['diagnose', at('logs'), '--json', out, '--quiet'])).code).toBe(0);
    const again = await cli(['report', out, '--md', at('diag-again.md'), '--quiet']);
    expect(again.code, again.stderr).toBe(0);
  });
});

// ---- signals, through the launcher ----

/** Resolves when the CLI has planned its outputs (it probes the output folder): it is past start-up. */
function whenRunning(dir: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dir, (_event, name) => {
      if (name?.startsWith('.probe.nn-doctor-')) {
        watcher.close();
        resolve();
      }
    });
  });
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function launch(args: string[]): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const ended = new Promise<Ended>((resolve) =>
    child.on('exit', (code, signal) => setTimeout(() => resolve({ code, signal, stderr }), 100)),
  );
  return { child, ended };
}

describe('signals', () => {
  for (const [signal, status] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} to the command stops the checkup: exit ${status}, no report written later, no temporary file`, async () => {
      const dir = at(`sig-${signal}`);
      mkdirSync(dir);
      const out = join(dir, 'out.json');
      const running = whenRunning(dir);
      const { child, ended } = launch(['check', '--json', out, '--quiet']);
      await running;
      child.kill(signal);
      const result = await ended;
      expect(result.code).toBe(status);
      expect(result.stderr).toContain(`nn-doctor: interrupted (${signal})`);
      await new Promise((r) => setTimeout(r, 2000)); // the old launcher's orphan wrote out.json ~2 s later
      expect(readdirSync(dir)).toEqual([]);
    }, 120_000);
  }
});
