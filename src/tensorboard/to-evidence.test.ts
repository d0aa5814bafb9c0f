import { describe, expect, it } from 'vitest';
import { type Experiment, groupExperiments, withValues } from './experiments.ts';
import { readRun } from './logdir.ts';
import { bufferSource } from './records.ts';
import { parseMap } from './roles.ts';
import type { RunData } from './run-data.ts';
import { normals } from './testing/planted.ts';
import { EventFileWriter, fakeClock, type WriterStyle } from './testing/writers.ts';
import { LOG_TRAINING, LOG_WEIGHTS, NOT_IN_LOGS, pythonLoggerPath, toEvidence } from './to-evidence.ts';

function runOf(name: string, writer: EventFileWriter): RunData {
  return readRun(name, [
    { name: `${name}/${writer.fileName()}`, open: () => bufferSource(writer.bytes().bytes) },
  ]).run;
}

function experiment(runs: Record<string, EventFileWriter>): Experiment {
  const groups = groupExperiments(Object.entries(runs).map(([name, w]) => runOf(name, w)));
  expect(groups).toHaveLength(1);
  return groups[0];
}

const normal = normals(5);
const sumSquares = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x * x, 0);

describe('toEvidence: PyTorch conventions', () => {
  const w = new EventFileWriter('pytorch');
  const k1 = normal(32 * 16, 0.25);
  const k2 = normal(16 * 4, 0.35);
  const g1 = normal(32 * 16, 0.01);
  const g2 = normal(16 * 4, 0.02);
  for (let step = 0; step < 20; step++) {
    if (step % 5 === 0) {
      w.histogram('fc1.weight', k1, step).histogram('fc1.bias', normal(16, 0.01), step);
      w.histogram('fc2.weight', k2, step).histogram('fc2.bias', normal(4, 0.01), step);
      w.histogram('fc1.weight.grad', g1, step).histogram('fc2.weight.grad', g2, step);
    }
    w.scalar('Loss/train', step === 17 ? Number.NaN : 2 - step * 0.05, step).scalar('lr', 0.01, step);
    if (step % 5 === 4) w.scalar('Loss/val', 2.1 - step * 0.05, step);
  }
  const { evidence, warnings, summary } = toEvidence(experiment({ '.': w }), { name: 'mlp' });

  it('reads the losses, the first non-finite step and the learning rate', () => {
    const t = evidence.training;
    expect(warnings).toEqual([]);
    expect(t?.loss.steps).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(t?.nonFiniteStep).toBe(17);
    expect(t?.valLoss?.steps).toEqual([4, 9, 14, 19]);
    expect(t?.learningRate).toBeCloseTo(0.01, 7);
    expect(summary.tags['.: Loss/val']).toBe('validation loss');
  });

  it('derives kernels with fan-in from kernel size / bias size, at the first histogram', () => {
    const m = evidence.model;
    expect(m?.name).toBe('mlp');
    expect(m?.kernels.map((k) => [k.layer, k.fanIn, k.fanOut, k.depth])).toEqual([
      ['fc1', 32, 16, 0],
      ['fc2', 16, 4, 1],
    ]);
    expect(m?.kernels[0].shape).toEqual([32, 16]);
    const mean = Array.from(k1).reduce((a, b) => a + b, 0) / k1.length;
    expect(m?.kernels[0].mean).toBeCloseTo(mean, 10);
    expect(m?.kernels[0].variance).toBeCloseTo(sumSquares(k1) / k1.length - mean * mean, 10);
    expect(m?.biases.map((b) => b.layer)).toEqual(['fc1', 'fc2']);
    expect(m?.layers.map((l) => [l.name, l.className, l.params])).toEqual([
      ['fc1', 'Dense', 32 * 16 + 16],
      ['fc2', 'Dense', 16 * 4 + 4],
    ]);
    expect(m?.hiddenLayers).toBe(1);
    expect(m?.params).toBe(32 * 16 + 16 + 16 * 4 + 4);
  });

  it('turns gradient histograms into per-weight and global gradient norms (√sum_squares)', () => {
    const t = evidence.training;
    expect(t?.weights.map((x) => [x.layer, x.weight, x.kind, x.depth])).toEqual([
      ['fc1', 'fc1.weight', 'kernel', 0],
      ['fc2', 'fc2.weight', 'kernel', 1],
    ]);
    expect(t?.weights[0].steps).toEqual([0, 5, 10, 15]);
    expect(t?.weights[0].gradNorm[0]).toBeCloseTo(Math.sqrt(sumSquares(g1)), 10);
    expect(t?.weights[0].weightNorm[0]).toBeCloseTo(Math.sqrt(sumSquares(k1)), 10);
    expect(t?.weights[0].updateRatio).toEqual([]);
    expect(t?.gradNorm?.values[0]).toBeCloseTo(Math.sqrt(sumSquares(g1) + sumSquares(g2)), 10);
    expect(t?.noGradient).toEqual([]);
  });

  it('says why every absent key is absent, and what to log', () => {
    expect(evidence.source).toBe('tensorboard');
    expect(evidence.task).toBeUndefined();
    for (const key of Object.keys(NOT_IN_LOGS)) {
      expect(evidence.unavailable?.[key as keyof typeof NOT_IN_LOGS]?.status).toBe('skip');
    }
    expect(evidence.unavailable?.model).toBeUndefined();
    expect(evidence.unavailable?.training).toBeUndefined();
  });
});

