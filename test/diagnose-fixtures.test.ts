// `diagnose` end to end on real event files from 8 writers (test/fixtures/tensorboard/SOURCES.md):
// for each log directory, what is read, what is not (and why), and the verdict. None of them may
// be a PASS on nothing: a pass needs a check that judged something, and a run nothing could judge
// is `inconclusive` (exit 4).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/core/report.ts';
import { renderHtml } from '../src/render/html/index.ts';
import { renderMarkdown } from '../src/render/markdown.ts';
import { diagnoseLogdir } from '../src/tensorboard/diagnose.ts';
import { cli } from './run-cli.ts';
import { expectValidReport } from './valid-report.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'tensorboard');

interface Expected {
  verdict: Report['verdict'];
  primary?: string | null;
  experiment: string;
  /** `run: tag` of every tag read. */
  used: string[];
  /** `run: tag` of every tag not read, with a pattern its reason must match. */
  unused?: [string, RegExp][];
  /** Checks that must have judged something, with their status. */
  judged?: Record<string, 'pass' | 'warn' | 'fail'>;
  notes?: RegExp[];
}

const CASES: Record<string, Expected> = {
  'pytorch-summarywriter': {
    // Random values under a tag no convention knows: nothing to judge, and it says so.
    verdict: 'inconclusive',
    experiment: 'run_3',
    used: [],
    unused: [['run_3: strict/foo', /follows no convention/]],
  },
  'tensorboardx-mnist': {
    verdict: 'pass',
    experiment: 'runs/example',
    used: [
      'runs/example: conv1/weight',
      'runs/example: conv1/bias',
      'runs/example: conv2/weight',
      'runs/example: conv2/bias',
      'runs/example: fc1/weight',
      'runs/example: fc1/bias',
      'runs/example: fc2/weight',
      'runs/example: fc2/bias',
      'runs/example: train/loss',
      'runs/example: test/loss',
      'runs/example: test/accuracy',
    ],
    judged: {
      'loss/learning-rate': 'pass',
      'loss/overfitting': 'pass',
      'other/weight-variance': 'pass',
      'model/init-shallow': 'pass',
    },
  },
  'lightning-fractaldb': {
    verdict: 'pass',
    experiment: 'lightning_logs/version_0',
    used: ['lightning_logs/version_0: train_loss_step', 'lightning_logs/version_0: valid_loss_epoch'],
    unused: [
      ['lightning_logs/version_0: hp_metric', /hyper-parameter placeholder/],
      ['lightning_logs/version_0: valid_loss_step/epoch_0', /one-epoch slice/],
      ['lightning_logs/version_0: epoch', /step counter/],
      ['lightning_logs/version_0: train_loss_epoch', /another tag gave the same series/],
      ['lightning_logs/version_0: valid_loss_step/epoch_1', /one-epoch slice/],
    ],
    judged: { 'loss/learning-rate': 'pass', 'loss/steep-drop': 'pass', 'loss/overfitting': 'pass' },
  },
  'lightning-mintomics': {
    // Binary classifier whose loss sits at ln 2 with 49% accuracy: a learning failure.
    verdict: 'fail',
    primary: 'loss/learning-rate',
    experiment: 'lightning_logs/version_32',
    used: [
      'lightning_logs/version_32: lr-Adam',
      'lightning_logs/version_32: train_BinaryAccuracy',
      'lightning_logs/version_32: train_loss_step',
    ],
    unused: [
      ['lightning_logs/version_32: hp_metric', /placeholder/],
      ['lightning_logs/version_32: train_BinaryPrecision', /no check/],
      ['lightning_logs/version_32: train_BinaryRecall', /no check/],
      ['lightning_logs/version_32: train_BinaryF1Score', /no check/],
      ['lightning_logs/version_32: epoch', /step counter/],
    ],
    judged: { 'loss/learning-rate': 'fail' },
  },
  catboost: {
    verdict: 'pass',
    experiment: 'catboost_info',
    used: ['catboost_info/learn: RMSE'],
    judged: { 'loss/learning-rate': 'pass', 'loss/steep-drop': 'pass' },
    notes: [/training loss = 'RMSE' \(a loss function logged under its own name/],
  },
  'tf2-summary-katib': {
    verdict: 'pass',
    experiment: 'logs',
    used: ['logs/train: loss', 'logs/train: accuracy', 'logs/test: loss', 'logs/test: accuracy'],
    judged: { 'loss/learning-rate': 'pass', 'loss/overfitting': 'pass' },
  },
  'keras-tf1-guild': {
    // MNIST MLP, 20 epochs: training loss keeps falling while validation loss climbs 34%.
    verdict: 'warn',
    primary: 'loss/overfitting',
    experiment: 'logs',
    used: ['logs: acc', 'logs: loss', 'logs: val_acc', 'logs: val_loss'],
    judged: { 'loss/overfitting': 'warn', 'loss/learning-rate': 'pass' },
  },
  'guild-summary': {
    // One loss value per run: no trend to judge; "no NaN" alone is not a pass.
    verdict: 'inconclusive',
    experiment: '2dc1529ba06c46fda486395a61475dbe',
    used: ['2dc1529ba06c46fda486395a61475dbe: loss'],
  },
  'keras-tf2-callback': {
    // The newer HParams runs hold one accuracy each: the train/validation pair is diagnosed.
    verdict: 'pass',
    experiment: 'logs',
    used: [
      'logs/train: conv2d_6/kernel_0',
      'logs/train: conv2d_6/bias_0',
      'logs/train: conv2d_7/kernel_0',
      'logs/train: conv2d_7/bias_0',
      'logs/train: dense_10/kernel_0',
      'logs/train: dense_10/bias_0',
      'logs/train: dense_11/kernel_0',
      'logs/train: dense_11/bias_0',
      'logs/train: epoch_loss',
      'logs/train: epoch_accuracy',
      'logs/validation: epoch_loss',
      'logs/validation: epoch_accuracy',
    ],
    judged: { 'other/weight-variance': 'pass', 'loss/learning-rate': 'pass' },
  },
};

const key = (t: { run: string; tag: string }) => `${t.run}: ${t.tag}`;

describe('diagnose on real event files', () => {
  for (const [folder, want] of Object.entries(CASES)) {
    it(`${folder}: ${want.verdict}${want.primary ? ` (${want.primary})` : ''}`, async () => {
      const { report } = await diagnoseLogdir(join(FIXTURES, folder), { createdAt: new Date(0) });
      expectValidReport(report);
      const logs = report.logs;
      expect(logs?.experiment).toBe(want.experiment);
      expect(logs?.used.map(key)).toEqual(want.used);
      expect(logs?.unused.map(key)).toEqual((want.unused ?? []).map(([k]) => k));
      for (const [k, why] of want.unused ?? []) {
        expect(logs?.unused.find((t) => key(t) === k)?.as, k).toMatch(why);
      }
      for (const n of want.notes ?? []) expect(logs?.notes.join('\n')).toMatch(n);
      expect(report.verdict).toBe(want.verdict);
      if (want.primary !== undefined) expect(report.diagnosis.primary).toBe(want.primary);
      for (const [id, status] of Object.entries(want.judged ?? {})) {
        expect(report.checks.find((c) => c.id === id)?.status, id).toBe(status);
      }
      // Never a PASS on nothing: a pass or warn rests on checks that judged something beyond
      // "no NaN", and a run nothing could judge says so.
      const judged = report.checks.filter(
        (c) =>
          (c.status === 'pass' || c.status === 'warn' || c.status === 'fail') && c.id !== 'loss/non-finite',
      );
      if (report.verdict === 'inconclusive') {
        expect(judged).toEqual([]);
        expect(report.diagnosis.summary).toMatch(/^Inconclusive/);
      } else expect(judged.length).toBeGreaterThan(0);
      // Every experiment found is listed with its own verdict; the detailed one is marked.
      expect(logs?.experiments.filter((e) => e.diagnosed).map((e) => e.name)).toEqual([want.experiment]);
    });
  }

  it('lightning-mintomics: every Lightning version is diagnosed; the empty and hp-only ones are inconclusive', async () => {
    const { report } = await diagnoseLogdir(join(FIXTURES, 'lightning-mintomics'));
    const byName = Object.fromEntries(report.logs?.experiments.map((e) => [e.name, e.verdict]) ?? []);
    expect(byName).toEqual({
      'lightning_logs/version_0': 'inconclusive',
      'lightning_logs/version_19': 'inconclusive',
      'lightning_logs/version_28': 'inconclusive',
      'lightning_logs/version_29': 'inconclusive',
      'lightning_logs/version_30': 'inconclusive',
      'lightning_logs/version_31': 'inconclusive',
      'lightning_logs/version_32': 'fail',
    });
    expect(report.logs?.chosenBecause).toMatch(/3 more hold no value at all/);
    // The file was committed while still being written: its cut last record is a note.
    expect(report.warnings).toEqual([expect.stringMatching(/version_32\/.* file ends inside a record/)]);
  });

  it('keras-tf2-callback: newer runs with nothing to judge are not picked blindly, and the choice is explained', async () => {
    const { report } = await diagnoseLogdir(join(FIXTURES, 'keras-tf2-callback'));
    expect(report.logs?.chosenBecause).toMatch(
      /most recently written of 5 experiments that the checks could judge; newer 'logs\/hparam_tuning\/run-3'/,
    );
    expect(report.subject.model?.layers.map((l) => [l.name, l.className])).toEqual([
      ['conv2d_6', 'Conv2D'],
      ['conv2d_7', 'Conv2D'],
      ['dense_10', 'Dense'],
      ['dense_11', 'Dense'],
    ]);
  });

  it('pytorch-summarywriter with --map strict/foo=loss: the tag is read, the checks judge it', async () => {
    const { report } = await diagnoseLogdir(join(FIXTURES, 'pytorch-summarywriter'), {
      map: { 'strict/foo': 'loss' },
    });
    expect(report.logs?.used.map(key)).toEqual(['run_3: strict/foo']);
    expect(report.verdict).not.toBe('inconclusive');
    expect(report.checks.find((c) => c.id === 'loss/learning-rate')?.status).not.toBe('skip');
  });

  it('Markdown and HTML carry the inconclusive verdict and the tags not used, with the --map that reads them', async () => {
    const { report } = await diagnoseLogdir(join(FIXTURES, 'pytorch-summarywriter'), {
      createdAt: new Date(0),
    });
    const md = renderMarkdown(report);
    expect(md.split('\n')[0]).toBe('# nn-doctor checkup: ❔ INCONCLUSIVE');
    expect(md).toMatch(/## Logs\n\nDiagnosed run\\_3: the most recently written of 3 experiments/);
    expect(md).toMatch(/\| strict\/foo \| run\\_3 \| follows no convention nn-doctor knows \|/);
    const html = renderHtml(report);
    expect(html).toContain('class="hero v-inconclusive"');
    expect(html).toMatch(/<section class="block" id="logs"[\s\S]*id="tags-not-used"[\s\S]*strict\/foo/);
    const custom = await diagnoseLogdir(join(FIXTURES, 'pytorch-summarywriter'), {
      map: { 'strict/foo': 'loss' },
    });
    expect(renderMarkdown(custom.report)).toMatch(/\| strict\/foo \| run\\_3 \| training loss \|/);
  });

  it('the CLI exits 4 on an inconclusive directory and 1 on the learning failure', async () => {
    const inconclusive = await cli(['diagnose', join(FIXTURES, 'pytorch-summarywriter')]);
    expect(inconclusive.code, inconclusive.stderr).toBe(4);
    expect(inconclusive.stdout).toContain('Verdict: INCONCLUSIVE');
    expect(inconclusive.stdout).toMatch(/Not used \(1\):\n\s+strict\/foo/);
    expect(inconclusive.stdout).not.toMatch(/log the training loss/);
    const fail = await cli(['diagnose', join(FIXTURES, 'lightning-mintomics'), '--quiet']);
    expect(fail.code, fail.stderr).toBe(1);
  });
});
