// The built-in example: an MLP of ~235k parameters (784-256-128-10) on bundled MNIST —
// what `nn-doctor check` runs with no --model. Healthy by construction: the checkup must pass it.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../core/dataset.ts';
import { loadMnist } from '../data/mnist.ts';

/** Records of MNIST's training split the example checks (enough for every probe's budget). */
export const EXAMPLE_RECORDS = 10_000;

type Initializer = ReturnType<typeof tf.initializers.zeros>;
type Regularizer = ReturnType<typeof tf.regularizers.l2>;

export interface ExampleOptions {
  seed?: number;
  /** Plant faults for tests and demos. */
  hiddenActivation?: 'relu' | 'sigmoid' | 'tanh';
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
  outputActivation?: 'softmax' | 'linear';
  kernelRegularizer?: Regularizer;
  optimizer?: tf.Optimizer;
}

export function exampleModel(options: ExampleOptions = {}): tf.LayersModel {
  const seed = options.seed ?? 42;
  const hidden = options.hiddenActivation ?? 'relu';
  const init = (k: number) =>
    options.kernelInitializer ??
    (hidden === 'relu'
      ? tf.initializers.heNormal({ seed: seed + k })
      : tf.initializers.glorotUniform({ seed: seed + k }));
  const model = tf.sequential({
    name: 'mnist_mlp',
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1], name: 'flatten' }),
      tf.layers.dense({
        units: 256,
        activation: hidden,
        kernelInitializer: init(1),
        biasInitializer: options.biasInitializer,
        kernelRegularizer: options.kernelRegularizer,
        name: 'hidden_1',
      }),
      tf.layers.dense({
        units: 128,
        activation: hidden,
        kernelInitializer: init(2),
        biasInitializer: options.biasInitializer,
        kernelRegularizer: options.kernelRegularizer,
        name: 'hidden_2',
      }),
      tf.layers.dense({
        units: 10,
        activation: options.outputActivation ?? 'softmax',
        kernelInitializer: options.kernelInitializer ?? tf.initializers.glorotUniform({ seed: seed + 3 }),
        kernelRegularizer: options.kernelRegularizer,
        name: 'output',
      }),
    ],
  });
  model.compile({
    optimizer: options.optimizer ?? tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export function exampleData(records = EXAMPLE_RECORDS): Dataset {
  return loadMnist('train', records);
}