describe('toEvidence: Keras and tfjs-node runs', () => {
  it('Keras: batch_loss is the loss; validation epoch_loss is placed at the batch written before it', () => {
    const clock = fakeClock();
    const train = new EventFileWriter('keras', { clock });
    const val = new EventFileWriter('keras', { clock });
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let b = 0; b < 4; b++) train.scalar('batch_loss', 1 / (1 + epoch * 4 + b), epoch * 4 + b);
      train.scalar('epoch_loss', 1 / (1 + epoch), epoch);
      val.scalar('epoch_loss', 1.1 / (1 + epoch), epoch);
      train.histogram('dense/kernel_0', normal(6, 0.3), epoch).histogram('dense/bias_0', normal(3), epoch);
    }
    const { evidence, summary } = toEvidence(experiment({ train, validation: val }));
    expect(evidence.training?.loss.steps).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(evidence.training?.valLoss?.steps).toEqual([3, 7, 11]);
    expect(summary.tags['validation: epoch_loss']).toMatch(/placed at the steps of 'batch_loss'/);
    expect(evidence.model?.kernels[0]).toMatchObject({ layer: 'dense', fanIn: 2, fanOut: 3 });
    // Keras logs no gradients: no per-weight telemetry, which the gradient checks skip on.
    expect(evidence.training?.weights).toEqual([]);
  });

  it('tfjs-node: loss in train/, val_loss in val/', () => {
    const clock = fakeClock();
    const train = new EventFileWriter('tfjs', { clock });
    const val = new EventFileWriter('tfjs', { clock });
    for (let s = 0; s < 40; s++) {
      train.scalar('loss', 2 - s / 40, s);
      if (s % 10 === 9) val.scalar('val_loss', 2.2 - s / 40, (s + 1) / 10 - 1);
    }
    const { evidence } = toEvidence(experiment({ train, val }));
    expect(evidence.training?.loss.values).toHaveLength(40);
    expect(evidence.training?.valLoss?.steps).toEqual([9, 19, 29, 39]);
    expect(evidence.unavailable?.model).toEqual({ status: 'skip', reason: LOG_WEIGHTS });
  });
});

