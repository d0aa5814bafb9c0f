import type { ActivationStats, Evidence } from '../../core/evidence.ts';
import { activationStats, evidence, mlpModel, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './saturation.ts';

/** Hidden tanh layers dense_1, dense_2 and the output layer, with saturated fractions at start and end. */
function tanhNet(
  start: number[],
  end: number[],
  output: { activation: string; start: number; end: number } | null = null,
): Evidence {
  const snapshot = (fractions: number[], outputFraction: number | undefined): ActivationStats[] => [
    ...fractions.map((f, i) =>
      activationStats({ layer: `dense_${i + 1}`, activation: 'tanh', depth: i, fractionSaturated: f }),
    ),
    ...(output
      ? [
          activationStats({
            layer: 'output',
            activation: output.activation,
            depth: fractions.length,
            fractionSaturated: outputFraction,
          }),
        ]
      : []),
  ];
  const model = mlpModel({ activation: 'tanh', outputActivation: output?.activation ?? 'softmax' });
  return evidence({
    model,
    training: training({
      activations: { start: snapshot(start, output?.start), end: snapshot(end, output?.end) },
    }),
  });
}

/** `tanhNet` in a model whose layers named in `frozen` do not train (a frozen pretrained base). */
function frozen(net: Evidence, names: string[]): Evidence {
  const model = net.model ?? mlpModel({ activation: 'tanh' });
  return {
    ...net,
    model: { ...model, layers: model.layers.map((l) => ({ ...l, trainable: !names.includes(l.name) })) },
  };
}

testCheck(check, {
  valid: [
    {
      name: 'a frozen tanh layer 80% saturated is a note; the layer that trains is judged',
      evidence: frozen(tanhNet([0.8, 0.02], [0.8, 0.05]), ['dense_1']),
      status: 'pass',
      measured: { worstLayer: 'dense_2', worstFraction: 0.05, frozenLayer: 'dense_1', frozenFraction: 0.8 },
    },
    {
      name: 'every tanh layer frozen: a note only',
      evidence: frozen(tanhNet([0.8, 0.7], [0.8, 0.7]), ['dense_1', 'dense_2']),
      status: 'pass',
      reason: 'frozen-only',
      measured: { frozenLayers: 'dense_1,dense_2', frozenFraction: 0.8 },
    },
    {
      name: 'tanh layers barely saturated',
      evidence: tanhNet([0.01, 0.02], [0.03, 0.05]),
      status: 'pass',
      measured: {
        worstLayer: 'dense_2',
        worstFraction: 0.05,
        worstSnapshot: 'end',
        layers: 'dense_1,dense_2',
        fractions: [0.03, 0.05],
      },
    },
    {
      name: '10% saturated is at the warn threshold',
      evidence: tanhNet([0.1, 0], [0.1, 0]),
      status: 'pass',
      measured: { worstFraction: 0.1 },
    },
    {
      name: 'sigmoid output saturated at the end is a confident prediction',
      evidence: tanhNet([0, 0], [0.02, 0.02], { activation: 'sigmoid', start: 0, end: 0.95 }),
      status: 'pass',
      measured: { worstFraction: 0.02, layers: 'dense_1,dense_2,output' },
    },
    {
      name: 'ReLU-only model has nothing to judge',
      evidence: evidence({
        training: training({
          activations: {
            start: [activationStats({ layer: 'dense_1' })],
            end: [activationStats({ layer: 'dense_1' })],
          },
        }),
      }),
      status: 'skip',
      reason: 'no-saturating-layers',
    },
    {
      name: 'activations not logged (TensorBoard)',
      evidence: evidence({ training: training() }),
      status: 'skip',
      reason: 'not-logged',
    },
  ],
  invalid: [
    {
      name: 'a third of a tanh layer saturated by the end',
      evidence: tanhNet([0.02, 0.02], [0.33, 0.05]),
      status: 'warn',
      reason: null,
      measured: { worstLayer: 'dense_1', worstFraction: 0.33, worstSnapshot: 'end', activation: 'tanh' },
    },
    {
      name: 'most units saturated from the start (raw 0–255 inputs)',
      evidence: tanhNet([0.8, 0.6], [0.7, 0.4]),
      status: 'fail',
      reason: null,
      measured: { worstLayer: 'dense_1', worstFraction: 0.8, worstSnapshot: 'start', fractions: [0.8, 0.6] },
    },
    {
      name: 'sigmoid output saturated before training',
      evidence: tanhNet([0, 0], [0, 0], { activation: 'sigmoid', start: 0.9, end: 0.9 }),
      status: 'fail',
      reason: null,
      measured: { worstLayer: 'output', worstSnapshot: 'start', worstFraction: 0.9 },
    },
    {
      name: 'hard_sigmoid layer without model evidence',
      evidence: evidence({
        training: training({
          activations: {
            start: [activationStats({ layer: 'gate', activation: 'hard_sigmoid', fractionSaturated: 0.2 })],
            end: [activationStats({ layer: 'gate', activation: 'hard_sigmoid', fractionSaturated: 0.15 })],
          },
        }),
      }),
      status: 'warn',
      reason: null,
      measured: { worstLayer: 'gate', worstFraction: 0.2 },
    },
    {
      name: 'override: stricter fail threshold',
      evidence: tanhNet([0.3, 0], [0.3, 0]),
      thresholds: { failFraction: 0.25 },
      status: 'fail',
      reason: null,
      measured: { worstFraction: 0.3 },
    },
  ],
});
