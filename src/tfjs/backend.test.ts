import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { BACKEND_NAMES, selectBackend, TENSORFLOW_PACKAGES } from './backend.ts';
import { WASM_TRAINING_KERNELS } from './wasm-kernels/index.ts';

describe('selectBackend', () => {
  it('picks wasm when @tensorflow/tfjs-node is not installed, with the training kernels registered', async () => {
    expect(await selectBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    for (const name of WASM_TRAINING_KERNELS) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    expect(tf.env().getBool('WASM_HAS_SIMD_SUPPORT')).toBe(true);
  });

  it('is idempotent', async () => {
    const first = await selectBackend();
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    expect(await selectBackend()).toBe(first);
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(kernel);
  });

  it('honours an explicit request, case-insensitively', async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await selectBackend('WASM')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown name with a UsageError naming --backend and the valid names', async () => {
    const error = await selectBackend('webgpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('--backend');
    for (const name of BACKEND_NAMES) expect((error as Error).message).toContain(name);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects tensorflow when neither tfjs-node package is installed, naming both and what to install', async () => {
    const error = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      '--backend tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed ' +
        '(npm install @tensorflow/tfjs-node).',
    );
    expect(TENSORFLOW_PACKAGES).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('trains a convolution on wasm (the kernel that was missing upstream)', async () => {
    await selectBackend();
    const w = tf.variable(tf.fill([3, 3, 1, 2], 0.1));
    const [value, shape] = tf.tidy(() => {
      const x = tf.ones([2, 5, 5, 1]) as tf.Tensor4D;
      const { value, grads } = tf.variableGrads(() => tf.conv2d(x, w as tf.Tensor4D, 1, 'same').sum(), [w]);
      return [value.dataSync()[0], grads[w.name].shape] as const;
    });
    w.dispose();
    // Each output sums 0.1 over its in-bounds taps: 9 inside, 6 on edges, 4 in corners.
    expect(value).toBeCloseTo(2 * 2 * 0.1 * (9 * 9 + 12 * 6 + 4 * 4), 4);
    expect(shape).toEqual([3, 3, 1, 2]);
  });
});
