// The topology bound must agree with TF.js on real models of every layer class (a false refusal
// of a healthy model is the worst outcome), and must refuse hostile topologies before TF.js
// allocates anything.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { errorAt, type Json } from './common.ts';
import { checkTopologyLimits, MODEL_LIMITS } from './limits.ts';

const fail = errorAt('--model m.json');

function topologyOf(model: tf.LayersModel): Json {
  return model.toJSON(null, false) as unknown as Json;
}

/** TF.js' per-record output size of a layer (all its outputs), as the bound computes it. */
function tfjsOutputValues(layer: tf.layers.Layer): number | null {
  const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (
    | number
    | null
  )[][];
  let total = 0;
  for (const s of shapes) {
    const rest = s.slice(1);
    if (rest.some((d) => d === null)) return null;
    total += rest.reduce<number>((a, b) => a * (b as number), 1);
  }
  return total;
}

/** Every layer of a model, nested models flattened (the bound records each layer once). */
function allLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((l) =>
    l instanceof tf.LayersModel ? allLayers(l) : l.getClassName() === 'InputLayer' ? [] : [l],
  );
}

/** The bound of a model's JSON against the model TF.js builds from that JSON (as loading does). */
async function expectAgrees(built: tf.LayersModel): Promise<void> {
  const topology = topologyOf(built);
  built.dispose();
  const model = await tf.models.modelFromJSON({ modelTopology: topology } as never);
  const bounds = checkTopologyLimits(topology, fail);
  expect(bounds.params).toBe(model.countParams());
  const layers = allLayers(model);
  expect(bounds.layers.map((l) => l.name).sort()).toEqual(layers.map((l) => l.name).sort());
  for (const layer of layers) {
    const bound = bounds.layers.find((l) => l.name === layer.name);
    expect(bound?.params, layer.name).toBe(layer.countParams());
    expect(bound?.outputValues, layer.name).toBe(tfjsOutputValues(layer));
  }
  model.dispose();
}

const L = tf.layers;

