import type { KernelStats, ModelEvidence } from '../../core/evidence.ts';
import { evidence, fanStd, kernel, mlpModel } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './init-shallow.ts';

/** The default MLP (784 → 128 relu → 64 relu → 10 softmax) with one kernel replaced. */
function withKernel(layer: string, over: Partial<KernelStats>, model: ModelEvidence = mlpModel()) {
  const kernels = model.kernels.map((k) => (k.layer === layer ? { ...k, ...over } : k));
  return evidence({ model: { ...model, kernels } });
}

const he784 = fanStd(784, 128, 'relu');

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
  ],
  invalid: [
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
