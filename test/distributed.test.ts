// A real data-parallel job: two processes of Debian's PyTorch on torch.distributed (gloo, on
// 127.0.0.1), each rank logging through python/nn_doctor_log.py into its own rank_N sub-run, then
// `diagnose` of the job's log directory. A healthy DDP job gets no fail; NaN data on rank 1 is
// named with rank 1; plain models without gradient averaging fail replica divergence, naming a layer.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseLogdir } from '../src/tensorboard/diagnose.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'python', 'train_ddp.py');

function hasGloo(): boolean {
  try {
    execFileSync(
      PYTHON,
      ['-c', 'import torch.distributed as d; assert d.is_available() and d.is_gloo_available()'],
      {
        stdio: 'ignore',
      },
    );
    return true;
  } catch {
    return false;
  }
}
const HAS_GLOO = hasGloo();

/** A port free on 127.0.0.1 now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs both ranks of the job to the end; rejects with their output when one fails. */
async function train(logdir: string, mode: string): Promise<string[]> {
  const port = await freePort();
  const ranks = [0, 1].map(
    (rank) =>
      new Promise<string>((done, fail) => {
        const child = spawn(PYTHON, [SCRIPT, logdir, mode], {
          env: {
            ...process.env,
            RANK: String(rank),
            WORLD_SIZE: '2',
            MASTER_ADDR: '127.0.0.1',
            MASTER_PORT: String(port),
            GLOO_SOCKET_IFNAME: 'lo',
            OMP_NUM_THREADS: '1',
          },
          timeout: 240_000,
        });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.stderr.on('data', (d) => {
          out += d;
        });
        child.on('close', (code) =>
          code === 0 ? done(out) : fail(new Error(`rank ${rank} exited ${code}:\n${out}`)),
        );
      }),
  );
  return Promise.all(ranks);
}

describe.skipIf(!HAS_GLOO)(
  `a two-rank DDP job on gloo${HAS_GLOO ? '' : ' (SKIPPED: no torch.distributed with gloo for /usr/bin/python3; apt-get install -y python3-torch)'}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-ddp-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const check = (report: Awaited<ReturnType<typeof diagnoseLogdir>>['report'], id: string) =>
      report.checks.find((c) => c.id === id);

    it('healthy: each rank writes its own sub-run, and no check fails', async () => {
      const logdir = join(dir, 'healthy');
      const out = await train(logdir, 'healthy');
      expect(out.map((o) => /rank: (\d)/.exec(o)?.[1])).toEqual(['0', '1']);
      expect(existsSync(join(logdir, 'rank_0')) && existsSync(join(logdir, 'rank_1'))).toBe(true);
      const { report } = await diagnoseLogdir(logdir);
      expect(report.evidence.distributed?.ranks.map((r) => r.label)).toEqual(['rank_0', 'rank_1']);
      expect(report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.summary}`)).toEqual(
        [],
      );
      expect(check(report, 'distributed/replica-divergence')?.status).toBe('pass');
      expect(check(report, 'distributed/non-finite')?.status).toBe('pass');
      expect(check(report, 'distributed/replica-divergence')?.measured.weightsCompared).toBe(4);
    }, 300_000);

    it('NaN data on rank 1: the finding names rank 1 and its step', async () => {
      const logdir = join(dir, 'nan');
      await train(logdir, 'nan');
      const { report } = await diagnoseLogdir(logdir);
      const c = check(report, 'distributed/non-finite');
      expect(c?.status).toBe('fail');
      expect(c?.measured.rank).toBe(1);
      expect(c?.measured.step).toBe(20);
      expect(c?.summary).toMatch(/Rank 1 logged NaN\/Inf first, at step 20/);
    }, 300_000);

    it('no gradient averaging (plain models, same seed, different shards): replica divergence fails and names the layer', async () => {
      const logdir = join(dir, 'no-averaging');
      await train(logdir, 'no-averaging');
      const { report } = await diagnoseLogdir(logdir);
      const c = check(report, 'distributed/replica-divergence');
      expect(c?.status, c?.summary).toBe('fail');
      expect(['0', '2']).toContain(String(c?.measured.layer));
      expect(c?.summary).toMatch(/layer [02] /);
    }, 300_000);
  },
);
