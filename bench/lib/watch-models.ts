// Models and data shared by the watch benches: the built-in MNIST MLP (784-256-128-10) and a
// LeNet-style CNN (as in bench/wasm-cnn.ts), on real MNIST training images, wasm backend.
// (In bench/lib/: a helper, not a bench of its own for `npm run bench`.)
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../../src/data/mnist.ts';
import { exampleModel } from '../../src/example/mnist-mlp.ts';

export function lenet(seed = 1): tf.LayersModel {
  const init = (k: number) => tf.initializers.heNormal({ seed: seed + k });
  const model = tf.sequential({
    name: 'lenet',
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 32,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 64,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export const MODELS: Record<string, () => tf.LayersModel> = {
  'MNIST MLP': () => exampleModel(),
  LeNet: () => lenet(),
};

export function mnistTensors(records: number): { x: tf.Tensor; y: tf.Tensor } {
  const ds = loadMnist('train', records);
  return tf.tidy(() => ({
    x: tf.tensor(ds.x, [records, 28, 28, 1]),
    y: tf.oneHot(tf.tensor1d(Array.from(ds.y), 'int32'), 10).toFloat(),
  }));
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}
