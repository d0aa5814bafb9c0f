// Models and data shared by the benches (watch-overhead, watch-detect, wasm-cnn): the built-in
// MNIST MLP (784-256-128-10) and a LeNet-style CNN, on real MNIST training images.
// (In bench/lib/: a helper, not a bench of its own for `npm run bench`.)
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../../src/data/mnist.ts';
import { exampleModel } from '../../src/example/mnist-mlp.ts';

/** LeNet-style CNN for 28×28×1 images, He-initialized from `seed`, not compiled. */
export function lenet(seed = 1): tf.Sequential {
  const init = (k: number) => tf.initializers.heNormal({ seed: seed + k });
  return tf.sequential({
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
}

export const MODELS: Record<string, () => tf.LayersModel> = {
  'MNIST MLP': () => exampleModel(),
  LeNet: () => {
    const model = lenet();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  },
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
