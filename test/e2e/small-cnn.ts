// The small CNN of the healthy zoo, the CNN checkup test and the remedies bench: two 3×3 conv +
// max-pool blocks and a 64-unit dense layer on 28×28×1 images, compiled with Adam 1e-3.
import * as tf from '@tensorflow/tfjs';

export function smallCnn(
  options: {
    name?: string;
    loss?: 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy';
    /** For every conv and dense kernel (e.g. zeros, for a planted fault); else the layers' defaults. */
    kernelInitializer?: ReturnType<typeof tf.initializers.zeros>;
  } = {},
): tf.LayersModel {
  const init = options.kernelInitializer ? { kernelInitializer: options.kernelInitializer } : {};
  const model = tf.sequential({
    ...(options.name ? { name: options.name } : {}),
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        padding: 'same',
        ...init,
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', padding: 'same', ...init }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu', ...init }),
      tf.layers.dense({ units: 10, activation: 'softmax', ...init }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: options.loss ?? 'sparseCategoricalCrossentropy' });
  return model;
}
