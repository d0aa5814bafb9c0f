// End to end on logs laid out as the writers lay them out (PyTorch, Hugging Face Trainer, YOLO,
// Stable-Baselines3, Keras RNNs): the wrong rankings and readings the issue reported, each with
// the right primary cause now.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../core/report.ts';
import { renderTerminal } from '../render/terminal.ts';
import { diagnoseLogdir } from './diagnose.ts';
import { normals } from './testing/planted.ts';
import { EventFileWriter, fakeClock } from './testing/writers.ts';

const root = mkdtempSync(join(tmpdir(), 'nn-doctor-ranking-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = (name: string) => join(root, `${n++}-${name}`);
const status = (r: Report, id: string) => r.checks.find((c) => c.id === id)?.status;
const normal = normals(3);
const relu = (xs: Float64Array) => xs.map((x) => Math.max(0, x));

/**
 * A PyTorch MLP (784-128-64-10, PyTorch's default init) logged the usual way: loss per step,
 * a validation loss per epoch, weight histograms and the two hidden ReLU layers' outputs, whose
 * std drops 2.2× from the first to the second (PyTorch's default init shrinks ReLU activations
 * ≈ √6 per layer).
 */
function pytorchMlp(path: string, val: (epoch: number) => number): void {
  const w = new EventFileWriter('pytorch');
  const widths = [784, 128, 64, 10];
  for (let step = 0; step < 200; step++) {
    w.scalar('Loss/train', 2.3 * Math.exp(-step / 25) + 0.005, step);
    if (step % 20 === 19) w.scalar('Loss/val', val((step + 1) / 20), step);
    if (step % 50 === 0) {
      for (let i = 1; i < widths.length; i++) {
        const bound = 1 / Math.sqrt(widths[i - 1]);
        w.histogram(`fc${i}.weight`, normal(widths[i - 1] * widths[i], bound / Math.sqrt(3)), step);
        w.histogram(`fc${i}.bias`, normal(widths[i], bound / Math.sqrt(3)), step);
      }
      w.histogram('fc1.activation', relu(normal(128 * 256, 0.9)), step);
      w.histogram('fc2.activation', relu(normal(64 * 256, 0.9 / 2.2)), step);
    }
  }
  w.writeTo(path);
}

describe('ranking: the right primary cause', () => {
  it('training loss → ~0 while validation loss climbs: overfitting first, no init-deep warn', async () => {
    const path = dir('overfit');
    pytorchMlp(path, (epoch) => 0.4 + 0.02 * (epoch - 3) ** 2); // minimum at epoch 3, then climbs
    const { report } = await diagnoseLogdir(path);
    expect(report.diagnosis.primary).toBe('loss/overfitting');
    expect(status(report, 'loss/overfitting')).toBe('warn');
    expect(status(report, 'model/init-deep')).toBe('pass');
    expect(report.verdict).toBe('warn');
  });

  it('a healthy PyTorch MLP (2.2× std drop over two ReLU layers): no warn at all', async () => {
    const path = dir('healthy');
    pytorchMlp(path, (epoch) => 2.2 * Math.exp(-epoch / 2) + 0.08);
    const { report } = await diagnoseLogdir(path);
    expect(status(report, 'model/init-deep')).toBe('pass');
    expect(report.checks.filter((c) => c.status === 'warn' || c.status === 'fail').map((c) => c.id)).toEqual(
      [],
    );
    expect(report.verdict).toBe('pass');
  });

  it('Hugging Face Trainer run at ln 4 with chance accuracy: a learning failure, not an LR warn', async () => {
    const path = dir('hf');
    const clock = fakeClock(1_671_000_000, 5);
    const run = new EventFileWriter('pytorch', { clock });
    for (let step = 50; step <= 3000; step += 50) {
      run.scalar('train/loss', Math.log(4) + 0.002 * Math.sin(step), step);
      run.scalar('train/learning_rate', 1e-5 * Math.min(1, step / 500), step);
      run.scalar('train/epoch', step / 157, step);
      if (step % 500 === 0) {
        run.scalar('eval/loss', Math.log(4) - 0.0003, step);
        run.scalar('eval/accuracy', 0.25 + 0.03 * Math.cos(step), step);
        run.scalar('eval/runtime', 92, step);
      }
    }
    run.writeTo(join(path, 'runs', 'Dec15_07-29-26_host'));
    // The hyper-parameter sub-run the Trainer writes beside it: no scalar to judge.
    new EventFileWriter('pytorch', { clock })
      .scalar('hp_metric', -1, 0)
      .writeTo(join(path, 'runs', 'Dec15_07-29-26_host', '1671085786.3238955'));
    const { report } = await diagnoseLogdir(path);
    expect(report.logs?.experiments.map((e) => e.name)).toEqual(['runs/Dec15_07-29-26_host']);
    expect(report.diagnosis.primary).toBe('loss/learning-rate');
    expect(status(report, 'loss/learning-rate')).toBe('fail');
    expect(report.diagnosis.summary).toMatch(/≈ ln 4 .* predicts at chance over 4 classes/);
    expect(report.verdict).toBe('fail');
  });
});

describe('writers the issue listed', () => {
  it('YOLO: box + cls + dfl terms are summed into the training loss, and the report says so', async () => {
    const path = dir('yolo');
    const w = new EventFileWriter('pytorch');
    for (let epoch = 0; epoch < 30; epoch++) {
      const f = Math.exp(-epoch / 10);
      w.scalar('train/box_loss', 1.2 * f + 0.4, epoch)
        .scalar('train/cls_loss', 2 * f + 0.3, epoch)
        .scalar('train/dfl_loss', 1.1 * f + 0.8, epoch)
        .scalar('val/box_loss', 1.3 * f + 0.45, epoch)
        .scalar('val/cls_loss', 2.1 * f + 0.35, epoch)
        .scalar('val/dfl_loss', 1.15 * f + 0.85, epoch)
        .scalar('metrics/mAP50(B)', 0.6 * (1 - f), epoch)
        .scalar('lr/pg0', 0.01 * f, epoch);
    }
    w.writeTo(join(path, 'runs', 'detect', 'train'));
    const { report } = await diagnoseLogdir(path);
    const loss = report.evidence.training?.loss;
    expect(loss?.values[0]).toBeCloseTo(1.6 + 2.3 + 1.9, 5);
    expect(report.logs?.notes).toEqual([
      'training loss = train/box_loss + train/cls_loss + train/dfl_loss (the sum of its logged terms: no total loss is logged)',
      'validation loss = val/box_loss + val/cls_loss + val/dfl_loss',
    ]);
    expect(report.evidence.training?.learningRate).toBeCloseTo(0.01, 6);
    expect(report.logs?.unused.map((t) => t.tag)).toEqual(['metrics/mAP50(B)']);
    expect(status(report, 'loss/learning-rate')).toBe('pass');
    expect(status(report, 'loss/overfitting')).toBe('pass');
  });

  it('Stable-Baselines3: RL losses are read for NaN only; the run is inconclusive, and says why', async () => {
    const path = dir('sb3');
    const w = new EventFileWriter('pytorch');
    for (let step = 2048; step <= 2048 * 40; step += 2048) {
      w.scalar('rollout/ep_rew_mean', 20 + step / 1000, step)
        .scalar('train/value_loss', 30 + 10 * Math.sin(step), step)
        .scalar('train/policy_gradient_loss', -0.01 * Math.abs(Math.cos(step)), step)
        .scalar('train/entropy_loss', -0.6, step)
        .scalar('train/loss', 10 + Math.sin(step), step)
        .scalar('train/approx_kl', 0.01, step)
        .scalar('train/learning_rate', 3e-4, step);
    }
    w.writeTo(join(path, 'PPO_1'));
    const { report } = await diagnoseLogdir(path);
    expect(report.verdict).toBe('inconclusive');
    const lr = report.checks.find((c) => c.id === 'loss/learning-rate');
    expect(lr?.summary).toMatch(/reinforcement-learning run .*judged for NaN\/Inf only/);
    expect(report.logs?.used.map((t) => t.tag)).toEqual([
      'train/value_loss',
      'train/policy_gradient_loss',
      'train/entropy_loss',
      'train/loss',
      'train/learning_rate',
    ]);
    expect(report.logs?.unused.find((t) => t.tag === 'rollout/ep_rew_mean')?.as).toMatch(/episode statistic/);
  });

  it('a loss under a name no convention knows: listed with the --map that reads it, never "log the training loss"', async () => {
    const path = dir('custom');
    const w = new EventFileWriter('pytorch');
    for (let step = 0; step < 50; step++)
      w.scalar('trainloss', 2 / (1 + step), step).scalar('myacc', 0.5, step);
    w.writeTo(path);
    const { report } = await diagnoseLogdir(path);
    expect(report.verdict).toBe('inconclusive');
    expect(report.logs?.unused).toEqual([
      expect.objectContaining({ tag: 'trainloss', map: '--map trainloss=loss' }),
      expect.objectContaining({ tag: 'myacc', map: '--map myacc=accuracy' }),
    ]);
    const text = renderTerminal(report);
    expect(text).not.toMatch(/log the training loss/);
    expect(text).toMatch(/'trainloss' looks like one: --map trainloss=loss reads it/);
    expect(text).toContain(
      'To read them: nn-doctor diagnose LOGDIR --map trainloss=loss --map myacc=accuracy',
    );
    const mapped = await diagnoseLogdir(path, { map: { trainloss: 'loss' } });
    expect(mapped.report.verdict).toBe('pass');
  });

  it('Keras RNN weights: the recurrent kernel is [units, units], and trained weights get no re-initialization advice', async () => {
    const path = dir('rnn');
    const w = new EventFileWriter('keras');
    for (let epoch = 1; epoch <= 3; epoch++) {
      w.scalar('epoch_loss', 1 / epoch, epoch);
      w.histogram('simple_rnn/simple_rnn_cell/kernel_0', normal(6 * 50, 0.2), epoch);
      // Trained far from the input kernel's scale: a 200× variance skew in the logged weights.
      w.histogram('simple_rnn/simple_rnn_cell/recurrent_kernel_0', normal(50 * 50, 0.004), epoch);
      w.histogram('simple_rnn/simple_rnn_cell/bias_0', normal(50, 0.01), epoch);
      w.histogram('dense/kernel_0', normal(50, 0.3), epoch);
      w.histogram('dense/bias_0', normal(1, 0.01), epoch);
    }
    w.writeTo(join(path, 'train'));
    const { report } = await diagnoseLogdir(path);
    const kernels = report.evidence.model?.kernels.map((k) => [k.weight, k.shape]);
    expect(kernels).toEqual([
      ['simple_rnn/simple_rnn_cell/kernel_0', [6, 50]],
      ['simple_rnn/simple_rnn_cell/recurrent_kernel_0', [50, 50]],
      ['dense/kernel_0', [50, 1]],
    ]);
    const variance = report.checks.find((c) => c.id === 'other/weight-variance');
    expect(variance?.status).toBe('warn'); // capped: weights logged at step 1, after training began
    expect(variance?.remedy).not.toMatch(/re-?initiali[sz]e/i);
  });
});
