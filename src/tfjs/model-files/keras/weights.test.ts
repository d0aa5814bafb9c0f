import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.ts';
import { type LayerTree, namePathSource, snakeCase } from './weights.ts';

const fail = (p: string) => new UsageError(p);
const entry = (name: string) => ({
  name,
  weight: () => ({ where: name, shape: [1], read: () => new Float32Array(1) }),
});

describe('namePathSource: manifest / weight_names paths → layers', () => {
  // A functional model with a nested MobileNet-like model, as tensorflowjs_converter names its weights:
  // top-level layers with or without the model-name prefix, nested layers without the nested model's name.
  const tree: LayerTree[] = [
    { name: 'input_1', children: null },
    {
      name: 'backbone',
      children: [
        { name: 'Conv1', children: null },
        { name: 'bn_Conv1', children: null },
      ],
    },
    { name: 'predictions', children: null },
  ];
  const names = [
    'grocery/predictions/kernel',
    'predictions/bias',
    'Conv1/kernel',
    'bn_Conv1/gamma',
    'backbone/bn_Conv1/beta',
  ];
  const src = namePathSource(names.map(entry), tree, fail);

  it('groups by the first component naming a layer, in stored order', () => {
    expect(src.layer('predictions').map((w) => w.where)).toEqual([
      'grocery/predictions/kernel',
      'predictions/bias',
    ]);
    expect(src.layer('input_1')).toEqual([]);
  });

  it('gives a nested model the weights of its layers, with or without its own name in front', () => {
    const inner = tf.sequential({
      name: 'backbone',
      layers: [
        tf.layers.dense({ units: 1, inputShape: [1], name: 'Conv1' }),
        tf.layers.batchNormalization({ name: 'bn_Conv1' }),
      ],
    });
    const nested = src.nested(inner);
    expect(nested.layer('Conv1').map((w) => w.where)).toEqual(['Conv1/kernel']);
    expect(nested.layer('bn_Conv1').map((w) => w.where)).toEqual([
      'bn_Conv1/gamma',
      'backbone/bn_Conv1/beta',
    ]);
    inner.dispose();
  });

  it('refuses a weight that belongs to no layer', () => {
    expect(() => namePathSource([entry('stray/kernel')], tree, fail)).toThrow(
      /stored weight 'stray\/kernel' belongs to no layer of the model \(layers: input_1, backbone, predictions\)/,
    );
  });
});

describe('snakeCase (Keras to_snake_case: the .keras weight paths)', () => {
  it.each([
    ['Dense', 'dense'],
    ['Conv2D', 'conv2d'],
    ['MaxPooling2D', 'max_pooling2d'],
    ['BatchNormalization', 'batch_normalization'],
    ['SimpleRNN', 'simple_rnn'],
    ['PReLU', 'p_re_lu'],
    ['LSTM', 'lstm'],
    ['InputLayer', 'input_layer'],
    ['Conv2DTranspose', 'conv2d_transpose'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'],
  ])('%s → %s', (cls, snake) => expect(snakeCase(cls)).toBe(snake));
});
