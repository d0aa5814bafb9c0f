import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import type { Json } from '../common.ts';
import { kerasMajorOf, translateModel } from './translate.ts';

const fail = (p: string) => new UsageError(`--model m.keras: ${p}`);
const K3_DTYPE = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};
const wrap = (cls: string, config: Json, module = 'keras.layers') => ({
  module,
  class_name: cls,
  config,
  registered_name: null,
});
const init = (cls: string, config: Json = {}) => ({
  module: 'keras.initializers',
  class_name: cls,
  config,
  registered_name: null,
});

function k3Sequential(layers: Json[], extra: Json = {}): Json {
  return wrap(
    'Sequential',
    { name: 'sequential', trainable: true, dtype: K3_DTYPE, layers, ...extra },
    'keras',
  );
}
const k3Input = (shape: (number | null)[]) =>
  wrap('InputLayer', {
    batch_shape: shape,
    dtype: 'float32',
    sparse: false,
    ragged: false,
    name: 'input_layer',
    optional: false,
  });
const k3Dense = (name: string, units: number, extra: Json = {}) =>
  wrap('Dense', {
    name,
    trainable: true,
    dtype: K3_DTYPE,
    units,
    activation: 'relu',
    use_bias: true,
    kernel_initializer: init('GlorotUniform', { seed: null }),
    bias_initializer: init('Zeros'),
    kernel_regularizer: null,
    lora_rank: null,
    ...extra,
  });

function translate(config: Json, kerasMajor = 3) {
  const notes: string[] = [];
  const topology = translateModel(config, { fail, notes, kerasMajor });
  return { topology, notes };
}

async function build(topology: Json): Promise<tf.LayersModel> {
  return tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
}

