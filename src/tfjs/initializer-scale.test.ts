// Each Keras/TF.js initializer's formula against what TF.js really draws: a layer is built with
// the initializer, its kernel's std is measured, and the formula (from the layer's serialized
// config, as model-info.ts reads it) must predict it within 4%.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { type InitializerConfig, initializerScale, kernelFans, STANDARD_GAIN } from './initializer-scale.ts';

interface Case {
  name: string;
  init: () => ReturnType<typeof tf.initializers.zeros>;
  /** Dense [in, out], or conv [k, k, in, out]. */
  shape: number[];
  activation?: string;
  /** The std the formula must give, written out by hand. */
  std: number;
  expectedFrom: 'initializer' | 'fan-based standard';
  /** Std the kernel is judged against, when it differs from `std`. */
  expectedStd?: number;
}

const T = 0.87962566103423978;
const CASES: Case[] = [
  // The case: 32 → 4,096 under ReLU with Glorot is √(2 / 4,128) by design, not "vs He's 0.25".
  {
    name: 'glorotUniform 32 → 4096',
    init: () => tf.initializers.glorotUniform({ seed: 1 }),
    shape: [32, 4096],
    activation: 'relu',
    std: Math.sqrt(2 / 4128),
    expectedFrom: 'initializer',
  },
  {
    name: 'glorotNormal 300 → 100',
    init: () => tf.initializers.glorotNormal({ seed: 2 }),
    shape: [300, 100],
    std: Math.sqrt(2 / 400) * T,
    expectedFrom: 'initializer',
  },
  {
    name: 'heNormal 512 → 64',
    init: () => tf.initializers.heNormal({ seed: 3 }),
    shape: [512, 64],
    std: Math.sqrt(2 / 512) * T,
    expectedFrom: 'initializer',
  },
  {
    name: 'heUniform 3×3 conv 16 → 32',
    init: () => tf.initializers.heUniform({ seed: 4 }),
    shape: [3, 3, 16, 32],
    std: Math.sqrt(2 / 144),
    expectedFrom: 'initializer',
  },
  {
    name: 'leCunNormal 200 → 200',
    init: () => tf.initializers.leCunNormal({ seed: 5 }),
    shape: [200, 200],
    activation: 'selu',
    std: Math.sqrt(1 / 200) * T,
    expectedFrom: 'initializer',
  },
  {
    name: 'leCunUniform 100 → 400',
    init: () => tf.initializers.leCunUniform({ seed: 6 }),
    shape: [100, 400],
    std: Math.sqrt(1 / 100),
    expectedFrom: 'initializer',
  },
  {
    name: 'varianceScaling fanOut, normal, scale 2',
    init: () =>
      tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: 7 }),
    shape: [400, 100],
    std: Math.sqrt(2 / 100) * T,
    expectedFrom: 'initializer',
  },
  {
    name: 'varianceScaling fanAvg, uniform, scale 1/3 (PyTorch-like)',
    init: () =>
      tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: 8 }),
    shape: [256, 256],
    std: Math.sqrt(1 / (3 * 256)),
    expectedFrom: 'initializer',
  },
  // A gain far outside the standard range is judged at the nearest end: 100 → 2.
  {
    name: 'varianceScaling scale 100 (judged at scale 2)',
    init: () =>
      tf.initializers.varianceScaling({ scale: 100, mode: 'fanIn', distribution: 'uniform', seed: 9 }),
    shape: [128, 64],
    std: Math.sqrt(100 / 128),
    expectedStd: Math.sqrt(STANDARD_GAIN.max / 128),
    expectedFrom: 'initializer',
  },
  {
    name: 'orthogonal 64 → 128',
    init: () => tf.initializers.orthogonal({ gain: 1, seed: 10 }),
    shape: [64, 128],
    std: 1 / Math.sqrt(128),
    expectedFrom: 'initializer',
  },
  {
    name: 'orthogonal gain 1.2, 3×3 conv 8 → 16',
    init: () => tf.initializers.orthogonal({ gain: 1.2, seed: 11 }),
    shape: [3, 3, 8, 16],
    std: 1.2 / Math.sqrt(72),
    expectedFrom: 'initializer',
  },
  {
    name: 'identity 50 × 50',
    init: () => tf.initializers.identity({ gain: 1 }),
    shape: [50, 50],
    std: Math.sqrt((1 / 50) * (1 - 1 / 50)),
    expectedFrom: 'initializer',
  },
  // Fixed-scale initializers: their own std, judged against the fan-based standard.
  {
    name: 'randomNormal stddev 1 under ReLU (judged against He)',
    init: () => tf.initializers.randomNormal({ stddev: 1, seed: 12 }),
    shape: [784, 128],
    activation: 'relu',
    std: 1,
    expectedStd: Math.sqrt(2 / 784),
    expectedFrom: 'fan-based standard',
  },
  {
    name: 'randomUniform ±0.5 under tanh (judged against Glorot)',
    init: () => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 13 }),
    shape: [100, 50],
    activation: 'tanh',
    std: 1 / Math.sqrt(12),
    expectedStd: Math.sqrt(2 / 150),
    expectedFrom: 'fan-based standard',
  },
  {
    name: 'truncatedNormal stddev 0.2',
    init: () => tf.initializers.truncatedNormal({ stddev: 0.2, seed: 14 }),
    shape: [256, 128],
    activation: 'relu',
    std: 0.2 * T,
    expectedStd: Math.sqrt(2 / 256),
    expectedFrom: 'fan-based standard',
  },
];