describe('checkTopologyLimits agrees with TF.js', () => {
  const sequentials: Record<string, () => tf.layers.Layer[]> = {
    'MLP with dropout and activations': () => [
      L.dense({ units: 16, inputShape: [8], activation: 'relu' }),
      L.dropout({ rate: 0.2 }),
      L.leakyReLU(),
      L.elu(),
      L.reLU(),
      L.thresholdedReLU(),
      L.softmax(),
      L.activation({ activation: 'tanh' }),
      L.gaussianNoise({ stddev: 0.1 }),
      L.gaussianDropout({ rate: 0.1 }),
      L.alphaDropout({ rate: 0.1 }),
      L.dense({ units: 3, useBias: false }),
    ],
    'CNN: conv valid/same/strided, pooling, batch norm': () => [
      L.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same' }),
      L.batchNormalization(),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 6, kernelSize: [5, 3], strides: [2, 1], padding: 'valid' }),
      L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      L.conv2d({ filters: 4, kernelSize: 2, dilationRate: 2 }),
      L.flatten(),
      L.dense({ units: 10 }),
    ],
    'channels-first convolution': () => [
      L.conv2d({ inputShape: [3, 16, 12], filters: 5, kernelSize: 3, dataFormat: 'channelsFirst' }),
      L.globalAveragePooling2d({ dataFormat: 'channelsFirst' }),
    ],
    'Conv1D and 1D pooling': () => [
      L.conv1d({ inputShape: [40, 6], filters: 7, kernelSize: 5, strides: 2 }),
      L.maxPooling1d({ poolSize: 2 }),
      L.averagePooling1d({ poolSize: 3, padding: 'same' }),
      L.conv1d({ filters: 4, kernelSize: 3, padding: 'same' }),
      L.globalMaxPooling1d(),
    ],
    'Conv1D, global average pooling 1D': () => [
      L.conv1d({ inputShape: [20, 3], filters: 2, kernelSize: 4 }),
      L.globalAveragePooling1d(),
    ],
    'Conv3D and 3D pooling': () => [
      L.conv3d({ inputShape: [10, 12, 14, 2], filters: 3, kernelSize: 3 }),
      L.maxPooling3d({ poolSize: 2 }),
      L.averagePooling3d({ poolSize: [1, 2, 2], strides: 1 }),
      L.conv3dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
    ],
    'transposed, depthwise and separable convolutions': () => [
      L.conv2dTranspose({ inputShape: [7, 9, 3], filters: 4, kernelSize: 3, strides: 2 }),
      L.conv2dTranspose({ filters: 2, kernelSize: [2, 4], strides: [2, 3], padding: 'same' }),
      L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3 }),
      L.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
      L.globalMaxPooling2d({}),
    ],
    'upsampling, padding, cropping, resizing': () => [
      L.upSampling2d({ inputShape: [6, 5, 2], size: [2, 3] }),
      L.zeroPadding2d({
        padding: [
          [1, 2],
          [3, 4],
        ],
      }),
      L.cropping2D({
        cropping: [
          [1, 0],
          [2, 1],
        ],
      }),
      L.zeroPadding2d({ padding: 2 }),
      L.rescaling({ scale: 1 / 255 }),
    ],
    // (TF.js' CenterCrop overwrites its input's recorded shape: it comes first.)
    'center crop': () => [L.centerCrop({ inputShape: [9, 9, 3], height: 6, width: 7 })],
    'reshape, permute, repeat, layer norm, PReLU': () => [
      L.reshape({ inputShape: [24], targetShape: [4, 6] }),
      L.permute({ dims: [2, 1] }),
      L.layerNormalization(),
      L.prelu({ sharedAxes: [1] }),
      L.flatten(),
      L.repeatVector({ n: 3 }),
      L.prelu({}),
      L.batchNormalization({ axis: 1, center: false }),
    ],
    'embedding and recurrent layers': () => [
      L.embedding({ inputDim: 50, outputDim: 8, inputLength: 12 }),
      L.lstm({ units: 6, returnSequences: true }),
      L.gru({ units: 5, returnSequences: true }),
      L.masking({}),
      L.simpleRNN({ units: 4, useBias: false }),
    ],
    'bidirectional and time-distributed': () => [
      L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true }) as tf.RNN, inputShape: [10, 3] }),
      L.timeDistributed({ layer: L.dense({ units: 7 }) }),
      L.bidirectional({ layer: L.gru({ units: 3 }) as tf.RNN, mergeMode: 'sum' }),
    ],
    'RNN of stacked cells': () => [
      L.rnn({
        cell: [L.lstmCell({ units: 5 }), L.gruCell({ units: 3 }), L.simpleRNNCell({ units: 2 })],
        inputShape: [6, 4],
        returnSequences: true,
      }),
    ],
    ConvLSTM2D: () => [
      L.convLstm2d({ inputShape: [3, 8, 8, 2], filters: 3, kernelSize: 3, returnSequences: true }),
    ],
    'reshape with an unknown dimension': () => [L.reshape({ inputShape: [24], targetShape: [4, -1] })],
    'category encoding': () => [
      L.categoryEncoding({ inputShape: [3], numTokens: 9, outputMode: 'multiHot' }),
    ],
  };
  for (const [name, layers] of Object.entries(sequentials)) {
    it(`Sequential: ${name}`, async () => {
      await expectAgrees(tf.sequential({ layers: layers() }));
    });
  }

  it('functional: two inputs, merges, a shared layer, a nested model, two outputs', async () => {
    const a = tf.input({ shape: [6], name: 'a' });
    const b = tf.input({ shape: [6], name: 'b' });
    const shared = L.dense({ units: 5, name: 'shared' });
    const sa = shared.apply(a) as tf.SymbolicTensor;
    const sb = shared.apply(b) as tf.SymbolicTensor;
    const nested = tf.sequential({
      name: 'nested',
      layers: [L.dense({ units: 4, inputShape: [5], name: 'n1' }), L.dense({ units: 5, name: 'n2' })],
    });
    const nb = nested.apply(sb) as tf.SymbolicTensor;
    const merged = [
      L.add().apply([sa, nb]),
      L.multiply().apply([sa, nb]),
      L.average().apply([sa, nb]),
      L.maximum().apply([sa, nb]),
      L.minimum().apply([sa, nb]),
      L.concatenate().apply([sa, nb]),
    ] as tf.SymbolicTensor[];
    const dot = L.dot({ axes: 1 }).apply([sa, nb]) as tf.SymbolicTensor;
    const cat = L.concatenate({ axis: -1 }).apply([...merged, dot]) as tf.SymbolicTensor;
    const out1 = L.dense({ units: 2, name: 'out1' }).apply(cat) as tf.SymbolicTensor;
    const out2 = L.dense({ units: 1, name: 'out2' }).apply(sa) as tf.SymbolicTensor;
    await expectAgrees(tf.model({ inputs: [a, b], outputs: [out1, out2] }));
  });

  it('functional: an RNN returning its states, and 3-D merges', async () => {
    const x = tf.input({ shape: [7, 3] });
    const [seq, h, c] = L.lstm({ units: 4, returnSequences: true, returnState: true }).apply(
      x,
    ) as tf.SymbolicTensor[];
    const hc = L.concatenate().apply([h, c]) as tf.SymbolicTensor;
    const pooled = L.globalAveragePooling1d().apply(seq) as tf.SymbolicTensor;
    const joined = L.concatenate({ axis: 1 }).apply([hc, pooled]) as tf.SymbolicTensor;
    const att = L.dot({ axes: [2, 2] }).apply([seq, seq]) as tf.SymbolicTensor;
    const flat = L.flatten().apply(att) as tf.SymbolicTensor;
    const y = L.dense({ units: 2 }).apply(L.concatenate().apply([joined, flat])) as tf.SymbolicTensor;
    await expectAgrees(tf.model({ inputs: x, outputs: y }));
  });

  it('Resizing: [height, width, channels] (TF.js records [12, 4, 9] for it, a TF.js bug)', () => {
    const model = tf.sequential({ layers: [L.resizing({ inputShape: [9, 9, 3], height: 12, width: 4 })] });
    expect(checkTopologyLimits(topologyOf(model), fail).layers[0]).toMatchObject({
      params: 0,
      outputValues: 12 * 4 * 3,
    });
    model.dispose();
  });

  it('the layer list order does not matter for a functional model', () => {
    const x = tf.input({ shape: [4] });
    const h = L.dense({ units: 3, name: 'h' }).apply(x) as tf.SymbolicTensor;
    const y = L.dense({ units: 2, name: 'y' }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    const topology = topologyOf(model) as { config: { layers: unknown[] } };
    topology.config.layers.reverse();
    expect(checkTopologyLimits(topology, fail).params).toBe(model.countParams());
    model.dispose();
  });
});

