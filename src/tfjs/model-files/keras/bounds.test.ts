import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.ts';
import type { Json } from '../common.ts';
import { checkTopologyBounds, MAX_PARAMS } from './bounds.ts';

const fail = (p: string) => new UsageError(p);
const seq = (layers: Json[]): Json => ({ class_name: 'Sequential', config: { name: 's', layers } });
let n = 0;
const layer = (class_name: string, config: Json): Json => ({
  class_name,
  config: { name: `${class_name.toLowerCase()}_${n++}`, ...config },
});

describe('checkTopologyBounds', () => {
  // The estimate must equal what TF.js builds for the classes it has formulas for.
  const exact: [string, Json][] = [
    [
      'MLP',
      seq([
        layer('InputLayer', { batch_input_shape: [null, 20] }),
        layer('Dense', { units: 64 }),
        layer('Dropout', { rate: 0.5 }),
        layer('Dense', { units: 10 }),
      ]),
    ],
    [
      'CNN with batch norm',
      seq([
        layer('InputLayer', { batch_input_shape: [null, 28, 28, 1] }),
        layer('Conv2D', { filters: 8, kernel_size: [3, 3], padding: 'valid' }),
        layer('BatchNormalization', { axis: -1 }),
        layer('MaxPooling2D', { pool_size: [2, 2] }),
        layer('Conv2D', { filters: 16, kernel_size: 3, strides: 2, padding: 'same' }),
        layer('Flatten', {}),
        layer('Dense', { units: 10 }),
      ]),
    ],
    [
      'Embedding + LSTM + GRU',
      seq([
        layer('InputLayer', { batch_input_shape: [null, 12] }),
        layer('Embedding', { input_dim: 500, output_dim: 16 }),
        layer('LSTM', { units: 8, return_sequences: true }),
        layer('GRU', { units: 4 }),
        layer('Dense', { units: 1 }),
      ]),
    ],
  ];
  for (const [name, topology] of exact) {
    it(`estimates ${name} exactly`, async () => {
      const model = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
      expect(checkTopologyBounds(topology, fail).params).toBe(model.countParams());
      model.dispose();
    });
  }

  it('refuses a config that would allocate too much, naming the layer', () => {
    const topology = seq([
      layer('InputLayer', { batch_input_shape: [null, 4096] }),
      layer('Dense', { units: 1 << 20 }),
    ]);
    expect(() => checkTopologyBounds(topology, fail)).toThrow(
      new RegExp(`more than ${MAX_PARAMS.toLocaleString('en-US')} parameters \\(at layer 'dense_\\d+'\\)`),
    );
  });

  it('refuses absurd size arguments and input shapes', () => {
    expect(() =>
      checkTopologyBounds(seq([layer('Dense', { units: 1e12, batch_input_shape: [null, 2] })]), fail),
    ).toThrow(/units=1000000000000/);
    expect(() =>
      checkTopologyBounds(seq([layer('InputLayer', { batch_input_shape: [null, 100000, 100000, 3] })]), fail),
    ).toThrow(/input shape/);
  });

  it('does not refuse what it cannot estimate (unknown shapes stop the estimate)', () => {
    const topology = seq([
      layer('InputLayer', { batch_input_shape: [null, 10, 10, 3] }),
      layer('Cropping2D', {
        cropping: [
          [1, 1],
          [1, 1],
        ],
      }),
      layer('Dense', { units: 5000 }),
    ]);
    expect(checkTopologyBounds(topology, fail).params).toBe(0);
  });
});