function measuredStd(values: Float32Array): number {
  let s = 0;
  let s2 = 0;
  for (const v of values) {
    s += v;
    s2 += v * v;
  }
  const mean = s / values.length;
  return Math.sqrt(s2 / values.length - mean * mean);
}

describe('initializerScale: each initializer’s own formula', () => {
  beforeAll(() => selectBackend());
  for (const c of CASES) {
    it(c.name, () => {
      // The config as a layer serializes it (TF.js writes Glorot/He/LeCun as VarianceScaling).
      const layer =
        c.shape.length === 2
          ? tf.layers.dense({ units: c.shape[1], inputShape: [c.shape[0]], kernelInitializer: c.init() })
          : tf.layers.conv2d({
              filters: c.shape[3],
              kernelSize: c.shape[0],
              inputShape: [8, 8, c.shape[2]],
              kernelInitializer: c.init(),
            });
      tf.sequential({ layers: [layer] });
      const config = layer.getConfig().kernelInitializer as InitializerConfig;
      const scale = initializerScale(config, c.activation ?? null, c.shape);
      expect(scale.initializerStd).toBeCloseTo(c.std, 6);
      expect(scale.expectedStd).toBeCloseTo(c.expectedStd ?? c.std, 6);
      expect(scale.expectedFrom).toBe(c.expectedFrom);
      const kernel = layer.getWeights()[0];
      const drawn = measuredStd(kernel.dataSync() as Float32Array);
      expect(Math.abs(drawn / c.std - 1), `drawn std ${drawn} vs formula ${c.std}`).toBeLessThan(0.04);
    });
  }

  it('Keras spellings (fan_avg, truncated_normal) and class names read the same formula', () => {
    const glorot = initializerScale({ className: 'GlorotUniform', config: {} }, 'relu', [32, 4096]);
    expect(glorot.expectedStd).toBeCloseTo(Math.sqrt(2 / 4128), 9);
    const keras = initializerScale(
      {
        className: 'VarianceScaling',
        config: { scale: 2, mode: 'fan_out', distribution: 'truncated_normal' },
      },
      'relu',
      [400, 100],
    );
    expect(keras.expectedStd).toBeCloseTo(Math.sqrt(2 / 100), 9);
  });

  it('constants have std 0 and unknown initializers fall back to the fan-based standard', () => {
    expect(initializerScale({ className: 'Zeros' }, 'relu', [10, 10]).initializerStd).toBe(0);
    const custom = initializerScale({ className: 'MyInit' }, 'relu', [200, 10]);
    expect(custom).toMatchObject({ initializerStd: null, expectedFrom: 'fan-based standard' });
    expect(custom.expectedStd).toBeCloseTo(0.1, 9);
    expect(kernelFans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
  });
});
