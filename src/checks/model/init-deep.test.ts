import type { ActivationStats, ModelEvidence, TrainingEvidence } from '../../core/evidence.ts';
import { activationStats, activationsOf, evidence, layer, mlpModel, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './init-deep.ts';

/** An MLP with one hidden layer per std, whose activations at init have those stds. */
function deep(
  stds: number[],
  options: { activation?: string; model?: Partial<ModelEvidence>; training?: Partial<TrainingEvidence> } = {},
) {
  const model = mlpModel(
    { hidden: stds.map(() => 64), activation: options.activation ?? 'relu' },
    options.model,
  );
  const start = activationsOf(model, stds);
  return evidence({ model, training: training({ activations: { start, end: start }, ...options.training }) });
}

/** Activation stats measured on the hidden layers and the output layer, with a tiny output std. */
function withTinyOutput(): ReturnType<typeof evidence> {
  const model = mlpModel({ hidden: [64, 64] });
  const start: ActivationStats[] = [
    activationStats({ layer: 'dense_1', depth: 0, std: 0.5 }),
    activationStats({ layer: 'dense_2', depth: 1, std: 0.45 }),
    activationStats({ layer: 'output', activation: 'softmax', depth: 2, units: 10, std: 0.005 }),
  ];
  return evidence({ model, training: training({ activations: { start, end: start } }) });
}

/** Output Dense (linear) followed by a separate softmax Activation layer: both are output side. */
function withActivationLayer(): ReturnType<typeof evidence> {
  const base = mlpModel({ hidden: [64, 64], outputActivation: 'linear' });
  const softmax = layer({
    name: 'softmax',
    className: 'Activation',
    activation: 'softmax',
    outputShape: [null, 10],
    depth: base.layers.length,
  });
  const model = { ...base, layers: [...base.layers, softmax] };
  const start: ActivationStats[] = [
    activationStats({ layer: 'dense_1', depth: 0, std: 0.6 }),
    activationStats({ layer: 'dense_2', depth: 1, std: 0.5 }),
    activationStats({ layer: 'output', activation: 'linear', depth: 2, units: 10, std: 0.02 }),
    activationStats({ layer: 'softmax', activation: 'softmax', depth: 3, units: 10, std: 0.004 }),
  ];
  return evidence({ model, training: training({ activations: { start, end: start } }) });
}

const ratio = (stds: number[]) => stds[0] / stds[stds.length - 1];

// Stds measured at init on MLPs of width 64–128 over a batch of 256 (see the threshold's source).
const GLOROT_RELU_6 = [0.9, 0.63, 0.44, 0.31, 0.22, 0.16];
const HE_RELU_6 = [0.78, 0.8, 0.79, 0.77, 0.8, 0.78];
const GLOROT_TANH_4 = [0.6, 0.52, 0.47, 0.43];
const GLOROT_RELU_2 = [0.57, 0.41];

testCheck(check, {
  valid: [
    {
      name: 'Glorot-initialized ReLU MLP, 6 hidden layers (Keras/TF.js default)',
      evidence: deep(GLOROT_RELU_6),
      status: 'pass',
      measured: {
        ratio: ratio(GLOROT_RELU_6),
        shrinkPerLayer: ratio(GLOROT_RELU_6) ** (1 / 5),
        hiddenLayers: 6,
        firstLayer: 'dense_1',
        lastLayer: 'dense_6',
        lastStd: 0.16,
      },
    },
    {
      name: 'He-initialized ReLU MLP, 6 hidden layers',
      evidence: deep(HE_RELU_6),
      status: 'pass',
      measured: { ratio: 1, hiddenLayers: 6 },
    },
    {
      name: 'Glorot tanh MLP, 4 hidden layers',
      evidence: deep(GLOROT_TANH_4, { activation: 'tanh' }),
      status: 'pass',
      measured: { ratio: ratio(GLOROT_TANH_4), firstStd: 0.6, lastStd: 0.43 },
    },
    {
      name: 'Glorot ReLU MLP, 2 hidden layers, with batch norm',
      evidence: deep(GLOROT_RELU_2, { model: { hasBatchNorm: true } }),
      status: 'pass',
      measured: { ratio: ratio(GLOROT_RELU_2), hasBatchNorm: true, batchSize: 32 },
    },
    {
      name: 'output layer (tiny softmax std) is not counted as hidden',
      evidence: withTinyOutput(),
      status: 'pass',
      measured: { hiddenLayers: 2, lastLayer: 'dense_2', lastStd: 0.45 },
    },
    {
      name: 'separate softmax Activation layer after the output Dense is not hidden either',
      evidence: withActivationLayer(),
      status: 'pass',
      measured: { hiddenLayers: 2, lastLayer: 'dense_2', ratio: 1.2 },
    },
    {
      name: 'PyTorch-default ReLU MLP, 2 hidden layers: 2.2× across them (healthy)',
      evidence: deep([0.42, 0.19]),
      status: 'pass',
      measured: { ratio: 0.42 / 0.19 },
    },
    {
      name: 'PyTorch-default ReLU MLP, 3 hidden layers: √6 ≈ 2.45× per layer',
      evidence: deep([0.6, 0.245, 0.1]),
      status: 'pass',
      measured: { shrinkPerLayer: Math.sqrt(6) },
    },
    {
      name: 'one hidden layer: nothing to compare',
      evidence: deep([0.5]),
      status: 'skip',
      reason: 'too-shallow',
      measured: { hiddenLayers: 1 },
    },
    {
      name: 'no activation statistics recorded',
      evidence: evidence({ model: mlpModel(), training: training() }),
      status: 'skip',
      reason: 'no-activations',
    },
    { name: 'no training evidence', evidence: evidence({ model: mlpModel() }), status: 'skip' },
  ],
  invalid: [
    {
      name: 'small random init on tanh: activations vanish',
      evidence: deep([0.3, 0.03, 0.003, 3e-4, 3e-5], { activation: 'tanh' }),
      status: 'fail',
      reason: 'vanished',
      measured: { lastStd: 3e-5, ratio: 1e4, hiddenLayers: 5 },
    },
    {
      name: 'std shrinks 12× over 4 layers',
      evidence: deep([0.6, 0.3, 0.15, 0.05], { activation: 'sigmoid' }),
      status: 'fail',
      reason: 'shrinking',
      measured: { ratio: 12, lastStd: 0.05 },
    },
    {
      name: '10-layer Glorot ReLU MLP loses 22×',
      evidence: deep([0.9, 0.64, 0.45, 0.32, 0.22, 0.16, 0.11, 0.08, 0.056, 0.04]),
      status: 'fail',
      reason: 'shrinking',
      measured: { ratio: 22.5, hiddenLayers: 10 },
    },
    {
      name: 'std drops 3.1× at every layer of a 3-layer net (9.6× overall)',
      evidence: deep([0.8, 0.258, 0.0833]),
      status: 'warn',
      reason: 'shrinking',
      measured: { ratio: 0.8 / 0.0833, shrinkPerLayer: Math.sqrt(0.8 / 0.0833) },
    },
    {
      name: 'override: the former 2× per-layer warn',
      evidence: deep([0.8, 0.35, 0.16]),
      thresholds: { warnShrinkPerLayer: 2 },
      status: 'warn',
      reason: 'shrinking',
      measured: { ratio: 5, shrinkPerLayer: Math.sqrt(5) },
    },
    {
      name: 'activations grow with depth (weights too large)',
      evidence: deep([0.5, 5, 50], { activation: 'linear' }),
      status: 'warn',
      reason: 'growing',
      measured: { ratio: 0.01, firstStd: 0.5, lastStd: 50 },
    },
    {
      name: 'healthy scale but batch size 4',
      evidence: deep(HE_RELU_6, { training: { batchSize: 4 }, model: { hasBatchNorm: true } }),
      status: 'warn',
      reason: 'small-batch',
      measured: { batchSize: 4, hasBatchNorm: true, ratio: 1 },
    },
    {
      name: 'NaN activations at init',
      evidence: deep([0.5, Number.NaN, Number.NaN]),
      status: 'fail',
      reason: 'non-finite',
      measured: { firstStd: 0.5 },
    },
    {
      name: 'override: stricter overall ratio fails the Glorot ReLU MLP',
      evidence: deep(GLOROT_RELU_6),
      thresholds: { failRatio: 3 },
      status: 'fail',
      reason: 'shrinking',
      measured: { ratio: ratio(GLOROT_RELU_6) },
    },
  ],
});
