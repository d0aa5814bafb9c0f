// `nn-doctor diagnose` end to end on log directories written the way the real writers write them.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../src/data/testing.ts';
import { type Fault, plantRun } from '../src/tensorboard/testing/planted.ts';
import { cli } from './run-cli.ts';

const tmp = makeTempDir('nn-doctor-diagnose-');
afterAll(() => tmp.cleanup());

function logdir(name: string, fault: Fault): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  plantRun(dir, 'pytorch', fault);
  return dir;
}

describe('nn-doctor diagnose', () => {
  it('a healthy PyTorch-style run raises no fail and exits 0', async () => {
    const r = await cli([
      'diagnose',
      logdir('healthy', 'none'),
      '--quiet',
      '--json',
      join(tmp.dir, 'healthy.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(tmp.dir, 'healthy.json'), 'utf8'));
    expect(report.evidence.source).toBe('tensorboard');
    expect(report.checks.filter((c: { status: string }) => c.status === 'fail')).toEqual([]);
  });

  it('a run whose loss explodes to NaN fails and exits 1', async () => {
    const r = await cli([
      'diagnose',
      logdir('exploding', 'exploding'),
      '--json',
      join(tmp.dir, 'exploding.json'),
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('Verdict: FAIL');
    const report = JSON.parse(readFileSync(join(tmp.dir, 'exploding.json'), 'utf8'));
    const failing = report.checks
      .filter((c: { status: string }) => c.status === 'fail')
      .map((c: { id: string }) => c.id);
    expect(failing).toEqual(expect.arrayContaining(['loss/non-finite']));
  });

  it('bad input: a missing folder or a bad --map exits 2 with one line, nothing written', async () => {
    for (const args of [
      ['diagnose', join(tmp.dir, 'nope')],
      ['diagnose', logdir('m', 'none'), '--map', 'noequals'],
    ]) {
      const out = join(tmp.dir, 'bad.json');
      const r = await cli([...args, '--json', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
  });
});
