// Output safety: an output path is refused before any work when it is an input (by path, through a
// symlink, as a hard link), another output, a folder, a FIFO, or in a folder that is missing or
// unwritable; writing is atomic, all-or-nothing across outputs, keeps a symlink and a file's mode,
// and leaves no temporary file behind.

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { makeTempDir } from '../data/testing.ts';
import { type OutputFlags, pendingTempFiles, planOutputs, writeAll } from './output.ts';

const tmp = makeTempDir('nn-doctor-output-');
afterAll(() => tmp.cleanup());
const at = (name: string) => join(tmp.dir, name);

function refused(flags: OutputFlags, inputs: { path: string; what: string }[], pattern: RegExp): void {
  let caught: unknown;
  try {
    planOutputs(flags, inputs);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as Error).message).toMatch(pattern);
  expect((caught as Error).message).not.toContain('\n');
}

/** No temporary file of nn-doctor's in `dir`. */
function noTemps(dir: string): void {
  expect(readdirSync(dir).filter((f) => f.includes('.nn-doctor-'))).toEqual([]);
  expect(pendingTempFiles()).toBe(0);
}

describe('planOutputs refuses before any work', () => {
  const model = tmp.file('model.json', '{"modelTopology":{}}');
  const shard = tmp.file('group1-shard1of1.bin', new Uint8Array(16));
  const data = tmp.file('x.npy', 'x');
  const inputs = [
    { path: model, what: '--model' },
    { path: shard, what: 'a weight file of --model' },
    { path: data, what: '--data' },
  ];

  it('an input given as an output, by the same or another spelling of its path', () => {
    refused({ json: model }, inputs, /--json .*model\.json: is an input of this command \(--model\)/);
    refused({ html: shard }, inputs, /is an input of this command \(a weight file of --model\)/);
    refused({ md: join(tmp.dir, '.', 'x.npy') }, inputs, /is an input of this command \(--data\)/);
  });

  it('an input reached through a symlink or a hard link', () => {
    const link = at('link-to-model.json');
    symlinkSync(model, link);
    refused({ json: link }, inputs, /is an input of this command \(--model\)/);
    const hard = at('hard-link.npy');
    linkSync(data, hard);
    refused({ md: hard }, inputs, /is an input of this command \(--data\)/);
  });

  it('the same file for two outputs (directly, via a symlink, via a hard link)', () => {
    refused({ json: at('r.json'), md: at('r.json') }, [], /--md .*r\.json: is also --json .*r\.json/);
    const target = tmp.file('t.html', 'old');
    symlinkSync(target, at('t-link.html'));
    refused({ json: target, html: at('t-link.html') }, [], /is also --json/);
    linkSync(target, at('t-hard.html'));
    refused({ json: target, md: at('t-hard.html') }, [], /is also --json/);
  });

  it('a folder, a FIFO, a missing folder, a file in the way of the folder', () => {
    mkdirSync(at('a-folder'));
    refused({ json: at('a-folder') }, [], /is a folder, not a file/);
    execFileSync('mkfifo', [at('fifo.json')]);
    refused({ json: at('fifo.json') }, [], /is not a regular file \(a FIFO, device or socket\)/);
    refused({ json: at('missing/r.json') }, [], /folder .*missing does not exist/);
    refused({ json: join(data, 'r.json') }, [], /x\.npy is not a folder/);
    refused({ json: '' }, [], /--json: needs a file path/);
  });

  it('an unwritable folder (probed by creating a file: holds for root too)', () => {
    if (process.getuid?.() === 0) {
      // root writes through permission bits; /proc refuses new files to everyone.
      refused({ json: '/proc/nn-doctor-report.json' }, [], /folder \/proc is not writable/);
    } else {
      const locked = at('locked');
      mkdirSync(locked);
      chmodSync(locked, 0o555);
      refused({ json: join(locked, 'r.json') }, [], /folder .*locked is not writable/);
      chmodSync(locked, 0o755);
    }
    noTemps(tmp.dir);
  });

  it('a read-only file, by its permission bits: refused for root too (access() says yes to root)', () => {
    const locked = tmp.file('locked-report.json', 'old');
    chmodSync(locked, 0o444);
    refused(
      { json: locked },
      [],
      /--json .*locked-report\.json: the file is read-only; nn-doctor does not replace it/,
    );
    const link = at('link-to-locked.json');
    symlinkSync(locked, link);
    refused({ md: link }, [], /the file is read-only/);
    expect(readFileSync(locked, 'utf8')).toBe('old');
    noTemps(tmp.dir);
  });

  it('open streams: -, /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N; two outputs on one refused', () => {
    for (const [path, fd] of [
      ['-', 1],
      ['/dev/stdout', 1],
      ['/dev/stderr', 2],
      ['/dev/fd/2', 2],
      ['/proc/self/fd/1', 1],
    ] as const) {
      const [out] = planOutputs({ json: path });
      expect(out.fd).toBe(fd);
    }
    refused({ json: '-', md: '/proc/self/fd/1' }, [], /--md \/proc\/self\/fd\/1: is also --json -/);
    refused({ json: '/dev/fd/987654' }, [], /descriptor 987654 is not open/);
  });

  it('a symlink to a missing file (refused: the link would be replaced or written nowhere)', () => {
    symlinkSync(at('nowhere.json'), at('dangling.json'));
    refused({ json: at('dangling.json') }, [], /is a symbolic link to a missing file/);
  });

  it('accepts distinct new and existing files, and names the target it will replace', () => {
    const existing = tmp.file('old-report.md', 'old');
    const plan = planOutputs({ json: at('new.json'), md: existing }, inputs);
    expect(plan.map((p) => [p.flag, p.target])).toEqual([
      ['json', join(realpathSync(tmp.dir), 'new.json')],
      ['md', realpathSync(existing)],
    ]);
  });
});

describe('writeAll', () => {
  it('writes every output atomically and leaves no temporary file', () => {
    const plan = planOutputs({ json: at('w.json'), md: at('w.md') });
    writeAll(plan.map((out) => ({ out, content: `content of ${out.flag}` })));
    expect(readFileSync(at('w.json'), 'utf8')).toBe('content of json');
    expect(readFileSync(at('w.md'), 'utf8')).toBe('content of md');
    noTemps(tmp.dir);
  });

  it('writes through a symlink: the link stays, its target is replaced, its mode kept', () => {
    const target = tmp.file('real-target.json', 'old');
    chmodSync(target, 0o666); // wider than the umask allows a new file
    const link = at('out-link.json');
    symlinkSync(target, link);
    writeAll(planOutputs({ json: link }).map((out) => ({ out, content: 'new' })));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(statSync(target).mode & 0o777).toBe(0o666);
  });

  it('a failure while writing one output changes none of them', () => {
    const first = tmp.file('keep-1.json', 'original 1');
    const dir2 = at('vanishing');
    mkdirSync(dir2);
    const second = join(dir2, 'keep-2.md');
    writeFileSync(second, 'original 2');
    const plan = planOutputs({ json: first, md: second });
    // The second output's folder disappears after planning (e.g. removed during the run).
    rmSync(dir2, { recursive: true });
    let caught: unknown;
    try {
      writeAll(plan.map((out) => ({ out, content: 'new' })));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as Error).message).toMatch(
      /--md .*keep-2\.md: cannot be written \(ENOENT\); no report file was changed/,
    );
    expect(readFileSync(first, 'utf8')).toBe('original 1');
    noTemps(tmp.dir);
  });
});