function refusal(config: Json, kerasMajor = 3): string {
  try {
    translate(config, kerasMajor);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('translateModel: Keras 3 forms TF.js 4.22 rejects', () => {
  it('builds a Keras 3 Sequential (batch_shape, DTypePolicy, module/registered_name wrappers)', async () => {
    const { topology } = translate(
      k3Sequential([k3Input([null, 4]), k3Dense('dense', 3), k3Dense('dense_1', 2)]),
    );
    const json = JSON.stringify(topology);
    for (const gone of [
      'batch_shape',
      'DTypePolicy',
      'registered_name',
      '"module"',
      'lora_rank"',
      'optional',
    ]) {
      expect(json).not.toContain(gone);
    }
    const model = await build(topology);
    expect(model.inputs[0].shape).toEqual([null, 4]);
    expect(model.inputs[0].dtype).toBe('float32');
    expect(model.countParams()).toBe(4 * 3 + 3 + 3 * 2 + 2);
    model.dispose();
  });

  it('converts a Keras 3 functional graph (dict inbound nodes, flat input/output refs, merge layers)', async () => {
    const tensor = (layer: string, shape: (number | null)[]) => ({
      class_name: '__keras_tensor__',
      config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
    });
    const layer = (cls: string, name: string, config: Json, args: unknown[]) => ({
      ...wrap(cls, { name, trainable: true, dtype: K3_DTYPE, ...config }),
      name,
      inbound_nodes: args.length ? [{ args, kwargs: {} }] : [],
    });
    const config = wrap(
      'Functional',
      {
        name: 'functional',
        trainable: true,
        layers: [
          { ...k3Input([null, 4]), name: 'input_layer', inbound_nodes: [] },
          layer('Dense', 'a', { units: 3, activation: 'tanh' }, [tensor('input_layer', [null, 4])]),
          layer('Dense', 'b', { units: 3, activation: 'linear' }, [tensor('input_layer', [null, 4])]),
          layer('Add', 'add', {}, [[tensor('a', [null, 3]), tensor('b', [null, 3])]]),
          layer('RandomFlip', 'aug', { mode: 'horizontal' }, [tensor('add', [null, 3])]),
          layer('Dense', 'out', { units: 2, activation: 'softmax' }, [tensor('aug', [null, 3])]),
        ],
        input_layers: ['input_layer', 0, 0],
        output_layers: ['out', 0, 0],
      },
      'keras',
    );
    const { topology, notes } = translate(config);
    expect(notes.join(' ')).toMatch(/'aug' \(RandomFlip\) removed/);
    const model = await build(topology);
    expect(model.layers.map((l) => l.name)).toEqual(['input_layer', 'a', 'b', 'add', 'out']);
    // The removed layer's consumer reads the removed layer's input.
    const out = model.getLayer('out');
    expect(out.inboundNodes[0].inboundLayers.map((l) => l.name)).toEqual(['add']);
    expect(model.outputs[0].shape).toEqual([null, 2]);
    model.dispose();
  });

  it('keeps Keras 2 configs as they are (list-form Sequential, nested inbound lists)', async () => {
    const k2 = {
      class_name: 'Sequential',
      config: [
        {
          class_name: 'Dense',
          config: {
            name: 'dense_1',
            units: 3,
            batch_input_shape: [null, 4],
            activation: 'relu',
            dtype: 'float32',
          },
        },
        { class_name: 'Dense', config: { name: 'dense_2', units: 1, activation: 'sigmoid' } },
      ],
    };
    const { topology, notes } = translate(k2, 2);
    expect(notes).toEqual([]);
    const model = await build(topology);
    expect(model.countParams()).toBe(4 * 3 + 3 + 3 + 1);
    model.dispose();
  });

  const cases: { name: string; layer: Json; check: (cfg: Json, notes: string[]) => void }[] = [
    {
      name: 'L2 regularizer → L1L2',
      layer: k3Dense('d', 2, {
        kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.002 } },
      }),
      check: (c) =>
        expect(c.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.002 } }),
    },
    {
      name: 'LecunNormal → LeCunNormal',
      layer: k3Dense('d', 2, { kernel_initializer: init('LecunNormal', { seed: null }) }),
      check: (c) => expect((c.kernel_initializer as Json).class_name).toBe('LeCunNormal'),
    },
    {
      name: 'activation silu → swish',
      layer: k3Dense('d', 2, { activation: 'silu' }),
      check: (c) => expect(c.activation).toBe('swish'),
    },
    {
      name: 'activation as a ReLU layer object → relu',
      layer: k3Dense('d', 2, {
        activation: { class_name: 'ReLU', config: { max_value: null, negative_slope: 0, threshold: 0 } },
      }),
      check: (c) => expect(c.activation).toBe('relu'),
    },
    {
      name: "activation as Keras 3's serialized function → its name",
      layer: k3Dense('d', 2, {
        activation: {
          module: 'keras.activations',
          class_name: 'function',
          config: 'tanh',
          registered_name: 'function',
        },
      }),
      check: (c) => expect(c.activation).toBe('tanh'),
    },
    {
      name: 'mixed_float16 policy → float32, with a note',
      layer: k3Dense('d', 2, {
        dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } },
      }),
      check: (c, notes) => {
        expect(c.dtype).toBe('float32');
        expect(notes.join(' ')).toMatch(/mixed_float16 computed in float32/);
      },
    },
    {
      name: 'LeakyReLU negative_slope → alpha',
      layer: wrap('LeakyReLU', { name: 'lr', negative_slope: 0.3, dtype: K3_DTYPE }),
      check: (c) => expect(c.alpha).toBe(0.3),
    },
    {
      name: 'RNN implementation (0/1/2: same function) dropped, so TF.js does not warn about it',
      layer: wrap('LSTM', { name: 'lstm', units: 3, implementation: 0, use_cudnn: 'auto' }),
      check: (c) => {
        expect('implementation' in c).toBe(false);
        expect('use_cudnn' in c).toBe(false);
      },
    },
    {
      name: "SeparableConv2D: the base Conv's unused kernel_* arguments (Keras 2 writes them, TF.js refuses them) dropped",
      layer: wrap('SeparableConv2D', {
        name: 'sep',
        filters: 4,
        kernel_size: [3, 3],
        kernel_initializer: init('GlorotUniform'),
        kernel_regularizer: null,
        kernel_constraint: null,
        depthwise_initializer: init('GlorotUniform'),
      }),
      check: (c) => {
        expect(['kernel_initializer', 'kernel_regularizer', 'kernel_constraint'].some((k) => k in c)).toBe(
          false,
        );
        expect((c.depthwise_initializer as Json).class_name).toBe('GlorotUniform');
      },
    },
    {
      name: 'BatchNormalization axis [3] → 3, synchronized dropped',
      layer: wrap('BatchNormalization', {
        name: 'bn',
        axis: [3],
        synchronized: false,
        momentum: 0.99,
        epsilon: 0.001,
      }),
      check: (c) => {
        expect(c.axis).toBe(3);
        expect('synchronized' in c).toBe(false);
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { topology, notes } = translate(k3Sequential([k3Input([null, 4, 4, 2]), c.layer]));
      const layers = (topology.config as Json).layers as Json[];
      c.check(layers[1].config as Json, notes);
    });
  }

  it('relaxes a fixed batch size and says so', () => {
    const { topology, notes } = translate(k3Sequential([k3Input([25, 4]), k3Dense('d', 2)]));
    expect((((topology.config as Json).layers as Json[])[0].config as Json).batch_input_shape).toEqual([
      null,
      4,
    ]);
    expect(notes.join(' ')).toMatch(/fixed batch size 25 relaxed/);
  });

  it('gives a Sequential built with model.build() its input shape from build_input_shape', async () => {
    const { topology } = translate(k3Sequential([k3Dense('d', 2)], { build_input_shape: [null, 5] }));
    const model = await build(topology);
    expect(model.inputs[0].shape).toEqual([null, 5]);
    model.dispose();
  });
});

