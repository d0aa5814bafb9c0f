import type { KernelStats, ModelEvidence } from '../../core/evidence.ts';
import { initializerScale } from '../../tfjs/initializer-scale.ts';
import { evidence, fanStd, kernel, mlpModel } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './init-shallow.ts';

/** The default MLP (784 → 128 relu → 64 relu → 10 softmax) with one kernel replaced. */
function withKernel(layer: string, over: Partial<KernelStats>, model: ModelEvidence = mlpModel()) {
  const kernels = model.kernels.map((k) => (k.layer === layer ? { ...k, ...over } : k));
  return evidence({ model: { ...model, kernels } });
}

const he784 = fanStd(784, 128, 'relu');

/**
 * A one-hidden-layer model whose hidden kernel has this initializer, as model-info.ts describes
 * it: the expected scale from initializerScale, the measured std `times` the initializer's own.
 */
function initialized(
  className: string,
  config: Record<string, unknown>,
  shape: number[],
  activation: string,
  times = 1,
) {
  const scale = initializerScale({ className, config }, activation, shape);
  const units = shape[shape.length - 1];
  const fanIn = shape.length === 2 ? shape[0] : shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const fanOut = shape.length === 2 ? shape[1] : shape.slice(0, -2).reduce((a, b) => a * b, 1) * units;
  const std = (scale.initializerStd ?? scale.expectedStd) * times;
  const hidden = kernel({
    layer: 'hidden',
    shape,
    fanIn,
    fanOut,
    std,
    variance: std * std,
    initializer: className,
    expectedStd: scale.expectedStd,
    initializerStd: scale.initializerStd,
    expectedFrom: scale.expectedFrom,
    expectedFormula: scale.formula,
  });
  const model = mlpModel({
    inputs: fanIn,
    hidden: [units],
    activation,
    outputs: 1,
    outputActivation: 'linear',
  });
  return evidence({
    model: {
      ...model,
      layers: model.layers.map((l) => (l.name === 'dense_1' ? { ...l, name: 'hidden' } : l)),
      kernels: [hidden, { ...model.kernels[1], depth: 1 }],
    },
  });
}

