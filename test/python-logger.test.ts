// python/nn_doctor_log.py on Debian's PyTorch (python3-torch; .ci/run installs it): a tiny model
// trained with the logger writes logs on which the gradient, update-ratio and activation checks
// run — passing on a healthy model, failing on one whose ReLUs are dead from the start — and real
// runs are diagnosed as an engineer would (issue 20): a run that converged (loss 1e-5, validation
// accuracy 1.0) gets no fail, from `diagnose` and from `watch` following it live; a run whose LR
// is far too high names the LR; a run whose ReLUs are dead names them.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseLogdir } from '../src/tensorboard/diagnose.ts';
import { watchLogdir } from '../src/watch/logdir/watch-logdir.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'python', 'train_tiny.py');

function hasTorch(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAS_TORCH = hasTorch();

describe.skipIf(!HAS_TORCH)(
  `nn_doctor_log.py with PyTorch${HAS_TORCH ? '' : ' (SKIPPED: no torch for /usr/bin/python3; apt-get install -y python3-torch)'}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-py-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const train = (fault: string, steps?: number) => {
      const logdir = join(dir, fault);
      const args = [SCRIPT, logdir, fault, ...(steps ? [String(steps)] : [])];
      const out = execFileSync(PYTHON, args, { encoding: 'utf8', timeout: 120_000 });
      return { logdir, hook: /hook: (\S+)/.exec(out)?.[1], out };
    };
    const statusOf = (report: { checks: { id: string; status: string }[] }) =>
      Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    const failing = (report: { checks: { id: string; status: string; summary: string }[] }) =>
      report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.summary}`);
    const LOGGED = [
      'other/gradient-flow',
      'other/update-ratio',
      'other/exploding-gradients',
      'activations/dead-relu',
    ];

    it('logs what the gradient, update and activation checks need: a healthy model passes them', async () => {
      const { logdir, hook } = train('healthy');
      // PyTorch ≥ 2.1 has the post-accumulate hook; Debian's 1.13 falls back to register_hook.
      expect(['register_post_accumulate_grad_hook', 'register_hook']).toContain(hook);
      const { report } = await diagnoseLogdir(logdir);
      const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
      for (const id of LOGGED) expect(status[id], id).toBe('pass');
      expect(status['other/weight-variance']).toBe('pass');
      expect(status['loss/overfitting']).toBe('pass');
      expect(report.verdict).toBe('pass');
      expect(report.logs?.unused).toEqual([]);
    });

    it('and a model whose ReLUs are dead from the start fails them, dead-relu named the cause', async () => {
      const { logdir } = train('dead-relu');
      const { report } = await diagnoseLogdir(logdir);
      const status = statusOf(report);
      expect(status['activations/dead-relu']).toBe('fail');
      expect(status['other/gradient-flow']).toBe('fail');
      expect(report.verdict).toBe('fail');
      expect(report.diagnosis.primary, report.diagnosis.summary).toBe('activations/dead-relu');
    });

    // Issue 20, class 9: late in a converged run the gradients vanish and so do the updates;
    // update-ratio judged them as "learning too slowly: raise the LR" and the run exited 1.
    it('a converged run (loss ≈ 1e-5, validation accuracy 1.0) gets no fail; its small late updates are convergence', async () => {
      const { logdir, out } = train('converged', 1200);
      expect(Number(/final loss (\S+)/.exec(out)?.[1])).toBeLessThan(1e-3);
      expect(/val accuracy (\S+)/.exec(out)?.[1]).toBe('1.0');
      const { report } = await diagnoseLogdir(logdir);
      expect(failing(report)).toEqual([]);
      expect(report.verdict).toBe('pass');
      const ratio = report.checks.find((c) => c.id === 'other/update-ratio');
      expect(ratio?.status).toBe('pass');
      // Over the whole run the median ratio is below 1e-4 (what failed before); judged while the
      // loss was still falling, it is not.
      const medians = ratio?.measured.medians as number[];
      expect(Math.min(...medians)).toBeLessThan(1e-4);
      expect(ratio?.measured.minMedian).toBeGreaterThanOrEqual(1e-4);
      expect(ratio?.measured.settledAtStep).toBeGreaterThan(0);
    });

    it('watch following the converged run live raises no update-ratio finding, and its report agrees', async () => {
      const logdir = join(dir, 'converged-live');
      mkdirSync(logdir, { recursive: true });
      const stop = new AbortController();
      const job = spawn(PYTHON, [SCRIPT, logdir, 'converged', '1200'], { stdio: 'ignore' });
      const exited = new Promise<number | null>((done) => job.on('exit', done));
      void exited.then(() => setTimeout(() => stop.abort(), 1500));
      const { report } = await watchLogdir(logdir, { pollMs: 100, signal: stop.signal });
      expect(await exited).toBe(0);
      expect(report.watch?.findings.map((f) => `${f.id}@${f.step}: ${f.summary}`)).toEqual([]);
      expect(failing(report)).toEqual([]);
      expect(report.verdict).toBe('pass');
    });

    it('a run at a learning rate far too high (SGD 30, NaN by step 6) names the learning rate', async () => {
      const { logdir } = train('diverging');
      const { report } = await diagnoseLogdir(logdir);
      expect(report.diagnosis.primary, report.diagnosis.summary).toBe('loss/learning-rate');
      expect(report.verdict).toBe('fail');
      const status = statusOf(report);
      expect(status['loss/non-finite']).toBe('fail');
      // The zero-or-NaN ratios of NaN weights are not "too slow": the updates were far too large.
      const ratio = report.checks.find((c) => c.id === 'other/update-ratio');
      expect(ratio?.status).toBe('warn');
      expect(ratio?.measured.maxMedian).toBeGreaterThan(0.1);
    });
  },
);