describe('toEvidence: updates, activations, norm layers', () => {
  it('update histograms give ‖ΔW‖/‖W‖ per step', () => {
    const w = new EventFileWriter('pytorch');
    const weights = normal(100, 0.1);
    const delta = normal(100, 1e-3);
    w.histogram('fc.weight', weights, 1).histogram('fc.bias', normal(10), 1);
    w.histogram('fc.weight.grad', normal(100, 0.01), 1).histogram('fc.weight.update', delta, 1);
    const t = toEvidence(experiment({ '.': w })).evidence.training;
    expect(t?.weights[0].updateRatio[0]).toBeCloseTo(Math.sqrt(sumSquares(delta) / sumSquares(weights)), 10);
  });

  it('update_ratio scalars are taken as logged', () => {
    const w = new EventFileWriter('pytorch');
    w.scalar('update_ratio/fc1.weight', 1e-3, 0).scalar('update_ratio/fc1.weight', 2e-3, 1);
    const t = toEvidence(experiment({ '.': w })).evidence.training;
    expect(t?.weights[0]).toMatchObject({ layer: 'fc1', steps: [0, 1], gradNorm: [] });
    expect(t?.weights[0].updateRatio[1]).toBeCloseTo(2e-3, 9);
  });

  it('activation histograms become start/end activation statistics', () => {
    const w = new EventFileWriter('pytorch');
    const relu = (xs: Float64Array) => xs.map((x) => Math.max(x, 0));
    w.histogram('fc1.weight', normal(8 * 64), 0).histogram('fc1.bias', normal(64), 0);
    w.histogram('fc1.activation', relu(normal(64 * 256)), 0);
    w.histogram('fc1.activation', relu(normal(64 * 256, 1, -2)), 50);
    w.histogram('fc2.act', normal(1000).map(Math.tanh), 0);
    const t = toEvidence(experiment({ '.': w })).evidence.training;
    const start = t?.activations?.start ?? [];
    const end = t?.activations?.end ?? [];
    expect(start.map((a) => [a.layer, a.activation, a.depth])).toEqual([
      ['fc1', 'relu', 0],
      ['fc2', 'tanh', 1],
    ]);
    expect(start[0]).toMatchObject({ units: 64, records: 256, fractionDead: 0 });
    expect(end[0].fractionDead).toBeGreaterThan(0.8); // 97.7% zeros
    expect(start[1]).toMatchObject({ units: 0, records: 1000 });
    expect(start[0].histogram?.edges.length).toBe((start[0].histogram?.counts.length ?? 0) + 1);
  });

  it('norm-layer scales and bias-less kernels', () => {
    const w = new EventFileWriter('pytorch');
    w.histogram('conv1.weight', normal(3 * 9 * 8, 0.2), 0);
    w.histogram('bn1.weight', normal(8, 0.1, 1), 0).histogram('bn1.bias', normal(8, 0.1), 0);
    w.histogram('fc.weight', normal(80, 0.1), 0).histogram('fc.bias', normal(10), 0);
    w.histogram('head.weight', normal(30, 0.1), 0);
    const m = toEvidence(experiment({ '.': w })).evidence.model;
    // conv1 has no bias: its fan-out is bn1's size; head has neither, so its fan-in is unknown.
    expect(m?.kernels.map((k) => [k.layer, k.fanIn, k.shape])).toEqual([
      ['conv1', 27, [27, 8]],
      ['fc', 8, [8, 10]],
      ['head', 0, [30]],
    ]);
    expect(m?.layers.map((l) => l.className)).toEqual(['Conv2D', 'BatchNormalization', 'Dense', 'Dense']);
    expect(m?.hasBatchNorm).toBe(true);
    expect(m?.kernels[1].depth).toBe(1);
  });
});

