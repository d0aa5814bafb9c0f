// `nn-doctor watch LOGDIR` while a writer process appends to the logs (test/watch/writer.ts): the
// findings are printed in the order they became true, with their steps; a record cut in half is
// waited for, not reported as damage; a restart (SessionLog START in a new file) and a new
// validation sub-run are followed; the watch ends when told (SIGINT) or after --idle-timeout, with
// diagnose's exit code and report, holding the live findings.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/report.ts';
import { fileVersionEvent, simpleScalarEvent } from '../src/tensorboard/testing/events.ts';
import { frameRecords } from '../src/tensorboard/testing/record-writer.ts';
import { expectValidReport } from './valid-report.ts';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');
const WRITER = join(import.meta.dirname, 'watch', 'writer.ts');
const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-watch-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Watching extends Promise<{ code: number | null; stdout: string; stderr: string }> {
  /** stderr so far. */
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
}

function runWatch(args: string[]): Watching {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'watch', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const ended = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on('close', (code) => done({ code, stdout, stderr })),
  );
  return Object.assign(ended, { stderr: () => stderr, kill: (s: NodeJS.Signals) => child.kill(s) });
}

async function until(test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('nn-doctor watch on logs being written', () => {
  it('prints each finding once, in order, through a cut record, a restart and a new sub-run', async () => {
    const logdir = join(dir, 'logs');
    const json = join(dir, 'watch.json');
    const md = join(dir, 'watch.md');
    const html = join(dir, 'watch.html');
    mkdirSync(logdir);
    const watching = runWatch([
      logdir,
      '--poll',
      '100',
      '--idle-timeout',
      '60',
      '--json',
      json,
      '--md',
      md,
      '--html',
      html,
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    await new Promise<void>((done, fail) =>
      execFile(process.execPath, ['--import', 'tsx', WRITER, logdir, '250'], { cwd: ROOT }, (err) =>
        err ? fail(err) : done(),
      ),
    );
    // Told to stop once it has read the whole log: the report is still written.
    await until(() => /new run: validation/.test(watching.stderr()));
    await new Promise((r) => setTimeout(r, 500));
    watching.kill('SIGINT');
    const { code, stdout, stderr } = await watching;
    const lines = stdout.split('\n').filter((l) => l.startsWith('step '));
    const found = lines.map((l) => /^step (\d+)\s+(FAIL|WARN)\s+(\S+)/.exec(l)?.slice(1));
    // Exploding gradients (from step 80) before the NaN loss (step 120), each once.
    const ids = found.map((f) => f?.[2]);
    expect(ids).toContain('other/exploding-gradients');
    expect(ids).toContain('loss/non-finite');
    expect(ids.indexOf('other/exploding-gradients')).toBeLessThan(ids.indexOf('loss/non-finite'));
    expect(new Set(ids).size).toBe(ids.length);
    const stepOf = (id: string) => Number(found.find((f) => f?.[2] === id)?.[0]);
    expect(stepOf('other/exploding-gradients')).toBeGreaterThanOrEqual(80);
    expect(stepOf('other/exploding-gradients')).toBeLessThan(120);
    expect(stepOf('loss/non-finite')).toBeGreaterThanOrEqual(120);
    const steps = found.map((f) => Number(f?.[0]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // The half-written record was waited for; the restart and the new sub-run were noticed.
    expect(stderr).not.toMatch(/corrupt|truncated|undecodable/);
    expect(stderr).toMatch(/training restarted at step 100/);
    expect(stderr).toMatch(/new run: validation/);
    expect(stderr).toMatch(/SIGINT: watch ended/);
    // Diagnose's exit code: a check failed (the gradient explosion before the restart point stays).
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expectValidReport(report);
    expect(report.settings.command).toBe('watch');
    expect(report.watch?.findings.map((f) => f.id)).toEqual(ids);
    expect(report.evidence.training?.valLoss?.values.length).toBeGreaterThan(5);
    // Every report format lists the live findings with their steps.
    expect(stdout).toMatch(/Found while watching/);
    expect(readFileSync(md, 'utf8')).toMatch(
      /## Found while watching[\s\S]*\| \d+ \| FAIL \| other\/exploding-gradients/,
    );
    expect(readFileSync(html, 'utf8')).toMatch(/id="watch"[\s\S]*data-check-id="loss\/non-finite"/);
    // The record completed after the cut was read whole.
    expect(report.logs?.unused.map((t) => t.tag)).toContain('note/half');
  });

  it('stops after --idle-timeout seconds without a new record', async () => {
    const run = join(dir, 'idle');
    mkdirSync(run);
    const records = [fileVersionEvent(1)];
    for (let s = 0; s < 20; s++) records.push(simpleScalarEvent(1 + s, s, 'train/loss', 2 - s / 20));
    writeFileSync(join(run, 'events.out.tfevents.1.host'), frameRecords(records).bytes);
    const json = join(dir, 'idle.json');
    const { code, stderr } = await runWatch([run, '--poll', '100', '--idle-timeout', '1', '--json', json]);
    expect(stderr).toMatch(/no new record for 1 s: stopping/);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expectValidReport(report);
    expect(report.watch?.steps).toBe(20);
  });

  it('refuses a log directory that does not exist, and a bad flag, with exit 2', async () => {
    const missing = await runWatch([join(dir, 'nope'), '--idle-timeout', '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such directory/);
    const bad = await runWatch([dir, '--serve', '--port', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--serve/);
    // An output path that is one of the event files being watched is refused before watching.
    const run = join(dir, 'refuse');
    mkdirSync(run);
    const events = join(run, 'events.out.tfevents.1.host');
    writeFileSync(events, '');
    const onInput = await runWatch([run, '--idle-timeout', '1', '--json', events]);
    expect(onInput.code).toBe(2);
    expect(onInput.stderr).toMatch(/--json .*is an input of this command/);
    expect(readFileSync(events, 'utf8')).toBe('');
  });
});
