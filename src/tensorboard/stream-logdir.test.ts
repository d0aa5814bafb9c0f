// The log directory is streamed: each experiment folder is read, handed on and dropped before the
// next is read, and a job's ranks are put side by side at the end of the job's folders, so that
// memory follows the largest job, not the folder (bench/distributed-logdir.ts measures it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseLogdir } from './diagnose.ts';
import { localRunSource, type RunSource } from './logdir.ts';
import { readingPlan, streamLogdir } from './stream-logdir.ts';
import { EventFileWriter, fakeClock } from './testing/writers.ts';
import { toEvidence } from './to-evidence.ts';

const root = mkdtempSync(join(tmpdir(), 'nn-doctor-stream-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeRun(dir: string, start: number, nanAt?: number) {
  const w = new EventFileWriter('pytorch', { clock: fakeClock(start, 0.05) });
  for (let k = 0; k < 40; k++) {
    w.scalar('train/loss', nanAt !== undefined && k >= nanAt ? Number.NaN : 2 * Math.exp(-k / 10) + 0.1, k);
    if (k % 4 === 0) w.scalar('weight_norm/fc1.weight', 5 + 0.01 * k, k);
  }
  w.writeTo(dir);
}

describe('reading plan', () => {
  it("reads an experiment's phases together and a job's ranks one after another", () => {
    const plan = readingPlan([
      'a/rank_0/train',
      'a/rank_0/validation',
      'a/rank_1/train',
      'b/train',
      'b/validation',
      'c',
      'job/worker-0',
      'job/worker-1',
    ]);
    expect(plan).toEqual([
      [['a/rank_0/train', 'a/rank_0/validation'], ['a/rank_1/train']],
      [['b/train', 'b/validation']],
      [['c']],
      [['job/worker-0'], ['job/worker-1']],
    ]);
  });
});

describe('streaming a log directory', () => {
  const dir = join(root, 'jobs');
  writeRun(join(dir, 'j1', 'rank_0'), 1_700_000_000);
  writeRun(join(dir, 'j1', 'rank_1'), 1_700_000_000.01, 30);
  writeRun(join(dir, 'j2', 'rank_0'), 1_700_000_100);
  writeRun(join(dir, 'j2', 'rank_1'), 1_700_000_100.01);
  writeRun(join(dir, 'solo'), 1_700_000_200);

  it('hands each experiment on before reading the next folder, and each job at the end of its ranks', async () => {
    const local = localRunSource(dir);
    const events: string[] = [];
    const source: RunSource = {
      runs: local.runs,
      read: (name) => {
        events.push(`read ${name}`);
        return local.read(name);
      },
    };
    const totals = await streamLogdir(source, {
      experiment(e) {
        events.push(`judge ${e.name}`);
        return toEvidence(e, { map: [], name: e.name });
      },
      jobs(jobs) {
        const named = [...jobs].map(([name, job]) => `${name}:${job.ranks.map((r) => r.rank).join('+')}`);
        events.push(`jobs ${named.join(' ')}`.trim());
        // The rank fed NaN data is named with its first non-finite step.
        const nan = [...jobs.values()].flatMap((j) => j.ranks).find((r) => r.nonFinite);
        if (nan) events.push(`nan on rank ${nan.rank} at step ${nan.nonFinite?.step}`);
      },
    });
    expect(events).toEqual([
      'read j1/rank_0',
      'judge j1/rank_0',
      'read j1/rank_1',
      'judge j1/rank_1',
      'jobs j1/rank_0:0+1 j1/rank_1:0+1',
      'nan on rank 1 at step 30',
      'read j2/rank_0',
      'judge j2/rank_0',
      'read j2/rank_1',
      'judge j2/rank_1',
      'jobs j2/rank_0:0+1 j2/rank_1:0+1',
      'read solo',
      'judge solo',
      'jobs',
    ]);
    expect(totals.files).toBe(5);
    expect(totals.problems).toEqual([]);
  });

  it('details the newest experiment with its job side by side, and lists every other', async () => {
    const { report } = await diagnoseLogdir(dir);
    expect(report.logs?.experiment).toBe('solo');
    expect(report.logs?.experiments.map((e) => e.name)).toEqual([
      'solo',
      'j2/rank_1',
      'j2/rank_0',
      'j1/rank_1',
      'j1/rank_0',
    ]);
    expect(report.logs?.experiments.find((e) => e.name === 'j1/rank_1')?.verdict).toBe('fail');
    // The newest rank of a job, once the solo run is gone: its job's ranks are on its evidence.
    rmSync(join(dir, 'solo'), { recursive: true });
    const job = (await diagnoseLogdir(dir)).report;
    expect(job.logs?.experiment).toBe('j2/rank_1');
    expect(job.evidence.distributed?.ranks.map((r) => r.label)).toEqual(['rank_0', 'rank_1']);
    expect(job.checks.find((c) => c.id === 'distributed/replica-divergence')?.status).toBe('pass');
  });
});
