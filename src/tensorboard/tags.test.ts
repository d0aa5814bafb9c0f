import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { classifyHistogram } from './histogram-tags.ts';
import { parseMap, parseMapArgs, parseRole } from './roles.ts';
import { classifyScalar } from './scalar-tags.ts';
import { runPhase } from './tags.ts';

describe('scalar tag conventions', () => {
  const cases: [string, string | null, 'train' | 'val' | null, 'batch' | 'epoch' | null][] = [
    // PyTorch add_scalar
    ['loss', 'loss', null, null],
    ['train/loss', 'loss', 'train', null],
    ['Loss/train', 'loss', 'train', null],
    ['Loss/val', 'loss', 'val', null],
    ['Loss/test', 'loss', 'val', null],
    ['trainLoss', 'loss', 'train', null],
    ['train_loss_step', 'loss', 'train', 'batch'],
    ['val_loss_epoch', 'loss', 'val', 'epoch'],
    ['lr', 'lr', null, null],
    ['lr-Adam', 'lr', null, null],
    ['learning_rate', 'lr', null, null],
    ['grad_norm', 'grad_norm', null, null],
    ['reg_loss', 'reg_loss', null, null],
    ['cross_entropy', 'data_loss', null, null],
    // Keras TensorBoard callback
    ['epoch_loss', 'loss', null, 'epoch'],
    ['batch_loss', 'loss', null, 'batch'],
    ['epoch_accuracy', 'accuracy', null, 'epoch'],
    ['epoch_sparse_categorical_accuracy', 'accuracy', null, 'epoch'],
    ['epoch_learning_rate', 'lr', null, 'epoch'],
    ['evaluation_loss_vs_iterations', 'loss', 'val', 'batch'],
    // tfjs-node
    ['val_loss', 'loss', 'val', null],
    ['acc', 'accuracy', null, null],
    ['val_acc', 'accuracy', 'val', null],
    // not ours
    ['images_per_second', null, null, null],
    ['precision', null, null, null],
  ];
  for (const [tag, role, phase, granularity] of cases) {
    it(`${tag} → ${role ?? 'nothing'}`, () => {
      const m = classifyScalar(tag);
      if (role === null) expect(m).toBeNull();
      else expect(m).toEqual({ type: 'scalar', role, phase, granularity });
    });
  }

  it('reads per-weight gradient norms and update ratios', () => {
    expect(classifyScalar('grad_norm/fc1.weight')).toEqual({
      type: 'weight-scalar',
      role: 'grad_norm',
      param: { layer: 'fc1', weight: 'fc1.weight', kind: 'kernel' },
    });
    expect(classifyScalar('dense/kernel/update_ratio')).toMatchObject({
      type: 'weight-scalar',
      role: 'update_ratio',
      param: { layer: 'dense', kind: 'kernel' },
    });
    expect(classifyScalar('grad_norm/train')).toMatchObject({
      type: 'scalar',
      role: 'grad_norm',
      phase: 'train',
    });
  });
});

describe('histogram tag conventions', () => {
  const cases: [string, unknown][] = [
    [
      'fc1.weight',
      { type: 'param', of: 'value', param: { layer: 'fc1', weight: 'fc1.weight', kind: 'kernel' } },
    ],
    ['fc1.bias', { type: 'param', of: 'value', param: { layer: 'fc1', weight: 'fc1.bias', kind: 'bias' } }],
    [
      'layer1.0.conv1.weight',
      { type: 'param', of: 'value', param: { layer: 'layer1.0.conv1', kind: 'kernel' } },
    ],
    [
      'fc1.weight.grad',
      { type: 'param', of: 'grad', param: { layer: 'fc1', weight: 'fc1.weight', kind: 'kernel' } },
    ],
    ['fc1.weight/grad', { type: 'param', of: 'grad', param: { weight: 'fc1.weight' } }],
    ['grad/fc1.weight', { type: 'param', of: 'grad', param: { weight: 'fc1.weight' } }],
    ['gradients/fc1.bias', { type: 'param', of: 'grad', param: { weight: 'fc1.bias', kind: 'bias' } }],
    ['fc1.weight_grad', { type: 'param', of: 'grad', param: { weight: 'fc1.weight' } }],
    ['weights/fc1.weight', { type: 'param', of: 'value', param: { weight: 'fc1.weight' } }],
    [
      'dense/kernel_0',
      { type: 'param', of: 'value', param: { layer: 'dense', weight: 'dense/kernel_0', kind: 'kernel' } },
    ],
    ['dense_1/bias_0', { type: 'param', of: 'value', param: { layer: 'dense_1', kind: 'bias' } }],
    ['dense/kernel_0_grad', { type: 'param', of: 'grad', param: { weight: 'dense/kernel_0' } }],
    ['dense/kernel/histogram', { type: 'param', of: 'value', param: { layer: 'dense', kind: 'kernel' } }],
    ['dense_Dense1/kernel', { type: 'param', of: 'value', param: { layer: 'dense_Dense1', kind: 'kernel' } }],
    ['out.weight', { type: 'param', of: 'value', param: { layer: 'out', kind: 'kernel' } }],
    ['bn1.weight', { type: 'param', of: 'value', param: { layer: 'bn1', kind: 'other' } }],
    ['layer1.0.bn2.weight', { type: 'param', of: 'value', param: { kind: 'other' } }],
    ['batch_normalization/gamma_0', { type: 'param', of: 'value', param: { kind: 'other' } }],
    ['embedding.weight', { type: 'param', of: 'value', param: { kind: 'other' } }],
    ['lstm.weight_ih_l0', { type: 'param', of: 'value', param: { layer: 'lstm', kind: 'kernel' } }],
    ['fc1.weight.update', { type: 'param', of: 'update', param: { weight: 'fc1.weight' } }],
    ['grads/fc1', { type: 'param', of: 'grad', param: { layer: 'fc1', kind: 'kernel' } }],
    ['fc1.activation', { type: 'activation', layer: 'fc1', fn: null }],
    ['activations/fc1', { type: 'activation', layer: 'fc1', fn: null }],
    ['fc1/activations', { type: 'activation', layer: 'fc1', fn: null }],
    ['activations/fc1/relu', { type: 'activation', layer: 'fc1', fn: 'relu' }],
    ['fc1.out', { type: 'activation', layer: 'fc1', fn: null }],
    ['conv1', null],
    ['histograms', null],
  ];
  for (const [tag, expected] of cases) {
    it(`${tag}`, () => {
      const m = classifyHistogram(tag);
      if (expected === null) expect(m).toBeNull();
      else expect(m).toMatchObject(expected as object);
    });
  }
});

