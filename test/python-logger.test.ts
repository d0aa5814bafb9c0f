// python/nn_doctor_log.py on Debian's PyTorch (python3-torch; .ci/run installs it): a tiny model
// trained with the logger writes logs on which the gradient, update-ratio and activation checks
// run — passing on a healthy model, failing on one whose ReLUs are dead from the start.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseLogdir } from '../src/tensorboard/diagnose.ts';

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

    const train = (fault: string) => {
      const logdir = join(dir, fault);
      const out = execFileSync(PYTHON, [SCRIPT, logdir, fault], { encoding: 'utf8', timeout: 120_000 });
      return { logdir, hook: /hook: (\S+)/.exec(out)?.[1] };
    };
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

    it('and a model whose ReLUs are dead from the start fails them', async () => {
      const { logdir } = train('dead-relu');
      const { report } = await diagnoseLogdir(logdir);
      const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
      expect(status['activations/dead-relu']).toBe('fail');
      expect(status['other/gradient-flow']).toBe('fail');
      expect(report.verdict).toBe('fail');
    });
  },
);