describe('toEvidence: --map', () => {
  it('maps custom tags to roles, wins over conventions, and follows the run phase', () => {
    const clock = fakeClock();
    const train = new EventFileWriter('pytorch', { clock });
    const val = new EventFileWriter('pytorch', { clock });
    for (let s = 0; s < 5; s++) {
      train.scalar('objective_total', 3 - s / 10, s).scalar('loss', 100, s);
      val.scalar('objective_total', 3.5 - s / 10, s);
      train.histogram('params/layerA', normal(20), s).histogram('g/layerA', normal(20, 0.01), s);
    }
    const map = parseMap({ objective_total: 'loss', 'params/*': 'weights:*', 'g/*': 'grad:*' });
    const { evidence, warnings } = toEvidence(experiment({ train, validation: val }), { map });
    expect(warnings).toEqual([]);
    expect(evidence.training?.loss.values[0]).toBeCloseTo(3, 6);
    expect(evidence.training?.valLoss?.values[0]).toBeCloseTo(3.5, 6);
    expect(evidence.model?.kernels).toEqual([expect.objectContaining({ layer: 'layerA', fanIn: 0 })]);
    expect(evidence.training?.weights).toEqual([
      expect.objectContaining({ layer: 'layerA', kind: 'kernel', steps: [0, 1, 2, 3, 4] }),
    ]);
  });

  it('warns about map entries that match nothing or the wrong kind of summary', () => {
    const w = new EventFileWriter('pytorch');
    w.scalar('loss', 1, 0).histogram('fc.weight', [1, 2], 0);
    const map = parseMap({ nothing_here: 'loss', loss: 'weights:fc' });
    const { warnings, evidence, unmatchedMap } = toEvidence(experiment({ '.': w }), { map });
    expect(warnings).toEqual([expect.stringMatching(/--map loss=weights:fc: 'loss' .* holds scalars/)]);
    expect(unmatchedMap.map((e) => e.tag)).toEqual(['nothing_here']);
    expect(evidence.training).toBeUndefined();
    // A PyTorch log (its parameter names): the logging helper that writes everything is named too.
    expect(evidence.unavailable?.training).toEqual({
      status: 'skip',
      reason: `${LOG_TRAINING}; or \`NNDoctorLogger(model, logdir)\` from ${pythonLoggerPath()} logs every gradient, update, weight and activation tag nn-doctor reads`,
    });
  });

  it('ignore drops a tag', () => {
    const w = new EventFileWriter('pytorch');
    w.scalar('loss', 1, 0).scalar('loss', 2, 1);
    const { evidence } = toEvidence(experiment({ '.': w }), { map: parseMap({ loss: 'ignore' }) });
    expect(evidence.training).toBeUndefined();
  });
});

describe('experiments', () => {
  it('groups phases of one experiment and orders several by when they were last written', () => {
    const mk = (style: WriterStyle, start: number) => {
      const w = new EventFileWriter(style, { startTime: start });
      return w.scalar('loss', 1, 0);
    };
    const runs = [
      runOf('exp1/train', mk('keras', 100)),
      runOf('exp1/validation', mk('keras', 100)),
      runOf('exp2', mk('pytorch', 200)),
    ];
    const groups = groupExperiments(runs);
    expect(groups.map((g) => [g.name, g.runs.map((r) => r.phase)])).toEqual([
      ['exp1', ['train', 'val']],
      ['exp2', ['train']],
    ]);
    expect(withValues(groups).map((g) => g.name)).toEqual(['exp2', 'exp1']);
  });

  it('pairs CatBoost learn/test and folds a timestamp-named hyper-parameter sub-run into its parent', () => {
    const runs = [
      runOf('catboost_info/learn', new EventFileWriter('pytorch').scalar('RMSE', 1, 0)),
      runOf('catboost_info/test', new EventFileWriter('pytorch').scalar('RMSE', 1, 0)),
      runOf('runs/Dec15_07-29-26_host', new EventFileWriter('pytorch').scalar('train/loss', 1, 0)),
      runOf('runs/Dec15_07-29-26_host/1671085786.3238955', new EventFileWriter('pytorch')),
    ];
    expect(groupExperiments(runs).map((g) => [g.name, g.runs.map((r) => r.phase)])).toEqual([
      ['catboost_info', ['train', 'val']],
      ['runs/Dec15_07-29-26_host', ['train', 'train']],
    ]);
  });
});