testCheck(check, {
  valid: [
    {
      name: 'Glorot-uniform ReLU MLP (Keras/TF.js default)',
      evidence: evidence({ model: mlpModel() }),
      status: 'pass',
      measured: { badKernels: 0, kernels: 3 },
    },
    {
      name: 'He-normal ReLU MLP',
      evidence: withKernel('dense_1', { std: he784, initializer: 'HeNormal' }),
      status: 'pass',
      measured: { badKernels: 0 },
    },
    {
      name: 'tanh MLP with Glorot',
      evidence: evidence({ model: mlpModel({ activation: 'tanh', hidden: [64, 64, 64, 64] }) }),
      status: 'pass',
      measured: { ratio: 1, badKernels: 0, kernels: 5 },
    },
    {
      name: 'regression head: one output unit is not "identical units"',
      evidence: withKernel(
        'output',
        { fanOut: 1, shape: [64, 1], identicalUnits: true },
        mlpModel({ inputs: 13, hidden: [64, 64], outputs: 1, outputActivation: 'linear' }),
      ),
      status: 'pass',
      measured: { badKernels: 0 },
    },
    {
      name: 'single-weight kernel has std 0 by construction',
      evidence: evidence({
        model: mlpModel(
          {},
          { kernels: [kernel({ layer: 'dense_1', fanIn: 1, fanOut: 1, std: 0, expectedStd: null })] },
        ),
      }),
      status: 'pass',
    },
    {
      name: 'unknown expected scale is not judged',
      evidence: withKernel('dense_1', { std: 3, expectedStd: null, initializer: null }),
      status: 'pass',
      measured: { badKernels: 0 },
    },
    {
      name: 'model without kernels',
      evidence: evidence({ model: mlpModel({}, { kernels: [] }) }),
      status: 'skip',
      reason: 'no-kernels',
    },
    // One case per initializer: the kernel at its initializer's own scale passes.
    {
      name: 'GlorotUniform 32 → 4,096 under ReLU: √(2 / 4,128) = 0.022 is Glorot by design',
      evidence: initialized(
        'VarianceScaling',
        { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
        [32, 4096],
        'relu',
      ),
      status: 'pass',
      measured: { badKernels: 0, kernels: 2 },
    },
    ...(
      [
        ['GlorotNormal', {}, [300, 100], 'tanh'],
        ['HeNormal', {}, [512, 64], 'relu'],
        ['HeUniform (3×3 conv)', {}, [3, 3, 16, 32], 'relu'],
        ['LeCunNormal', {}, [200, 200], 'selu'],
        ['LeCunUniform', {}, [100, 400], 'tanh'],
        [
          'VarianceScaling fan_out normal scale 2',
          { scale: 2, mode: 'fan_out', distribution: 'normal' },
          [400, 100],
          'relu',
        ],
        [
          'VarianceScaling scale 1/3 (PyTorch default)',
          { scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' },
          [256, 256],
          'relu',
        ],
        ['Orthogonal gain 1', { gain: 1 }, [64, 128], 'tanh'],
        ['Orthogonal (3×3 conv) gain 1.2', { gain: 1.2 }, [3, 3, 8, 16], 'relu'],
        ['Identity', { gain: 1 }, [50, 50], 'linear'],
        ['RandomNormal stddev 0.05 (the default) on 784 inputs', { stddev: 0.05 }, [784, 128], 'relu'],
        ['RandomUniform ±0.1 on 100 → 50 tanh', { minval: -0.1, maxval: 0.1 }, [100, 50], 'tanh'],
        ['TruncatedNormal stddev 0.05', { stddev: 0.05 }, [512, 256], 'relu'],
      ] as const
    ).map(([name, config, shape, activation]) => ({
      name: `${name}: at its own scale`,
      evidence: initialized(name.split(' ')[0], config, [...shape], activation),
      status: 'pass' as const,
      measured: { badKernels: 0 },
    })),
  ],
  invalid: [
    {
      name: 'RandomNormal stddev 1 under ReLU: 28× He’s √(2 / 784), judged against the fan-based standard',
      evidence: initialized('RandomNormal', { stddev: 1 }, [784, 128], 'relu'),
      status: 'warn',
      reason: 'too-large',
      measured: {
        layer: 'hidden',
        std: 1,
        expectedStd: he784,
        ratio: 1 / he784,
        initializerStd: 1,
        expectedFrom: 'fan-based standard',
        fanIn: 784,
        fanOut: 128,
      },
    },
    {
      name: 'RandomUniform ±0.001 on 100 → 50 tanh: far under Glorot',
      evidence: initialized('RandomUniform', { minval: -0.001, maxval: 0.001 }, [100, 50], 'tanh'),
      status: 'warn',
      reason: 'too-small',
      measured: { layer: 'hidden', expectedStd: Math.sqrt(2 / 150), expectedFrom: 'fan-based standard' },
    },
    {
      name: 'VarianceScaling scale 400: judged at the standard gain 2, √200 = 14× too large',
      evidence: initialized(
        'VarianceScaling',
        { scale: 400, mode: 'fanIn', distribution: 'uniform' },
        [128, 64],
        'relu',
      ),
      status: 'warn',
      reason: 'too-large',
      measured: {
        layer: 'hidden',
        ratio: Math.sqrt(200),
        expectedStd: Math.sqrt(2 / 128),
        expectedFrom: 'initializer',
      },
    },
    {
      name: 'VarianceScaling scale 1e-4 fan_avg: far too small',
      evidence: initialized(
        'VarianceScaling',
        { scale: 1e-4, mode: 'fanAvg', distribution: 'uniform' },
        [128, 64],
        'tanh',
      ),
      status: 'warn',
      reason: 'too-small',
      measured: { layer: 'hidden', expectedFrom: 'initializer', initializerStd: Math.sqrt(1e-4 / 96) },
    },
    {
      name: 'Glorot configured, weights 30× its formula (set after building)',
      evidence: initialized('GlorotUniform', {}, [32, 4096], 'relu', 30),
      status: 'warn',
      reason: 'too-large',
      measured: { layer: 'hidden', ratio: 30, expectedStd: Math.sqrt(2 / 4128), expectedFrom: 'initializer' },
    },
    {
      name: 'a trained checkpoint with identical units (the re-initialized clone is fine)',
      evidence: evidence({
        model: { ...mlpModel(), weightsFrom: 'reinitialized-clone', freshInit: false },
        checkpoint: {
          signals: ['dense_1 biases moved off their initial 0'],
          records: 256,
          loss: 2.3,
          accuracy: 0.1,
          chanceLoss: Math.log(10),
          activations: [],
          kernels: mlpModel().kernels.map((k) =>
            k.layer === 'dense_2' ? { ...k, identicalUnits: true } : k,
          ),
        },
      }),
      status: 'fail',
      reason: 'checkpoint-identical-units',
      measured: { layer: 'dense_2', inCheckpoint: true },
    },
    {
      name: 'a trained checkpoint with an all-zero kernel (the re-initialized clone is fine)',
      evidence: evidence({
        model: { ...mlpModel(), weightsFrom: 'reinitialized-clone', freshInit: false },
        checkpoint: {
          signals: ['dense_1 biases moved off their initial 0'],
          records: 256,
          loss: 2.3,
          accuracy: 0.1,
          chanceLoss: Math.log(10),
          activations: [],
          kernels: mlpModel().kernels.map((k) => (k.layer === 'dense_2' ? { ...k, std: 0, variance: 0 } : k)),
        },
      }),
      status: 'fail',
      reason: 'checkpoint-constant',
      measured: { layer: 'dense_2', inCheckpoint: true },
    },
    {
      name: 'zero-initialized hidden layer',
      evidence: withKernel('dense_2', { std: 0, variance: 0, initializer: 'Zeros', identicalUnits: true }),
      status: 'fail',
      reason: 'constant',
      measured: { layer: 'dense_2', std: 0, badKernels: 1, initializer: 'Zeros' },
    },
    {
      name: 'constant (ones) kernel: identical units with nonzero std across inputs',
      evidence: withKernel('dense_1', { std: 0.02, mean: 1, initializer: 'Ones', identicalUnits: true }),
      status: 'fail',
      reason: 'identical-units',
      measured: { layer: 'dense_1', badKernels: 1, initializer: 'Ones' },
    },
    {
      name: 'zero kernel outranks a mis-scaled one',
      evidence: evidence({
        model: {
          ...mlpModel(),
          kernels: mlpModel().kernels.map((k) =>
            k.layer === 'dense_1' ? { ...k, std: k.std * 50 } : k.layer === 'output' ? { ...k, std: 0 } : k,
          ),
        },
      }),
      status: 'fail',
      reason: 'constant',
      measured: { layer: 'output', std: 0, badKernels: 2, kernels: 3 },
    },
    {
      name: 'randomNormal stddev 1: 20× too large',
      evidence: withKernel('dense_1', { std: 1, initializer: 'RandomNormal' }),
      status: 'warn',
      reason: 'too-large',
      measured: { layer: 'dense_1', std: 1, expectedStd: he784, ratio: 1 / he784, badKernels: 1 },
    },
    {
      name: 'tiny random init (std 1e-4)',
      evidence: withKernel('dense_2', { std: 1e-4, initializer: 'RandomNormal' }),
      status: 'warn',
      reason: 'too-small',
      measured: { layer: 'dense_2', std: 1e-4, ratio: 1e-4 / fanStd(128, 64, 'relu') },
    },
    {
      name: 'override: tighter scale band flags Glorot under ReLU',
      evidence: evidence({ model: mlpModel() }),
      thresholds: { minScaleRatio: 0.95 },
      status: 'warn',
      reason: 'too-small',
      measured: { layer: 'dense_2', ratio: Math.sqrt(128 / 192), badKernels: 2 },
    },
  ],
});