describe('run phases', () => {
  it.each([
    ['train', 'train'],
    ['validation', 'val'],
    ['val', 'val'],
    ['exp1/eval', 'val'],
    ['Loss_train', 'train'],
    ['Loss_val', 'val'],
    ['.', null],
    ['exp1', null],
    ['test_run', null],
    ['runs/Mar01_12-00-00_host', null],
  ])('%s → %s', (run, phase) => {
    expect(runPhase(run)).toBe(phase);
  });
});

describe('--map roles', () => {
  it('parses every documented role', () => {
    expect(parseRole('t', 'loss')).toEqual({ type: 'scalar', role: 'loss', phase: null, granularity: null });
    expect(parseRole('t', 'val_loss')).toMatchObject({ role: 'loss', phase: 'val' });
    expect(parseRole('t', 'accuracy')).toMatchObject({ role: 'accuracy' });
    expect(parseRole('t', 'val_acc')).toMatchObject({ role: 'accuracy', phase: 'val' });
    expect(parseRole('t', 'lr')).toMatchObject({ role: 'lr' });
    expect(parseRole('t', 'reg_loss')).toMatchObject({ role: 'reg_loss' });
    expect(parseRole('t', 'data_loss')).toMatchObject({ role: 'data_loss' });
    expect(parseRole('t', 'grad_norm')).toMatchObject({ type: 'scalar', role: 'grad_norm' });
    expect(parseRole('t', 'grad_norm:fc1')).toMatchObject({
      type: 'weight-scalar',
      role: 'grad_norm',
      param: { layer: 'fc1' },
    });
    expect(parseRole('t', 'update_ratio:fc1')).toMatchObject({ type: 'weight-scalar', role: 'update_ratio' });
    expect(parseRole('t', 'weights:fc1')).toMatchObject({
      type: 'param',
      of: 'value',
      param: { layer: 'fc1', kind: 'kernel' },
    });
    expect(parseRole('t', 'bias:fc1')).toMatchObject({ type: 'param', of: 'value', param: { kind: 'bias' } });
    expect(parseRole('t', 'grad:fc1')).toMatchObject({
      type: 'param',
      of: 'grad',
      param: { kind: 'kernel' },
    });
    expect(parseRole('t', 'bias_grad:fc1')).toMatchObject({
      type: 'param',
      of: 'grad',
      param: { kind: 'bias' },
    });
    expect(parseRole('t', 'update:fc1')).toMatchObject({ type: 'param', of: 'update' });
    expect(parseRole('t', 'activation:fc1')).toEqual({ type: 'activation', layer: 'fc1', fn: null });
    expect(parseRole('t', 'activation:fc1:tanh')).toEqual({ type: 'activation', layer: 'fc1', fn: 'tanh' });
    expect(parseRole('t', 'ignore')).toEqual({ type: 'ignore' });
  });

  it('rejects unknown roles and missing layers with a UsageError naming the flag', () => {
    expect(() => parseRole('my/tag', 'lossy')).toThrow(UsageError);
    expect(() => parseRole('my/tag', 'lossy')).toThrow(/--map my\/tag=lossy: unknown role 'lossy'/);
    expect(() => parseRole('t', 'weights')).toThrow(/needs a layer name/);
    expect(() => parseRole('t', 'loss:fc1')).toThrow(/takes no/);
  });

  it('validates a map record and supports one * per tag', () => {
    const [entry] = parseMap({ 'w/*': 'weights:*' });
    expect(entry.match('w/fc1')).toBe('weights:fc1');
    expect(entry.match('x/fc1')).toBeNull();
    expect(parseMap({ my_loss: 'loss' })[0].match('my_loss')).toBe('loss');
    expect(() => parseMap({ '': 'loss' })).toThrow(UsageError);
    expect(() => parseMap({ t: '' })).toThrow(UsageError);
    expect(() => parseMap({ 'a*b*': 'loss' })).toThrow(/at most one/);
    expect(() => parseMap({ t: 'weights:*' })).toThrow(/needs a '\*' in the tag/);
    expect(() => parseMap({ 't*': 'nonsense:*' })).toThrow(/unknown role/);
  });

  it('parses TAG=ROLE arguments', () => {
    expect(parseMapArgs(['a/b=loss', 'x=y=val_loss'])).toEqual({ 'a/b': 'loss', 'x=y': 'val_loss' });
    expect(() => parseMapArgs(['loss'])).toThrow(/--map loss: expected TAG=ROLE/);
    expect(() => parseMapArgs(['=loss'])).toThrow(UsageError);
    expect(() => parseMapArgs(['a='])).toThrow(UsageError);
  });
});
