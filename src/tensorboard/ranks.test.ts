// Rank layouts → one experiment per rank → the distributed checks: folders (`rank_0/`, `worker-1/`,
// `node0_gpu3/`) and ranks in the tags, end to end through diagnoseLogdir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../core/report.ts';
import { renderHtml } from '../render/html/index.ts';
import { diagnoseLogdir } from './diagnose.ts';
import { rankOfSegment, splitRankPath, splitRankTag } from './ranks.ts';
import { EventFileWriter, fakeClock } from './testing/writers.ts';

const root = mkdtempSync(join(tmpdir(), 'nn-doctor-ranks-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const status = (report: Report, id: string) => report.checks.find((c) => c.id === id);

const loss = (k: number, scale = 1) => scale * (2 * Math.exp(-k / 20) + 0.1) + 0.01 * Math.sin(k);
const norm = (k: number, drift = 0) => 5 + 0.01 * k + drift * k;

interface RankPlan {
  scale?: number;
  nanAt?: number;
  drift?: number;
}

/** A job of `plans.length` ranks, 60 steps, 0.1 s per step on every rank (one shared clock per rank). */
function writeJob(dir: string, plans: RankPlan[], folder: (r: number) => string) {
  plans.forEach((p, r) => {
    const w = new EventFileWriter('pytorch', { clock: fakeClock(1_700_000_000 + r * 0.01, 0.05) });
    for (let k = 0; k < 60; k++) {
      w.scalar('train/loss', p.nanAt !== undefined && k >= p.nanAt ? Number.NaN : loss(k, p.scale), k);
      if (k % 4 === 0) {
        w.scalar('weight_norm/module.fc1.weight', norm(k), k);
        w.scalar('weight_norm/module.fc2.weight', norm(k, p.drift ?? 0), k);
      }
    }
    w.writeTo(join(dir, folder(r)));
  });
}

describe('rank names', () => {
  it('folders and tag segments that name a rank', () => {
    expect(rankOfSegment('rank_0')?.key).toEqual([0]);
    expect(rankOfSegment('rank-12')?.key).toEqual([12]);
    expect(rankOfSegment('worker_2')?.key).toEqual([2]);
    expect(rankOfSegment('node1_gpu3')?.key).toEqual([1, 3]);
    expect(rankOfSegment('train')).toBeNull();
    expect(rankOfSegment('version_3')).toBeNull();
    expect(splitRankPath('exp1/rank_1/train')).toEqual({
      job: 'exp1/train',
      rank: { label: 'rank_1', key: [1] },
    });
    expect(splitRankTag('loss/rank_1')?.tag).toBe('loss');
    expect(splitRankTag('rank3/train/loss')?.tag).toBe('train/loss');
    expect(splitRankTag('loss_rank2')).toEqual({ tag: 'loss', rank: { label: 'rank_2', key: [2] } });
    expect(splitRankTag('train/loss')).toBeNull();
  });
});

describe('diagnose: the ranks of a data-parallel job', () => {
  const layouts: [string, (r: number) => string][] = [
    ['rank_N/', (r) => `rank_${r}`],
    ['worker-N/', (r) => `worker-${r}`],
    ['nodeN_gpuM/', (r) => `node0_gpu${r}`],
    ['job/rank_N/train', (r) => `job/rank_${r}/train`],
  ];
  for (const [name, folder] of layouts) {
    it(`${name}: a healthy job passes every distributed check it can judge`, async () => {
      const dir = join(root, `h${n++}`);
      writeJob(dir, [{}, {}, {}], folder);
      const { report } = await diagnoseLogdir(dir);
      expect(report.evidence.distributed?.ranks.map((r) => r.rank)).toEqual([0, 1, 2]);
      for (const id of [
        'distributed/non-finite',
        'distributed/loss-skew',
        'distributed/replica-divergence',
        'distributed/step-sync',
        'distributed/stragglers',
      ])
        expect(status(report, id)?.status, `${id}: ${status(report, id)?.summary}`).toBe('pass');
      expect(report.logs?.experiments).toHaveLength(3);
      // The weight norms are read (by replica divergence), not listed as tags not used.
      expect(report.logs?.unused.filter((t) => t.tag.startsWith('weight_norm/'))).toEqual([]);
      expect(report.logs?.used.filter((t) => t.tag.startsWith('weight_norm/'))).toHaveLength(2);
    });
  }

  it('a NaN rank is named with its rank and step; the others keep their own verdicts', async () => {
    const dir = join(root, `h${n++}`);
    writeJob(dir, [{}, { nanAt: 23 }], (r) => `rank_${r}`);
    const { report } = await diagnoseLogdir(dir);
    const c = status(report, 'distributed/non-finite');
    expect(c?.status).toBe('fail');
    expect(c?.measured).toMatchObject({ rank: 1, step: 23, tag: 'train/loss' });
    expect(c?.summary).toMatch(/Rank 1 .*step 23/);
    const verdicts = Object.fromEntries(report.logs?.experiments.map((e) => [e.name, e.verdict]) ?? []);
    expect(verdicts.rank_0).not.toBe('fail');
    expect(verdicts.rank_1).toBe('fail');
  });

  it('replicas drifting apart: divergence fails and names the layer; the HTML report draws the ranks side by side', async () => {
    const dir = join(root, `h${n++}`);
    writeJob(dir, [{}, { drift: 0.002 }], (r) => `rank_${r}`);
    const { report } = await diagnoseLogdir(dir);
    const c = status(report, 'distributed/replica-divergence');
    expect(c?.status).toBe('fail');
    expect(c?.measured).toMatchObject({ layer: 'fc2', weight: 'fc2.weight' });
    const html = renderHtml(report);
    const figure = /<figure[^>]*data-plot="ranks"[\s\S]*?<\/figure>/.exec(html)?.[0] ?? '';
    expect(figure).toContain('Ranks side by side (2)');
    expect(figure.match(/<svg/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('one skewed rank: loss skew names it', async () => {
    const dir = join(root, `h${n++}`);
    writeJob(dir, [{}, {}, { scale: 3 }, {}], (r) => `rank_${r}`);
    const { report } = await diagnoseLogdir(dir);
    expect(status(report, 'distributed/loss-skew')?.measured).toMatchObject({ rank: 2 });
    expect(status(report, 'distributed/loss-skew')?.status).toBe('fail');
  });

  it('ranks in the tags (loss/rank_N) are split into one experiment per rank', async () => {
    const dir = join(root, `h${n++}`);
    const w = new EventFileWriter('pytorch');
    for (let k = 0; k < 40; k++) {
      w.scalar('train/loss/rank_0', loss(k), k);
      w.scalar('train/loss/rank_1', k >= 30 ? Number.POSITIVE_INFINITY : loss(k), k);
    }
    w.writeTo(dir);
    const { report } = await diagnoseLogdir(dir);
    expect(report.evidence.distributed?.layout).toBe('tags');
    expect(status(report, 'distributed/non-finite')?.measured).toMatchObject({ rank: 1, step: 30 });
  });

  it('a single-process log: every distributed check skips, none passes', async () => {
    const dir = join(root, `h${n++}`);
    writeJob(dir, [{}], () => 'train');
    const { report } = await diagnoseLogdir(dir);
    const distributed = report.checks.filter((c) => c.section === 'distributed');
    expect(distributed).toHaveLength(5);
    for (const c of distributed) {
      expect(c.status).toBe('skip');
      expect(c.summary).toMatch(/one rank/);
    }
  });
});