function expectRefused(topology: unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    checkTopologyLimits(topology, fail);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as Error).message).toMatch(pattern);
  expect((caught as Error).message).not.toContain('\n');
}

function seq(layers: Json[]): Json {
  return { class_name: 'Sequential', config: { name: 's', layers } };
}

function layer(cls: string, config: Json): Json {
  return { class_name: cls, config: { name: cls.toLowerCase(), ...config } };
}

describe('checkTopologyLimits refuses hostile topologies', () => {
  it('a Dense layer of 1e8 units over a valid input', () => {
    expectRefused(
      seq([layer('Dense', { units: 1e8, batch_input_shape: [null, 4] })]),
      /layer 'dense' \(Dense\) would hold 5e8 parameters; the limit is 2\^26/,
    );
  });
  it('many layers under the per-layer limit that add up past it', () => {
    const layers = Array.from({ length: 20 }, (_, i) =>
      layer('Dense', { name: `d${i}`, units: 2048, ...(i === 0 ? { batch_input_shape: [null, 2048] } : {}) }),
    );
    expectRefused(seq(layers), /the model would hold 8\.39e7 parameters; the limit is 2\^26/);
  });
  it('an Embedding with a huge vocabulary', () => {
    expectRefused(
      seq([layer('Embedding', { input_dim: 1e9, output_dim: 64, batch_input_shape: [null, 10] })]),
      /Embedding\) would hold 6\.4e10 parameters/,
    );
  });
  it('an activation blow-up without weights (UpSampling2D)', () => {
    expectRefused(
      seq([layer('UpSampling2D', { size: [4096, 4096], batch_input_shape: [null, 8, 8, 3] })]),
      /UpSampling2D\) outputs 3\.22e9 values per record; the limit is 2\^24/,
    );
  });
  it('a huge declared input', () => {
    expectRefused(
      seq([layer('Dense', { units: 1, batch_input_shape: [null, 1e6, 1e6] })]),
      /input has 1e12 values per record/,
    );
  });
  it('an LSTM whose orthogonal recurrent kernel would take minutes to initialize', () => {
    expectRefused(
      seq([layer('LSTM', { units: 2048, batch_input_shape: [null, 5, 3] })]),
      /orthogonal-initialized weight of 1\.68e7 values; the limit is 2\^22/,
    );
  });
  it('a layer class TF.js does not have, before any earlier layer is built', () => {
    expectRefused(
      seq([layer('Dense', { units: 4, batch_input_shape: [null, 4] }), layer('MyAttention', {})]),
      /layer class 'MyAttention' is not one TF\.js Layers can deserialize/,
    );
  });
  it('no input shape', () => {
    expectRefused(seq([layer('Dense', { units: 4 })]), /gives no input shape/);
  });
  it('non-integer, negative or missing sizes', () => {
    expectRefused(
      seq([layer('Dense', { units: 1.5, batch_input_shape: [null, 4] })]),
      /units must be a whole number ≥ 1 \(got 1\.5\)/,
    );
    expectRefused(
      seq([layer('Dense', { units: -3, batch_input_shape: [null, 4] })]),
      /units must be a whole number/,
    );
    expectRefused(
      seq([layer('Conv2D', { filters: 2, batch_input_shape: [null, 4, 4, 1] })]),
      /kernel_size must be a whole number/,
    );
    expectRefused(
      seq([layer('Dense', { units: 2, batch_input_shape: [null, 'x'] })]),
      /input shape is not whole numbers/,
    );
  });
  it('nesting past the limit (wrappers in wrappers)', () => {
    let inner: Json = layer('Dense', { units: 2 });
    for (let i = 0; i < MODEL_LIMITS.maxNesting + 2; i++) inner = layer('TimeDistributed', { layer: inner });
    (inner.config as Json).batch_input_shape = [null, ...Array(40).fill(1)];
    expectRefused(seq([inner]), /nests layers more than 32 deep/);
  });
  it('a functional graph whose inputs are never produced, or with a malformed node', () => {
    const functional = (layers: Json[]) => ({
      class_name: 'Functional',
      config: { name: 'f', layers, input_layers: [['in', 0, 0]], output_layers: [['d', 0, 0]] },
    });
    const input = {
      name: 'in',
      class_name: 'InputLayer',
      config: { name: 'in', batch_input_shape: [null, 3] },
      inbound_nodes: [],
    };
    expectRefused(
      functional([
        input,
        {
          name: 'd',
          class_name: 'Dense',
          config: { name: 'd', units: 2 },
          inbound_nodes: [[['ghost', 0, 0, {}]]],
        },
      ]),
      /layer 'd' takes an input that no layer produces/,
    );
    expectRefused(
      functional([
        input,
        { name: 'd', class_name: 'Dense', config: { name: 'd', units: 2 }, inbound_nodes: ['in'] },
      ]),
      /an inbound node is not a list/,
    );
  });
  it('not a model at all', () => {
    expectRefused({ class_name: 'Dense', config: {} }, /not a Sequential or functional model/);
    expectRefused([], /expected an object/);
  });
});
