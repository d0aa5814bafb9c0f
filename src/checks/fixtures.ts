// Builders of evidence fixtures for check tests. Each returns a healthy, internally consistent
// default (an MNIST-like classifier: 784 inputs scaled to [0,1], a ReLU MLP, softmax over 10
// classes) that a test overrides field by field to describe the fault it is about.
import type {
  ActivationStats,
  DatasetEvidence,
  Evidence,
  KernelStats,
  LayerInfo,
  ModelEvidence,
  Series,
  TaskEvidence,
  TrainingEvidence,
} from '../core/evidence.ts';

/** A series measured at steps start, start+1, … */
export function series(values: number[], start = 0): Series {
  return { steps: values.map((_, i) => start + i), values };
}

/** Evidence from a TF.js run holding the given parts. */
export function evidence(parts: Omit<Evidence, 'source'> = {}): Evidence {
  return { source: 'tfjs', ...parts };
}

export function task(over: Partial<TaskEvidence> = {}): TaskEvidence {
  return {
    kind: 'classification',
    classes: 10,
    loss: 'categorical_crossentropy',
    outputActivations: ['softmax'],
    labelEncoding: 'one-hot',
    optimizer: 'adam',
    learningRate: 1e-3,
    batchSize: 32,
    ...over,
  };
}

/** A regression task: one linear output under mean squared error. */
export function regressionTask(over: Partial<TaskEvidence> = {}): TaskEvidence {
  return task({
    kind: 'regression',
    classes: null,
    loss: 'mean_squared_error',
    outputActivations: ['linear'],
    labelEncoding: 'continuous',
    ...over,
  });
}

/** MNIST pixels scaled to [0,1]: the standard, healthy setup. */
export function dataset(over: Partial<DatasetEvidence> = {}): DatasetEvidence {
  return {
    source: 'mnist',
    records: 1000,
    featureShape: [28, 28, 1],
    features: 784,
    mean: 0.1307,
    std: 0.3081,
    min: 0,
    max: 1,
    meanAbsFeatureMean: 0.1307,
    nonFiniteFeatures: 0,
    nonFiniteLabels: 0,
    classCounts: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
    targetVariance: null,
    ...over,
  };
}

export function layer(over: Partial<LayerInfo> & Pick<LayerInfo, 'name'>): LayerInfo {
  return {
    className: 'Dense',
    activation: 'relu',
    outputShape: [null, 64],
    params: 0,
    trainable: true,
    depth: 0,
    ...over,
  };
}

/** Std of the initializer a layer with this activation should use: He for ReLU, Glorot otherwise. */
export function fanStd(fanIn: number, fanOut: number, activation: string | null): number {
  return activation === 'relu' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
}

/** A Glorot-uniform-initialized dense kernel with the given fans; std defaults to Glorot's. */
export function kernel(over: Partial<KernelStats> & Pick<KernelStats, 'layer'>): KernelStats {
  const fanIn = over.fanIn ?? 64;
  const fanOut = over.fanOut ?? 64;
  const std = over.std ?? Math.sqrt(2 / (fanIn + fanOut));
  return {
    weight: `${over.layer}/kernel`,
    depth: 0,
    shape: [fanIn, fanOut],
    fanIn,
    fanOut,
    mean: 0,
    std,
    variance: std * std,
    initializer: 'GlorotUniform',
    expectedStd: fanStd(fanIn, fanOut, 'relu'),
    identicalUnits: false,
    ...over,
  };
}

export interface MlpOptions {
  inputs?: number;
  hidden?: number[];
  activation?: string;
  outputs?: number;
  outputActivation?: string;
  name?: string;
}

/**
 * A Sequential MLP as the model probe would describe it at fresh init: Flatten (when the
 * input is 28×28), Dense hidden layers, a Dense output. Kernels are Glorot-uniform.
 */
export function mlpModel(options: MlpOptions = {}, over: Partial<ModelEvidence> = {}): ModelEvidence {
  const inputs = options.inputs ?? 784;
  const hidden = options.hidden ?? [128, 64];
  const activation = options.activation ?? 'relu';
  const outputs = options.outputs ?? 10;
  const outputActivation = options.outputActivation ?? 'softmax';
  const layers: LayerInfo[] = [];
  const kernels: KernelStats[] = [];
  if (inputs === 784) {
    layers.push(layer({ name: 'flatten', className: 'Flatten', activation: null, outputShape: [null, 784] }));
  }
  const widths = [inputs, ...hidden, outputs];
  for (let i = 1; i < widths.length; i++) {
    const isOutput = i === widths.length - 1;
    const name = isOutput ? 'output' : `dense_${i}`;
    const act = isOutput ? outputActivation : activation;
    const fanIn = widths[i - 1];
    const fanOut = widths[i];
    layers.push(
      layer({
        name,
        activation: act,
        outputShape: [null, fanOut],
        params: fanIn * fanOut + fanOut,
        depth: layers.length,
      }),
    );
    kernels.push(
      kernel({ layer: name, depth: i - 1, fanIn, fanOut, expectedStd: fanStd(fanIn, fanOut, act) }),
    );
  }
  const params = layers.reduce((sum, l) => sum + l.params, 0);
  return {
    name: options.name ?? 'sequential_1',
    params,
    trainableParams: params,
    layers,
    hiddenLayers: hidden.length,
    hasBatchNorm: false,
    family: null,
    freshInit: true,
    kernels,
    biases: kernels.map((k) => ({ layer: k.layer, weight: `${k.layer}/bias`, mean: 0, min: 0, max: 0 })),
    regularization: [],
    ...over,
  };
}

export function activationStats(
  over: Partial<ActivationStats> & Pick<ActivationStats, 'layer'>,
): ActivationStats {
  return {
    activation: 'relu',
    depth: 0,
    units: 64,
    records: 256,
    mean: 0.3,
    std: 0.5,
    fractionDead: 0,
    fractionSaturated: 0,
    ...over,
  };
}

/**
 * Activation statistics of the model's hidden layers, then its output layer, with the given
 * stds (input side first). The output layer gets std 0.1.
 */
export function activationsOf(model: ModelEvidence, hiddenStds: number[]): ActivationStats[] {
  const dense = model.layers.filter((l) => l.className === 'Dense');
  const hidden = dense.slice(0, -1);
  const output = dense[dense.length - 1];
  const stats = hiddenStds.map((std, i) =>
    activationStats({
      layer: hidden[i]?.name ?? `dense_${i + 1}`,
      activation: hidden[i]?.activation ?? 'relu',
      depth: i,
      units: Number(hidden[i]?.outputShape[1] ?? 64),
      std,
      mean: std * 0.6,
    }),
  );
  if (output) {
    stats.push(
      activationStats({
        layer: output.name,
        activation: output.activation ?? 'linear',
        depth: stats.length,
        units: Number(output.outputShape[1] ?? 10),
        std: 0.1,
        mean: 0.1,
      }),
    );
  }
  return stats;
}

/** A healthy short training run: loss falling from ln(10) over 100 steps, no telemetry. */
export function training(over: Partial<TrainingEvidence> = {}): TrainingEvidence {
  const values = Array.from({ length: 100 }, (_, i) => 0.3 + (Math.log(10) - 0.3) * Math.exp(-i / 30));
  return {
    optimizer: 'adam',
    learningRate: 1e-3,
    batchSize: 32,
    loss: series(values),
    initialLoss: Math.log(10),
    nonFiniteStep: null,
    weights: [],
    noGradient: [],
    ...over,
  };
}
