import { describe, expect, it } from 'vitest';
import { detectFramework } from './framework.ts';

describe('detectFramework', () => {
  it.each([
    [['Loss/train', 'fc1.weight', 'fc1.bias', 'fc1.weight.grad'], 'pytorch'],
    [['train/loss', 'grad_norm/0.weight', 'update_ratio/0.weight', 'grad_norm'], 'pytorch'], // nn_doctor_log.py
    [['loss', 'features.0.weight/grad'], 'pytorch'],
    [['batch_loss', 'dense/kernel_0', 'dense/bias_0'], 'keras'],
    [['epoch_loss', 'epoch_accuracy', 'evaluation_loss_vs_iterations'], 'keras'],
    [['loss', 'val_loss', 'lr'], null], // a plain writer: no framework claimed
    [['loss', 'fc1.weight', 'epoch_loss'], null], // contradictory signs: none claimed
  ] as const)('%j → %s', (tags, expected) => {
    expect(detectFramework(tags)).toBe(expected);
  });
});