describe('translateModel refuses what TF.js cannot build, naming the layer and class', () => {
  const seq = (layer: Json) => k3Sequential([k3Input([null, 8, 4]), layer]);
  const refusals: { name: string; config: Json; major?: number; message: RegExp }[] = [
    {
      name: 'Lambda',
      config: seq(wrap('Lambda', { name: 'lam', function: ['base64code', null, null] })),
      message: /layer 'lam' \(Lambda\) cannot be built in TF\.js: a Lambda layer holds Python code/,
    },
    {
      name: 'a custom registered layer',
      config: seq({
        module: 'my_pkg.layers',
        class_name: 'MyDense',
        config: { name: 'mine' },
        registered_name: 'Custom>MyDense',
      }),
      message: /layer 'mine' \(MyDense\).*custom layer registered as 'Custom>MyDense'/,
    },
    {
      name: 'an unknown class',
      config: seq(wrap('MultiHeadAttention', { name: 'mha', num_heads: 2, key_dim: 4 })),
      message: /layer 'mha' \(MultiHeadAttention\).*TF\.js Layers has no MultiHeadAttention layer/,
    },
    {
      name: 'GRU reset_after=True',
      config: seq(wrap('GRU', { name: 'gru', units: 4, reset_after: true })),
      message: /layer 'gru' \(GRU\).*reset_after=True/,
    },
    {
      name: 'grouped convolution',
      config: seq(wrap('Conv1D', { name: 'conv', filters: 4, kernel_size: 3, groups: 2 })),
      message: /layer 'conv' \(Conv1D\).*groups > 1/,
    },
    {
      name: 'LoRA-adapted Dense',
      config: seq(k3Dense('d', 2, { lora_rank: 4 })),
      message: /layer 'd' \(Dense\).*LoRA/,
    },
    {
      name: 'stateful RNN',
      config: seq(wrap('LSTM', { name: 'lstm', units: 4, stateful: true })),
      message: /layer 'lstm' \(LSTM\).*stateful/,
    },
    {
      name: "Keras 3's hard_sigmoid (another function than TF.js's)",
      config: seq(k3Dense('d', 2, { activation: 'hard_sigmoid' })),
      message: /layer 'd' \(Dense\).*hard_sigmoid/,
    },
    {
      name: 'an activation TF.js lacks',
      config: seq(k3Dense('d', 2, { activation: 'leaky_relu' })),
      message: /layer 'd' \(Dense\).*activation 'leaky_relu' is not available/,
    },
    {
      name: 'an initializer TF.js lacks',
      config: seq(k3Dense('d', 2, { kernel_initializer: init('STFT') })),
      message: /layer 'd' \(Dense\).*kernel_initializer STFT/,
    },
    {
      name: 'a quantized dtype policy',
      config: seq(
        k3Dense('d', 2, {
          dtype: {
            module: 'keras',
            class_name: 'QuantizedDTypePolicy',
            config: { name: 'int8_from_float32' },
          },
        }),
      ),
      message: /layer 'd' \(Dense\).*quantized/,
    },
    {
      name: 'a Keras 3 operation node (x / 127.5 in a functional model)',
      config: seq({ class_name: 'TrueDivide', config: { name: 'true_divide_1' } }),
      message: /layer 'true_divide_1' \(TrueDivide\).*Keras operation written in a functional model/,
    },
    {
      name: 'a subclassed model',
      config: { module: 'my_model', class_name: 'MyModel', config: {} },
      message: /not a Sequential or functional model/,
    },
    {
      name: 'a Keras 1 file',
      config: { class_name: 'Sequential', config: [{ class_name: 'Dense', config: { output_dim: 3 } }] },
      major: 1,
      message: /Keras 1/,
    },
  ];
  for (const r of refusals) {
    it(r.name, () => expect(refusal(r.config, r.major)).toMatch(r.message));
  }

  it("keeps Keras 2's hard_sigmoid (the same function as TF.js's)", () => {
    const { topology } = translate(
      {
        class_name: 'Sequential',
        config: [
          {
            class_name: 'Dense',
            config: { name: 'd', units: 2, batch_input_shape: [null, 3], activation: 'hard_sigmoid' },
          },
        ],
      },
      2,
    );
    expect(JSON.stringify(topology)).toContain('hard_sigmoid');
  });
});

describe('kerasMajorOf', () => {
  it.each([
    ['2.2.4-tf', 2],
    ['3.10.0', 3],
    ['1.2.2', 1],
    [undefined, 2],
  ])('%s → %d', (v, major) => expect(kerasMajorOf(v)).toBe(major));
});
