// Fresh or trained: the weight signals describeModel reads (the loss signal is the checkpoint probe's).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { describeModel } from './model-info.ts';

function mlp(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        units: 16,
        inputShape: [8],
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.batchNormalization(),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
}

describe('describeModel: fresh or trained weights', () => {
  beforeAll(() => selectBackend('cpu'));

  it('a freshly built model is fresh', () => {
    const model = mlp();
    const info = describeModel(model);
    expect(info.freshInit).toBe(true);
    expect(info.trainedSignals).toBeUndefined();
    model.dispose();
  });

  it('biases moved off zero and updated batch-norm statistics mean trained weights', () => {
    const model = mlp();
    const [kernel, bias] = model.layers[0].getWeights();
    model.layers[0].setWeights([kernel, tf.fill(bias.shape, 0.05)]);
    const bn = model.layers[1].getWeights();
    model.layers[1].setWeights([bn[0], bn[1], tf.fill(bn[2].shape, 0.3), bn[3]]);
    const info = describeModel(model);
    expect(info.freshInit).toBe(false);
    expect(info.trainedSignals?.join(' | ')).toMatch(
      /biases moved off their initial 0.*moving mean was updated/,
    );
    model.dispose();
  });

  it('an LSTM’s forget-gate bias of 1 (unitForgetBias) is its initialization, not training', () => {
    const model = tf.sequential({ layers: [tf.layers.lstm({ units: 4, inputShape: [5, 3] })] });
    expect(describeModel(model).freshInit).toBe(true);
    model.dispose();
  });

  it('a kernel scaled 5× off its initializer means trained weights', () => {
    const model = mlp();
    const [kernel, bias] = model.layers[2].getWeights();
    model.layers[2].setWeights([tf.mul(kernel, 5), bias]);
    expect(describeModel(model).trainedSignals?.[0]).toMatch(/kernel std .* is off its initializer/);
    model.dispose();
  });
});
