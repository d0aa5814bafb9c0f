import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../core/evidence.ts';
import { runCheck } from '../../core/runner.ts';
import { activationStats, evidence, layer, mlpModel, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './dead-relu.ts';

/** ReLU layers dense_1, dense_2 and a softmax output, with dead fractions at start and end. */
function reluNet(start: number[], end: number[], records = 512, activation = 'relu'): Evidence {
  const snapshot = (fractions: number[]) => [
    ...fractions.map((f, i) =>
      activationStats({ layer: `dense_${i + 1}`, activation, depth: i, records, fractionDead: f }),
    ),
    activationStats({ layer: 'output', activation: 'softmax', depth: fractions.length, records }),
  ];
  return evidence({ training: training({ activations: { start: snapshot(start), end: snapshot(end) } }) });
}

/** `reluNet` with a trained checkpoint whose own loss is `loss` (chance ln 10) and whose dense_1 is `dead` dead. */
function checkpointNet(loss: number, dead: number, run = reluNet([0, 0.02], [0.05, 0.1])): Evidence {
  return {
    ...run,
    checkpoint: {
      signals: ['dense_1 biases moved off their initial 0'],
      records: 256,
      loss,
      accuracy: loss < 1 ? 0.95 : 0.2,
      chanceLoss: Math.log(10),
      activations: [
        activationStats({ layer: 'dense_1', activation: 'relu', depth: 0, records: 256, fractionDead: dead }),
      ],
    },
  };
}

/** `reluNet` in a model whose layers named in `frozen` do not train (a transfer setup). */
function withFrozen(run: Evidence, frozen: string[]): Evidence {
  const model = mlpModel({ hidden: [64, 32] });
  return {
    ...run,
    model: { ...model, layers: model.layers.map((l) => ({ ...l, trainable: !frozen.includes(l.name) })) },
  };
}

testCheck(check, {
  valid: [
    {
      name: 'a few dead units',
      evidence: reluNet([0.02, 0.05], [0.04, 0.1]),
      status: 'pass',
      measured: {
        worstLayer: 'dense_2',
        worstFraction: 0.1,
        worstSnapshot: 'end',
        records: 512,
        layers: 'dense_1,dense_2',
        fractions: [0.04, 0.1],
      },
    },
    {
      name: 'exactly 20% dead is at the warn threshold',
      evidence: reluNet([0.2, 0], [0.2, 0]),
      status: 'pass',
      measured: { worstFraction: 0.2 },
    },
    {
      name: 'few records but no dead units',
      evidence: reluNet([0, 0], [0, 0.05], 64),
      status: 'pass',
      measured: { records: 64 },
    },
    {
      name: 'leaky ReLU units cannot die',
      evidence: reluNet([0, 0], [0, 0], 512, 'leakyReLU'),
      status: 'skip',
      reason: 'no-relu-layers',
    },
    {
      name: 'a frozen pretrained layer with 70% dead units is a note; the layers that train are judged',
      evidence: withFrozen(reluNet([0.7, 0.02], [0.7, 0.05]), ['flatten', 'dense_1']),
      status: 'pass',
      measured: {
        worstLayer: 'dense_2',
        worstFraction: 0.05,
        frozenLayer: 'dense_1',
        frozenFraction: 0.7,
        frozenLayers: 'dense_1',
        layers: 'dense_2',
      },
    },
    {
      name: 'every ReLU layer frozen: nothing to judge, a note',
      evidence: withFrozen(reluNet([0.7, 0.6], [0.7, 0.6]), ['dense_1', 'dense_2']),
      status: 'pass',
      reason: 'frozen-only',
      measured: { frozenLayer: 'dense_1', frozenFraction: 0.7, frozenLayers: 'dense_1,dense_2' },
    },
    {
      name: 'a ReLU Activation layer after a frozen Dense is frozen too',
      evidence: (() => {
        const run = reluNet([0.7, 0.02], [0.7, 0.05]);
        const model = mlpModel({ hidden: [64, 32] });
        // dense_1 → a weightless 'dense_1' stands in for [frozen Dense 'base', Activation 'dense_1'].
        const layers = [
          layer({ name: 'base', activation: 'linear', params: 50_240, trainable: false, depth: 0 }),
          layer({ name: 'dense_1', className: 'Activation', activation: 'relu', params: 0, depth: 1 }),
          ...model.layers
            .filter((l) => l.name === 'dense_2' || l.name === 'output')
            .map((l, i) => ({ ...l, depth: 2 + i })),
        ];
        return { ...run, model: { ...model, layers } };
      })(),
      status: 'pass',
      measured: { frozenLayer: 'dense_1', worstLayer: 'dense_2' },
    },
    {
      name: 'a trained checkpoint that fits its data (loss 0.2 vs ln 10) with 70% dead units: capacity lost, a warn',
      evidence: checkpointNet(0.2, 0.7),
      status: 'warn',
      reason: 'checkpoint-fits',
      measured: {
        worstSnapshot: 'checkpoint',
        worstLayer: 'dense_1',
        worstFraction: 0.7,
        checkpointLoss: 0.2,
        checkpointChanceLoss: Math.log(10),
        checkpointAccuracy: 0.95,
      },
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
      name: 'a trained checkpoint whose own loss is poor (2.1 vs ln 10) with 70% dead units',
      evidence: checkpointNet(2.1, 0.7),
      status: 'fail',
      reason: null,
      measured: { worstSnapshot: 'checkpoint', worstLayer: 'dense_1', worstFraction: 0.7 },
    },
    {
      name: 'a checkpoint that fits, but retrained from initialization its units die: the run fails',
      evidence: checkpointNet(0.2, 0.7, reluNet([0, 0.02], [0.8, 0.1])),
      status: 'fail',
      reason: null,
      measured: { worstSnapshot: 'end', worstLayer: 'dense_1', worstFraction: 0.8 },
    },
    {
      name: 'override: a checkpoint must fit more tightly to count (loss 0.2 > 0.05 × ln 10)',
      evidence: checkpointNet(0.2, 0.7),
      thresholds: { checkpointFitsBelow: 0.05 },
      status: 'fail',
      reason: null,
      measured: { worstSnapshot: 'checkpoint' },
    },
    {
      name: 'frozen layers aside, a layer that trains and dies still fails',
      evidence: withFrozen(reluNet([0.7, 0.02], [0.7, 0.65]), ['dense_1']),
      status: 'fail',
      reason: null,
      measured: { worstLayer: 'dense_2', worstFraction: 0.65, frozenLayer: 'dense_1' },
    },
    {
      name: 'units alive at the start, dead at the end',
      evidence: reluNet([0, 0], [0.6, 0.1]),
      status: 'fail',
      reason: null,
      measured: { worstSnapshot: 'end', startFraction: 0, endFraction: 0.6 },
    },
    {
      name: 'a third of a layer dead by the end',
      evidence: reluNet([0.05, 0.05], [0.05, 0.35]),
      status: 'warn',
      reason: null,
      measured: { worstLayer: 'dense_2', worstFraction: 0.35, worstSnapshot: 'end' },
    },
    {
      name: 'most of a layer dead after a too-large LR',
      evidence: reluNet([0.05, 0.05], [0.7, 0.3]),
      status: 'fail',
      reason: null,
      measured: { worstLayer: 'dense_1', worstFraction: 0.7, fractions: [0.7, 0.3] },
    },
    {
      name: 'relu6 layer dead from the start',
      evidence: reluNet([0.6, 0], [0.55, 0], 256, 'relu6'),
      status: 'fail',
      reason: null,
      measured: { worstFraction: 0.6, worstSnapshot: 'start', records: 256 },
    },
    {
      name: 'fewer than 256 records: fail capped at warn',
      evidence: reluNet([0.05, 0.05], [0.7, 0.3], 64),
      status: 'warn',
      reason: 'few-records',
      measured: { worstFraction: 0.7, records: 64 },
    },
    {
      name: 'override: stricter warn threshold',
      evidence: reluNet([0.1, 0], [0.1, 0]),
      thresholds: { warnFraction: 0.05 },
      status: 'warn',
      reason: null,
      measured: { worstFraction: 0.1 },
    },
  ],
});

describe('activations/dead-relu from a logged histogram', () => {
  it('says the fraction is an estimate, never "never positive on N records"', () => {
    const stats = (f: number) => [
      activationStats({ layer: 'fc1', fractionDead: f, records: 40, units: 64, histogramValues: 2560 }),
    ];
    const result = runCheck(
      check,
      { source: 'tensorboard', training: training({ activations: { start: stats(0.7), end: stats(0.7) } }) },
      {},
    );
    expect(result.status).toBe('warn'); // few records per unit cap the verdict
    expect(result.summary).toMatch(
      /^An estimated 70\.0% of the units of fc1 are dead .* histogram of 2,560 output values/,
    );
    expect(result.summary).not.toMatch(/never positive/);
    expect(result.measured).toMatchObject({ estimated: true, histogramValues: 2560 });
  });
});
