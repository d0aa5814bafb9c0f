// Reads the model's structure and its weights' statistics into plain ModelEvidence.
import type * as tf from '@tensorflow/tfjs';
import type { BiasStats, KernelStats, LayerInfo, ModelEvidence } from '../core/evidence.ts';
import { type InitializerConfig, initializerScale, kernelFans } from './initializer-scale.ts';

function configOf(layer: tf.layers.Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** Value every entry of a weight holds right after a constant initializer, else null. */
function constantInit(init: InitializerConfig | undefined): number | null {
  switch (init?.className) {
    case 'Zeros':
      return 0;
    case 'Ones':
      return 1;
    case 'Constant':
      return typeof init.config?.value === 'number' ? init.config.value : null;
    default:
      return null;
  }
}

/**
 * Whether a weight that a constant initializer set has since moved: most entries differ from
 * the constant. "Most", not "any": an LSTM's zero-initialized bias starts with its forget-gate
 * quarter at 1 (unitForgetBias), and nothing else starts off the constant.
 */
function movedFromConstant(values: Float32Array, constant: number): boolean {
  let off = 0;
  for (const v of values) if (v !== constant) off++;
  return off > values.length / 2;
}

const BN_STATS: [string, string][] = [
  ['moving_mean', 'movingMeanInitializer'],
  ['moving_variance', 'movingVarianceInitializer'],
];

function identicalUnits(values: Float32Array, shape: number[]): boolean {
  const units = shape[shape.length - 1];
  if (units < 2) return false;
  const rows = values.length / units;
  for (let r = 0; r < rows; r++) {
    const base = values[r * units];
    for (let u = 1; u < units; u++) if (values[r * units + u] !== base) return false;
  }
  return true;
}

function moments(values: Float32Array): { mean: number; variance: number; min: number; max: number } {
  let s = 0;
  let s2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    s += v;
    s2 += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const n = Math.max(1, values.length);
  const mean = s / n;
  return { mean, variance: Math.max(0, s2 / n - mean * mean), min, max };
}

const FAMILIES: [RegExp, string][] = [
  [/^conv\d_block\d+_|^res\d[a-z]_branch|resnet/i, 'resnet'],
  [/^conv_dw_\d+|^conv_pw_\d+|^block_\d+_depthwise|^expanded_conv|mobilenet/i, 'mobilenet'],
  [/^block\d_conv\d$|vgg/i, 'vgg'],
  [/^mixed\d+|inception/i, 'inception'],
  [/efficientnet|^block\d[a-z]_se_/i, 'efficientnet'],
  [/densenet|^conv\d_block\d+_\d_conv/i, 'densenet'],
];

function recognizeFamily(model: tf.LayersModel): string | null {
  for (const [pattern, family] of FAMILIES) {
    const hits = model.layers.filter((l) => pattern.test(l.name)).length;
    if (hits >= 3 || pattern.test(model.name)) return family;
  }
  return null;
}

/** Fan-based weight matrices. Embedding tables are lookups, not fan-in sums: not kernels here. */
export function kernelWeightName(name: string): boolean {
  return /(^|\/)(kernel|depthwise_kernel|pointwise_kernel)(_\d+)?(:\d+)?$/.test(name);
}

export function layerActivation(layer: tf.layers.Layer): string | null {
  const a = configOf(layer).activation;
  if (typeof a === 'string') return a;
  const cls = layer.getClassName();
  if (cls === 'Softmax') return 'softmax';
  if (cls === 'ReLU') return 'relu';
  if (cls === 'LeakyReLU') return 'leakyrelu';
  if (cls === 'ELU') return 'elu';
  return null;
}

function layerInfos(model: tf.LayersModel): LayerInfo[] {
  return model.layers.map((layer, depth) => {
    let outputShape: (number | null)[] = [];
    try {
      const s = layer.outputShape;
      outputShape = (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
    } catch {
      outputShape = [];
    }
    return {
      name: layer.name,
      className: layer.getClassName(),
      activation: layerActivation(layer),
      outputShape,
      params: layer.countParams(),
      trainable: layer.trainable,
      depth,
    };
  });
}

const REGULARIZER_KEYS = [
  'kernelRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'depthwiseRegularizer',
  'pointwiseRegularizer',
  'embeddingsRegularizer',
];

/** A layer's dropout and weight penalties, in words. */
function layerRegularization(layer: tf.layers.Layer, config: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (layer.getClassName() === 'Dropout' || layer.getClassName() === 'SpatialDropout1D') {
    const rate = Number(config.rate ?? 0);
    if (rate > 0) out.push(`${layer.name}: dropout ${rate}`);
  }
  for (const key of REGULARIZER_KEYS) {
    const reg = config[key] as InitializerConfig | null | undefined;
    if (reg?.className)
      out.push(
        `${layer.name}.${key.replace('Regularizer', '')}: ${reg.className}(${JSON.stringify(reg.config ?? {})})`,
      );
  }
  return out;
}

/** What the weights of the model say, layer by layer; `trained` collects why they look trained. */
interface WeightScan {
  kernels: KernelStats[];
  biases: BiasStats[];
  trained: string[];
}

/** A kernel's statistics against its initializer (a scale off it by more than 2× counts as trained). */
function scanKernel(
  scan: WeightScan,
  layer: tf.layers.Layer,
  config: Record<string, unknown>,
  w: tf.LayerVariable,
  short: string,
  values: Float32Array,
  depth: number,
): void {
  const shape = w.shape as number[];
  const { fanIn, fanOut } = kernelFans(shape);
  const m = moments(values);
  const initKey = short.startsWith('depthwise')
    ? 'depthwiseInitializer'
    : short.startsWith('pointwise')
      ? 'pointwiseInitializer'
      : 'kernelInitializer';
  const init = config[initKey] as InitializerConfig | undefined;
  const scale = initializerScale(init, layerActivation(layer), shape);
  const configured = scale.initializerStd;
  const std = Math.sqrt(m.variance);
  // A constant kernel (std ≈ 0) is a broken initialization or save, not training: it stays
  // model/init-shallow's finding, whatever the rest of the weights say.
  const constant = std < 1e-8;
  if (!constant && configured !== null && configured > 0 && (std < configured / 2 || std > configured * 2))
    scan.trained.push(
      `${layer.name} kernel std ${std.toPrecision(3)} is off its initializer's ${configured.toPrecision(3)}`,
    );
  scan.kernels.push({
    layer: layer.name,
    weight: w.name,
    depth,
    shape,
    fanIn,
    fanOut,
    mean: m.mean,
    std,
    variance: m.variance,
    initializer: init?.className ?? null,
    expectedStd: scale.expectedStd,
    initializerStd: scale.initializerStd,
    expectedFrom: scale.expectedFrom,
    expectedFormula: scale.formula,
    identicalUnits: identicalUnits(values, shape),
  });
}

/** A bias or a batch-norm statistic: moved off its constant initial value means trained. */
function scanOther(
  scan: WeightScan,
  layer: tf.layers.Layer,
  config: Record<string, unknown>,
  w: tf.LayerVariable,
  short: string,
  values: Float32Array,
): void {
  if (/bias/.test(short)) {
    const m = moments(values);
    scan.biases.push({ layer: layer.name, weight: w.name, mean: m.mean, min: m.min, max: m.max });
    const constant = constantInit(config.biasInitializer as InitializerConfig | undefined);
    if (constant !== null && movedFromConstant(values, constant))
      scan.trained.push(`${layer.name} biases moved off their initial ${constant}`);
    return;
  }
  const stat = BN_STATS.find(([suffix]) => short.startsWith(suffix));
  const constant = stat ? constantInit(config[stat[1]] as InitializerConfig | undefined) : null;
  if (stat && constant !== null && movedFromConstant(values, constant))
    scan.trained.push(`${layer.name} ${stat[0].replace('_', ' ')} was updated by training`);
}

export function describeModel(model: tf.LayersModel): ModelEvidence {
  const scan: WeightScan = { kernels: [], biases: [], trained: [] };
  const regularization: string[] = [];
  let kernelDepth = 0;
  for (const layer of model.layers) {
    const config = configOf(layer);
    regularization.push(...layerRegularization(layer, config));
    let ownsKernel = false;
    for (const w of layer.weights) {
      const short = w.originalName.split('/').pop() ?? w.originalName;
      const values = w.read().dataSync() as Float32Array;
      if (kernelWeightName(short)) {
        scanKernel(scan, layer, config, w, short, values, kernelDepth);
        ownsKernel = true;
      } else scanOther(scan, layer, config, w, short, values);
    }
    if (ownsKernel) kernelDepth++;
  }
  const { kernels, biases, trained } = scan;
  const trainableParams = model.trainableWeights.reduce(
    (n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1),
    0,
  );
  return {
    name: model.name,
    params: model.countParams(),
    trainableParams,
    layers: layerInfos(model),
    hiddenLayers: Math.max(0, kernels.length - 1),
    hasBatchNorm: model.layers.some((l) => l.getClassName() === 'BatchNormalization'),
    family: recognizeFamily(model),
    freshInit: trained.length === 0,
    ...(trained.length ? { trainedSignals: trained } : {}),
    kernels,
    biases,
    regularization,
  };
}

/** When the model reads token ids (its first layer is an Embedding): the vocabulary size. */
export function tokenInput(model: tf.LayersModel): { vocabulary: number } | null {
  const first = model.layers.find((l) => l.getClassName() !== 'InputLayer');
  if (first?.getClassName() !== 'Embedding') return null;
  return { vocabulary: Number(configOf(first).inputDim) };
}

/** Layer classes that step through a sequence (Bidirectional and TimeDistributed wrap one). */
const RECURRENT_CLASSES = new Set(['SimpleRNN', 'LSTM', 'GRU', 'ConvLSTM2D', 'RNN', 'Bidirectional']);

/**
 * Whether the model has a recurrent layer (also inside a wrapper or a nested model): such nets
 * need more steps per learning rate before their loss shows whether a rate works.
 */
export function hasRecurrentLayer(model: { layers: tf.layers.Layer[] }): boolean {
  return model.layers.some((l) => {
    if (RECURRENT_CLASSES.has(l.getClassName())) return true;
    const inner = (l as unknown as { layer?: tf.layers.Layer }).layer;
    if (inner && RECURRENT_CLASSES.has(inner.getClassName())) return true;
    const nested = (l as unknown as { layers?: tf.layers.Layer[] }).layers;
    return Array.isArray(nested) && hasRecurrentLayer({ layers: nested });
  });
}
