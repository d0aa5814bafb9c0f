// The size of a model as its topology describes it, computed from the JSON alone (no TF.js):
// each layer's output shape (per record, no batch dimension) propagated from the input shape, and
// the weights it would build. Sequential and functional models, nested models, RNN cells and
// wrappers; every layer class TF.js Layers 4.x registers. Shapes follow TF.js' own rules
// (computeOutputShape); a test compares the result with TF.js on built models of every class.
import { fmtNumber } from '../shared/format.ts';
import { type Fail, fmtLimit, isObject, type Json } from './common.ts';
import type { ModelLimits } from './limits.ts';

/** A shape per record: dimensions after the batch dimension; null where unknown (variable length). */
type Shape = (number | null)[];

export interface LayerBounds {
  name: string;
  className: string;
  params: number;
  /** Values the layer outputs per record (all outputs); null when a dimension is unknown. */
  outputValues: number | null;
}

export interface TopologyBounds {
  params: number;
  layers: LayerBounds[];
}

interface Weight {
  values: number;
  orthogonal: boolean;
}

interface Applied {
  outputs: Shape[];
  weights: Weight[];
}

/** Classes that pass their input's shape through and hold no weights. */
const SAME_SHAPE = new Set([
  'Activation',
  'Dropout',
  'AlphaDropout',
  'GaussianDropout',
  'GaussianNoise',
  'SpatialDropout1D',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'Masking',
  'Rescaling',
]);

const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

class Walker {
  readonly layers: LayerBounds[] = [];
  private counted = 0;

  constructor(
    private readonly fail: Fail,
    private readonly limits: ModelLimits,
  ) {}

  /** A layer (or model) config `{class_name, config}` applied to `inputs`. */
  apply(entry: unknown, inputs: Shape[], depth: number, record = true): Applied {
    if (depth > this.limits.maxNesting)
      throw this.fail(`modelTopology nests layers more than ${this.limits.maxNesting} deep`);
    if (++this.counted > this.limits.maxLayers)
      throw this.fail(`modelTopology has more than ${fmtNumber(this.limits.maxLayers)} layers`);
    if (!isObject(entry)) throw this.fail('malformed modelTopology (a layer is not an object)');
    const cls = entry.class_name ?? entry.className;
    if (typeof cls !== 'string') throw this.fail('malformed modelTopology (a layer has no class_name)');
    const cfg = isObject(entry.config) ? entry.config : {};
    const name = typeof cfg.name === 'string' ? cfg.name : cls;
    const layer = new LayerConfig(cfg, `layer '${name}' (${cls})`, this.fail);
    if (MODEL_CLASSES.has(cls)) {
      // A nested model: its own layers are recorded; the model itself adds no weights.
      const outputs = this.model(cls, entry.config, inputs, depth + 1, record);
      return { outputs, weights: [] };
    }
    const applied = this.layer(cls, layer, inputs, depth);
    this.check(name, cls, applied, record);
    return applied;
  }

  private check(name: string, cls: string, applied: Applied, record: boolean): void {
    const params = applied.weights.reduce((a, w) => a + w.values, 0);
    const where = `layer '${name}' (${cls})`;
    if (params > this.limits.maxParams) {
      throw this.fail(
        `${where} would hold ${fmtNumber(params)} parameters; the limit is ${fmtLimit(this.limits.maxParams)} for the whole model`,
      );
    }
    for (const w of applied.weights) {
      if (w.orthogonal && w.values > this.limits.maxOrthogonal) {
        throw this.fail(
          `${where} has an orthogonal-initialized weight of ${fmtNumber(w.values)} values; the limit is ${fmtLimit(this.limits.maxOrthogonal)} (a fresh one is orthonormalized for the experiments: minutes at this size)`,
        );
      }
    }
    let outputValues: number | null = 0;
    for (const s of applied.outputs) {
      const n = known(s);
      if (n === null) outputValues = null;
      else if (outputValues !== null) outputValues += n;
      if (n !== null && n > this.limits.maxLayerOutput) {
        throw this.fail(
          `${where} outputs ${fmtNumber(n)} values per record; the limit is ${fmtLimit(this.limits.maxLayerOutput)}`,
        );
      }
    }
    if (record) this.layers.push({ name, className: cls, params, outputValues });
  }

  /** A model config: Sequential (`config.layers` or a bare list) or functional. Returns its outputs. */
  model(cls: string, config: unknown, inputs: Shape[] | null, depth: number, record = true): Shape[] {
    if (depth > this.limits.maxNesting)
      throw this.fail(`modelTopology nests models more than ${this.limits.maxNesting} deep`);
    if (cls === 'Sequential') return this.sequential(config, inputs, depth, record);
    if (!isObject(config) || !Array.isArray(config.layers))
      throw this.fail(`malformed modelTopology (${cls} config has no layers list)`);
    return this.functional(config, inputs, depth, record);
  }

  /** A declared input shape, checked: whole numbers (or unknown), within the output limit. */
  private input(entry: unknown): Shape | null {
    const shape = declaredInput(entry);
    if (shape === null) return null;
    if (shape.some((d) => d !== null && !(Number.isSafeInteger(d) && d >= 0)))
      throw this.fail('malformed modelTopology (an input shape is not whole numbers ≥ 0)');
    const n = known(shape);
    if (n !== null && n > this.limits.maxLayerOutput)
      throw this.fail(
        `the model's input has ${fmtNumber(n)} values per record; the limit is ${fmtLimit(this.limits.maxLayerOutput)}`,
      );
    return shape;
  }

  private sequential(config: unknown, given: Shape[] | null, depth: number, record: boolean): Shape[] {
    const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
    if (!Array.isArray(list))
      throw this.fail('malformed modelTopology (Sequential config has no layers list)');
    let shape: Shape | null = given ? given[0] : null;
    for (const [i, entry] of list.entries()) {
      if (shape === null) shape = this.input(entry);
      if (shape === null) {
        throw this.fail(
          i === 0
            ? 'modelTopology gives no input shape (batch_input_shape on the first layer); nn-doctor needs a built model'
            : 'malformed modelTopology (Sequential layer without an input)',
        );
      }
      if (isObject(entry) && entry.class_name === 'InputLayer') continue;
      const { outputs } = this.apply(entry, [shape], depth, record);
      if (outputs.length !== 1)
        throw this.fail('malformed modelTopology (a Sequential layer has several outputs)');
      shape = outputs[0];
    }
    if (shape === null) throw this.fail('modelTopology has no layers');
    return [shape];
  }

  private functional(config: Json, given: Shape[] | null, depth: number, record: boolean): Shape[] {
    const layers = config.layers as unknown[];
    const byName = new Map<string, { entry: Json; nodes: Shape[][]; inbound: unknown[]; inner: boolean }>();
    for (const entry of layers) {
      if (!isObject(entry)) throw this.fail('malformed modelTopology (a layer is not an object)');
      // TF.js keys a functional model's layers by the entry's name: a reference it cannot resolve
      // (a name it does not have, a node never produced, a cycle) makes TF.js loop forever, so the
      // walk below must resolve every reference the same way, or refuse.
      const name = entry.name;
      if (typeof name !== 'string') throw this.fail('malformed modelTopology (a layer has no name)');
      const own = isObject(entry.config) ? entry.config.name : undefined;
      if (own !== undefined && own !== name)
        throw this.fail(
          `malformed modelTopology (layer '${name}' calls itself '${String(own).slice(0, 40)}' in its config)`,
        );
      if (byName.has(name)) throw this.fail(`malformed modelTopology (two layers are named '${name}')`);
      const inbound = Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
      byName.set(name, { entry, nodes: [], inbound, inner: false });
    }
    const inputRefs = refList(config.input_layers, this.fail);
    const outputRefs = refList(config.output_layers, this.fail);
    // Input layers: node 0 is the input itself (shape given by the caller, else declared).
    inputRefs.forEach(([name], i) => {
      const layer = byName.get(name);
      if (!layer) throw this.fail(`malformed modelTopology (input layer '${name}' is not in the model)`);
      const shape = given?.[i] ?? this.input(layer.entry);
      if (!shape) throw this.fail(`modelTopology gives no input shape for '${name}'`);
      layer.nodes.push([shape]);
    });
    // A nested model's node 0 is its own inner graph; calls in this graph follow it.
    for (const layer of byName.values()) {
      const cls = layer.entry.class_name;
      if (typeof cls === 'string' && MODEL_CLASSES.has(cls) && hasDeclaredInputs(layer.entry.config)) {
        layer.nodes.push(this.model(cls, layer.entry.config, null, depth + 1, record));
        layer.inner = true;
      }
    }
    // Process inbound nodes as their inputs become known (layers may be listed out of order).
    const done = new Map<string, number>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const [name, layer] of byName) {
        if (layer.entry.class_name === 'InputLayer') continue;
        let k = done.get(name) ?? 0;
        while (k < layer.inbound.length) {
          const refs = nodeRefs(layer.inbound[k], this.fail);
          const shapes = refs.map(([from, node, tensor]) => byName.get(from)?.nodes[node]?.[tensor]);
          if (shapes.some((s) => s === undefined)) break;
          // Each layer's weights are counted once, however many times the graph calls it.
          const first = k === 0 && !layer.inner;
          const { outputs } = this.apply(layer.entry, shapes as Shape[], depth, record && first);
          layer.nodes.push(outputs);
          k++;
          progress = true;
        }
        done.set(name, k);
      }
    }
    for (const [name, layer] of byName) {
      if (layer.entry.class_name !== 'InputLayer' && (done.get(name) ?? 0) < layer.inbound.length)
        throw this.fail(`malformed modelTopology (layer '${name}' takes an input that no layer produces)`);
    }
    return outputRefs.map(([name, node, tensor]) => {
      const s = byName.get(name)?.nodes[node]?.[tensor];
      if (!s) throw this.fail(`malformed modelTopology (output '${name}' is not produced by the model)`);
      return s;
    });
  }

  /** One layer's outputs and weights from its config and input shapes. */
  private layer(cls: string, c: LayerConfig, inputs: Shape[], depth: number): Applied {
    const x = inputs[0];
    if (!x) throw this.fail(`malformed modelTopology (${c.where} has no input)`);
    if (SAME_SHAPE.has(cls)) return { outputs: [x], weights: [] };
    switch (cls) {
      case 'InputLayer':
        return { outputs: [x], weights: [] };
      case 'Dense': {
        const units = c.int('units');
        const inDim = c.lastDim(x);
        return {
          outputs: [[...x.slice(0, -1), units]],
          weights: [c.w(inDim * units, 'kernel_initializer'), ...c.bias(units)],
        };
      }
      case 'Conv1D':
      case 'Conv2D':
      case 'Conv3D':
        return conv(c, x, Number(cls[4]), false);
      case 'Conv2DTranspose':
      case 'Conv3DTranspose':
        return conv(c, x, Number(cls[4]), true);
      case 'DepthwiseConv2D':
        return depthwise(c, x);
      case 'SeparableConv2D':
        return separable(c, x);
      case 'MaxPooling1D':
      case 'AveragePooling1D':
      case 'MaxPooling2D':
      case 'AveragePooling2D':
      case 'MaxPooling3D':
      case 'AveragePooling3D':
        return pooling(c, x, Number(cls.at(-2)));
      case 'GlobalAveragePooling1D':
      case 'GlobalMaxPooling1D':
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const [, , channels] = spatial(c, x, Number(cls.at(-2)));
        return { outputs: [[channels]], weights: [] };
      }
      case 'Flatten':
        return { outputs: [[known(x)]], weights: [] };
      case 'Reshape':
        return { outputs: [reshape(c, x)], weights: [] };
      case 'Permute': {
        const dims = c.intList('dims', x.length);
        return { outputs: [dims.map((d) => c.dimAt(x, d - 1))], weights: [] };
      }
      case 'RepeatVector':
        return { outputs: [[c.int('n'), c.lastDim(x)]], weights: [] };
      case 'UpSampling2D': {
        const [h, w] = c.tuple('size', 2, [2, 2]);
        return { outputs: [mapSpatial(c, x, 2, (len, i) => times(len, i === 0 ? h : w))], weights: [] };
      }
      case 'ZeroPadding2D':
      case 'Cropping2D': {
        const key = cls === 'ZeroPadding2D' ? 'padding' : 'cropping';
        const pads = c.pairs(key, cls === 'ZeroPadding2D' ? 1 : 0);
        const sign = cls === 'ZeroPadding2D' ? 1 : -1;
        return {
          outputs: [
            mapSpatial(c, x, 2, (len, i) => (len === null ? null : len + sign * (pads[i][0] + pads[i][1]))),
          ],
          weights: [],
        };
      }
      case 'CenterCrop':
      case 'Resizing': {
        const size = [c.int('height'), c.int('width')];
        return { outputs: [mapSpatial(c, x, 2, (_len, i) => size[i])], weights: [] };
      }
      case 'RandomWidth': {
        const factor = c.raw('factor');
        const upper = Array.isArray(factor) ? Number(factor[1]) : Number(factor);
        const grow = 1 + Math.abs(Number.isFinite(upper) ? upper : 0);
        return {
          outputs: [mapSpatial(c, x, 2, (len, i) => (i === 1 ? times(len, grow) : len))],
          weights: [],
        };
      }
      case 'CategoryEncoding': {
        const tokens = c.int('num_tokens');
        const mode = c.raw('output_mode');
        const out =
          x.at(-1) !== 1 && (mode === 'oneHot' || mode === 'one_hot')
            ? [...x, tokens]
            : [...x.slice(0, -1), tokens];
        return { outputs: [x.length === 0 ? [tokens] : out], weights: [] };
      }
      case 'Embedding': {
        const vocab = c.int('input_dim');
        const dim = c.int('output_dim');
        return { outputs: [[...x, dim]], weights: [c.w(vocab * dim, 'embeddings_initializer')] };
      }
      case 'BatchNormalization': {
        const channels = c.dimAt(x, c.axis(x));
        const n = (c.bool('center', true) ? 1 : 0) + (c.bool('scale', true) ? 1 : 0) + 2;
        return {
          outputs: [x],
          weights: Array.from({ length: n }, () => ({ values: channels, orthogonal: false })),
        };
      }
      case 'LayerNormalization': {
        const raw = c.raw('axis');
        const axes = Array.isArray(raw) ? raw : [raw ?? -1];
        let size = 1;
        for (const a of axes) size *= c.dimAt(x, c.axisValue(a, x));
        const n = (c.bool('center', true) ? 1 : 0) + (c.bool('scale', true) ? 1 : 0);
        return {
          outputs: [x],
          weights: Array.from({ length: n }, () => ({ values: size, orthogonal: false })),
        };
      }
      case 'PReLU': {
        const shared = c.raw('shared_axes');
        const axes = new Set((Array.isArray(shared) ? shared : shared == null ? [] : [shared]).map(Number));
        let size = 1;
        for (let i = 0; i < x.length; i++) if (!axes.has(i + 1)) size *= c.dimAt(x, i);
        return { outputs: [x], weights: [c.w(size, 'alpha_initializer')] };
      }
      case 'Add':
      case 'Average':
      case 'Maximum':
      case 'Minimum':
      case 'Multiply':
        return { outputs: [broadcast(inputs)], weights: [] };
      case 'Concatenate':
        return { outputs: [concatenate(c, inputs)], weights: [] };
      case 'Dot':
        return { outputs: [dot(c, inputs)], weights: [] };
      case 'SimpleRNN':
      case 'LSTM':
      case 'GRU':
        return recurrent(c, x, [rnnCell(cls, c, c.lastDim(x))]);
      case 'ConvLSTM2D':
        return convLstm(c, x);
      case 'RNN': {
        const cells = c.raw('cell');
        const list = Array.isArray(cells) ? cells : [cells];
        return recurrent(c, x, this.cells(list, c.lastDim(x), c, depth));
      }
      case 'Bidirectional':
        return this.bidirectional(c, x, depth);
      case 'TimeDistributed': {
        if (x.length < 1) throw this.fail(`${c.where} needs an input with a time dimension`);
        const inner = this.apply(c.raw('layer'), [x.slice(1)], depth + 1, false);
        return { outputs: inner.outputs.map((s) => [x[0], ...s]), weights: inner.weights };
      }
      default:
        throw this.fail(
          `layer class '${cls}' is not one TF.js Layers can deserialize (a custom layer? TF.js Layers has no ${cls})`,
        );
    }
  }

  /** RNN(cell=[...]) cells, each fed by the previous one's units. */
  private cells(list: unknown[], inDim: number, c: LayerConfig, depth: number): Cell[] {
    if (list.length === 0) throw this.fail(`${c.where} has no cell`);
    const cells: Cell[] = [];
    let dim = inDim;
    for (const entry of list) {
      if (!isObject(entry) || typeof entry.class_name !== 'string')
        throw this.fail(`malformed modelTopology (${c.where}: a cell is not {class_name, config})`);
      if (depth > this.limits.maxNesting) throw this.fail('modelTopology nests cells too deep');
      const cellCfg = new LayerConfig(isObject(entry.config) ? entry.config : {}, c.where, this.fail);
      if (entry.class_name === 'StackedRNNCells') {
        const inner = cellCfg.raw('cells');
        if (!Array.isArray(inner))
          throw this.fail(`malformed modelTopology (${c.where}: StackedRNNCells without cells)`);
        const stacked = this.cells(inner, dim, c, depth + 1);
        cells.push(...stacked);
        dim = stacked.at(-1)?.units ?? dim;
        continue;
      }
      const cellClass = entry.class_name.replace(/Cell$/, '');
      if (!['SimpleRNN', 'LSTM', 'GRU'].includes(cellClass))
        throw this.fail(`${c.where}: cell class '${entry.class_name}' is not one TF.js Layers has`);
      const cell = rnnCell(cellClass, cellCfg, dim);
      cells.push(cell);
      dim = cell.units;
    }
    return cells;
  }

  private bidirectional(c: LayerConfig, x: Shape, depth: number): Applied {
    const inner = c.raw('layer');
    const forward = this.apply(inner, [x], depth + 1, false);
    const mode = c.raw('merge_mode') === undefined ? 'concat' : c.raw('merge_mode');
    const weights = [...forward.weights, ...forward.weights];
    const [out, ...states] = forward.outputs;
    if (mode === null) return { outputs: [out, out, ...states, ...states], weights };
    const merged = mode === 'concat' ? [...out.slice(0, -1), times(out.at(-1) ?? null, 2)] : out;
    return { outputs: [merged, ...states, ...states], weights };
  }
}

interface Cell {
  units: number;
  weights: Weight[];
  /** Output values per step, and the state tensors' sizes. */
  states: number[];
}

/** A SimpleRNN / LSTM / GRU cell over `inDim` features: kernel, recurrent kernel, bias. */
function rnnCell(cls: string, c: LayerConfig, inDim: number): Cell {
  const units = c.int('units');
  const gates = cls === 'LSTM' ? 4 : cls === 'GRU' ? 3 : 1;
  const recurrentInit = c.raw('recurrent_initializer');
  const orthogonalRecurrent = recurrentInit == null || initializerClass(recurrentInit) === 'Orthogonal';
  return {
    units,
    weights: [
      c.w(inDim * gates * units, 'kernel_initializer'),
      { values: units * gates * units, orthogonal: orthogonalRecurrent },
      ...c.bias(gates * units),
    ],
    states: cls === 'LSTM' ? [units, units] : [units],
  };
}

function recurrent(c: LayerConfig, x: Shape, cells: Cell[]): Applied {
  if (x.length !== 2) throw c.fail(`${c.where} needs a [time, features] input (got ${describe(x)})`);
  const last = cells[cells.length - 1];
  const out: Shape = c.bool('return_sequences', false) ? [x[0], last.units] : [last.units];
  const states = c.bool('return_state', false) ? cells.flatMap((cell) => cell.states.map((s) => [s])) : [];
  return { outputs: [out, ...states], weights: cells.flatMap((cell) => cell.weights) };
}

function convLstm(c: LayerConfig, x: Shape): Applied {
  if (x.length !== 4)
    throw c.fail(`${c.where} needs a [time, rows, cols, channels] input (got ${describe(x)})`);
  const step = x.slice(1);
  const filters = c.int('filters');
  const k = c.tuple('kernel_size', 2);
  const strides = c.tuple('strides', 2, [1, 1]);
  const dilation = c.tuple('dilation_rate', 2, [1, 1]);
  const pad = c.padding();
  const [dims, , channels] = spatial(c, step, 2);
  const kk = k[0] * k[1];
  const outDims = dims.map((len, i) => convLength(len, k[i], pad, strides[i], dilation[i]));
  const stepOut = channelsFirst(c) ? [filters, ...outDims] : [...outDims, filters];
  const out: Shape = c.bool('return_sequences', false) ? [x[0], ...stepOut] : stepOut;
  const states = c.bool('return_state', false) ? [stepOut, stepOut] : [];
  const recurrentInit = c.raw('recurrent_initializer');
  return {
    outputs: [out, ...states],
    weights: [
      c.w(kk * c.known(channels) * 4 * filters, 'kernel_initializer'),
      {
        values: kk * filters * 4 * filters,
        orthogonal: recurrentInit == null || initializerClass(recurrentInit) === 'Orthogonal',
      },
      ...c.bias(4 * filters),
    ],
  };
}

/** Conv1D/2D/3D and the transposed convolutions. */
function conv(c: LayerConfig, x: Shape, rank: number, transposed: boolean): Applied {
  const filters = c.int('filters');
  const k = c.tuple('kernel_size', rank);
  const strides = c.tuple('strides', rank, Array(rank).fill(1));
  const dilation = c.tuple('dilation_rate', rank, Array(rank).fill(1));
  const pad = c.padding();
  const [dims, , channels] = spatial(c, x, rank);
  const out = dims.map((len, i) =>
    transposed
      ? deconvLength(len, strides[i], k[i], pad)
      : convLength(len, k[i], pad, strides[i], dilation[i]),
  );
  const kernel = k.reduce((a, b) => a * b, 1) * c.known(channels) * filters;
  return {
    outputs: [channelsFirst(c) ? [filters, ...out] : [...out, filters]],
    weights: [c.w(kernel, 'kernel_initializer'), ...c.bias(filters)],
  };
}

function depthwise(c: LayerConfig, x: Shape): Applied {
  const k = c.tuple('kernel_size', 2);
  const strides = c.tuple('strides', 2, [1, 1]);
  const dilation = c.tuple('dilation_rate', 2, [1, 1]);
  const multiplier = c.int('depth_multiplier', 1);
  const [dims, , channels] = spatial(c, x, 2);
  const outChannels = c.known(channels) * multiplier;
  const out = dims.map((len, i) => convLength(len, k[i], c.padding(), strides[i], dilation[i]));
  return {
    outputs: [channelsFirst(c) ? [outChannels, ...out] : [...out, outChannels]],
    weights: [c.w(k[0] * k[1] * outChannels, 'depthwise_initializer'), ...c.bias(outChannels)],
  };
}

function separable(c: LayerConfig, x: Shape): Applied {
  const filters = c.int('filters');
  const k = c.tuple('kernel_size', 2);
  const strides = c.tuple('strides', 2, [1, 1]);
  const dilation = c.tuple('dilation_rate', 2, [1, 1]);
  const multiplier = c.int('depth_multiplier', 1);
  const [dims, , channels] = spatial(c, x, 2);
  const mid = c.known(channels) * multiplier;
  const out = dims.map((len, i) => convLength(len, k[i], c.padding(), strides[i], dilation[i]));
  return {
    outputs: [channelsFirst(c) ? [filters, ...out] : [...out, filters]],
    weights: [
      c.w(k[0] * k[1] * mid, 'depthwise_initializer'),
      c.w(mid * filters, 'pointwise_initializer'),
      ...c.bias(filters),
    ],
  };
}

function pooling(c: LayerConfig, x: Shape, rank: number): Applied {
  const pool = c.tuple('pool_size', rank, Array(rank).fill(2));
  const strides = c.raw('strides') == null ? pool : c.tuple('strides', rank);
  const out = mapSpatial(c, x, rank, (len, i) => convLength(len, pool[i], c.padding(), strides[i], 1));
  return { outputs: [out], weights: [] };
}

/** [spatial dims, their positions, channels] of an input with `rank` spatial dimensions. */
function spatial(c: LayerConfig, x: Shape, rank: number): [Shape, number[], number | null] {
  if (x.length !== rank + 1)
    throw c.fail(`${c.where} needs an input with ${rank + 1} dimensions per record (got ${describe(x)})`);
  const first = channelsFirst(c);
  const positions = Array.from({ length: rank }, (_, i) => (first ? i + 1 : i));
  return [positions.map((p) => x[p]), positions, first ? x[0] : x[rank]];
}

function mapSpatial(
  c: LayerConfig,
  x: Shape,
  rank: number,
  f: (len: number | null, i: number) => number | null,
): Shape {
  const [dims, positions] = spatial(c, x, rank);
  const out = x.slice();
  dims.forEach((len, i) => {
    out[positions[i]] = f(len, i);
  });
  return out;
}

function channelsFirst(c: LayerConfig): boolean {
  const f = c.raw('data_format');
  return f === 'channels_first' || f === 'channelsFirst';
}

/** TF.js conv_utils.convOutputLength. */
function convLength(
  len: number | null,
  k: number,
  pad: string,
  stride: number,
  dilation: number,
): number | null {
  if (len === null) return null;
  const dilated = k + (k - 1) * (dilation - 1);
  const out = pad === 'same' || pad === 'causal' ? len : len - dilated + 1;
  return Math.max(0, Math.floor((out + stride - 1) / stride));
}

/** TF.js conv_utils.deconvLength. */
function deconvLength(len: number | null, stride: number, k: number, pad: string): number | null {
  if (len === null) return null;
  return pad === 'valid' ? len * stride + Math.max(k - stride, 0) : len * stride;
}

/** TF.js leaves a `-1` in target_shape unknown until it sees data; so does this. */
function reshape(c: LayerConfig, x: Shape): Shape {
  const target = c.raw('target_shape');
  if (!Array.isArray(target)) throw c.fail(`${c.where}: target_shape must be a list`);
  const dims = target.map((d) => (d === -1 || d === null ? null : c.check(d, 'target_shape')));
  if (dims.filter((d) => d === null).length > 1)
    throw c.fail(`${c.where}: target_shape has more than one unknown dimension`);
  const total = known(x);
  const fixed = known(dims);
  if (total !== null && fixed !== null && total !== fixed)
    throw c.fail(`${c.where}: target_shape ${describe(dims)} does not hold its input's ${total} values`);
  return dims;
}

function broadcast(inputs: Shape[]): Shape {
  const rank = Math.max(...inputs.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    let dim: number | null = 1;
    for (const s of inputs) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === null) dim = null;
      else if (dim !== null && d !== 1) dim = Math.max(dim, d);
    }
    out.push(dim);
  }
  return out;
}

function concatenate(c: LayerConfig, inputs: Shape[]): Shape {
  const rank = inputs[0].length;
  const raw = c.raw('axis');
  const axis = raw == null ? rank - 1 : c.axisValue(raw, inputs[0]);
  const out = inputs[0].slice();
  out[axis] = inputs.reduce<number | null>(
    (a, s) => (a === null || s[axis] == null ? null : a + (s[axis] as number)),
    0,
  );
  return out;
}

function dot(c: LayerConfig, inputs: Shape[]): Shape {
  if (inputs.length !== 2) throw c.fail(`${c.where} takes exactly two inputs`);
  // Shapes with the batch dimension, as TF.js' Dot counts axes.
  const a: Shape = [null, ...inputs[0]];
  const b: Shape = [null, ...inputs[1]];
  const raw = c.raw('axes');
  const pair = Array.isArray(raw) ? raw : [raw, raw];
  const axes = pair.map((v, i) => {
    const n = Number(v);
    const rank = (i === 0 ? a : b).length;
    if (!Number.isInteger(n) || n >= rank || n < -rank)
      throw c.fail(`${c.where}: axes ${JSON.stringify(raw)} out of range`);
    return n < 0 ? n + rank : n;
  });
  a.splice(axes[0], 1);
  b.splice(axes[1], 1);
  b.splice(0, 1);
  const out = [...a, ...b].slice(1);
  return out.length === 0 ? [1] : out;
}

function times(len: number | null, k: number): number | null {
  return len === null ? null : Math.ceil(len * k);
}

/** Values per record, or null when a dimension is unknown. */
function known(s: Shape): number | null {
  let n = 1;
  for (const d of s) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

function describe(s: Shape): string {
  return `[${s.map((d) => (d === null ? '?' : d)).join(', ')}]`;
}

function initializerClass(init: unknown): string | null {
  if (typeof init === 'string') return init.toLowerCase() === 'orthogonal' ? 'Orthogonal' : init;
  if (isObject(init)) {
    const cls = init.class_name ?? init.className;
    return typeof cls === 'string' ? cls : null;
  }
  return null;
}

/** The input shape a layer entry declares (InputLayer or first layer's `batch_input_shape`), per record. */
function declaredInput(entry: unknown): Shape | null {
  if (!isObject(entry) || !isObject(entry.config)) return null;
  const cfg = entry.config;
  const shape = cfg.batch_input_shape ?? cfg.batchInputShape ?? cfg.batch_shape;
  if (!Array.isArray(shape) || shape.length === 0) return null;
  return shape.slice(1).map((d) => (d === null || d === -1 ? null : typeof d === 'number' ? d : Number.NaN));
}

function hasDeclaredInputs(config: unknown): boolean {
  if (Array.isArray(config)) return declaredInput(config[0]) !== null;
  if (!isObject(config) || !Array.isArray(config.layers)) return false;
  if (config.input_layers !== undefined) return true;
  return declaredInput(config.layers[0]) !== null;
}

/** `[[name, node, tensor], …]` (or one `[name, node, tensor]`). */
function refList(raw: unknown, fail: Fail): [string, number, number][] {
  if (!Array.isArray(raw))
    throw fail('malformed modelTopology (functional model without input_layers/output_layers)');
  const list = typeof raw[0] === 'string' ? [raw] : raw;
  return list.map((r) => ref(r, fail));
}

function ref(r: unknown, fail: Fail): [string, number, number] {
  if (
    !Array.isArray(r) ||
    typeof r[0] !== 'string' ||
    !Number.isSafeInteger(r[1] ?? 0) ||
    !Number.isSafeInteger(r[2] ?? 0) ||
    (r[1] ?? 0) < 0 ||
    (r[2] ?? 0) < 0
  )
    throw fail(`malformed modelTopology (a layer reference ${JSON.stringify(r)?.slice(0, 60)})`);
  return [r[0], (r[1] as number) ?? 0, (r[2] as number) ?? 0];
}

/** An inbound node: `[[name, node, tensor, kwargs], …]` or a single `[name, node, tensor, kwargs]`. */
function nodeRefs(node: unknown, fail: Fail): [string, number, number][] {
  if (!Array.isArray(node)) throw fail('malformed modelTopology (an inbound node is not a list)');
  return (typeof node[0] === 'string' ? [node] : node).map((r) => ref(r, fail));
}

/** Typed access to one layer's config (snake_case keys as model.json has them, camelCase too). */
class LayerConfig {
  constructor(
    private readonly cfg: Json,
    readonly where: string,
    readonly fail: Fail,
  ) {}

  raw(key: string): unknown {
    if (key in this.cfg) return this.cfg[key];
    const camel = key.replace(/_(.)/g, (_, ch: string) => ch.toUpperCase());
    return this.cfg[camel];
  }

  check(v: unknown, key: string, min = 1): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
      throw this.fail(
        `${this.where}: ${key} must be a whole number ≥ ${min} (got ${JSON.stringify(v)?.slice(0, 40)})`,
      );
    return v;
  }

  int(key: string, dflt?: number): number {
    const v = this.raw(key);
    return this.check(v == null && dflt !== undefined ? dflt : v, key);
  }

  bool(key: string, dflt: boolean): boolean {
    const v = this.raw(key);
    return typeof v === 'boolean' ? v : dflt;
  }

  /** An int or a list of `n` ints (kernel_size, strides, pool_size, dilation_rate, size). */
  tuple(key: string, n: number, dflt?: number[]): number[] {
    const v = this.raw(key);
    if (v == null && dflt) return dflt;
    const list = Array.isArray(v) ? v : Array(n).fill(v);
    if (list.length !== n) throw this.fail(`${this.where}: ${key} must have ${n} values`);
    return list.map((d) => this.check(d, key));
  }

  intList(key: string, n: number): number[] {
    const v = this.raw(key);
    if (!Array.isArray(v) || v.length !== n) throw this.fail(`${this.where}: ${key} must list ${n} values`);
    return v.map((d) => this.check(d, key));
  }

  /** ZeroPadding2D / Cropping2D amounts: int, [a, b] or [[top, bottom], [left, right]]. */
  pairs(key: string, dflt: number): [number, number][] {
    const v = this.raw(key) ?? dflt;
    const one = (d: unknown): [number, number] =>
      Array.isArray(d)
        ? [this.check(d[0], key, 0), this.check(d[1], key, 0)]
        : [this.check(d, key, 0), this.check(d, key, 0)];
    if (Array.isArray(v)) {
      if (v.length !== 2) throw this.fail(`${this.where}: ${key} must have 2 entries`);
      return [one(v[0]), one(v[1])];
    }
    return [one(v), one(v)];
  }

  padding(): string {
    const p = this.raw('padding');
    return typeof p === 'string' ? p : 'valid';
  }

  known(d: number | null): number {
    if (d === null) throw this.fail(`${this.where}: its input's channel dimension is unknown`);
    return d;
  }

  lastDim(x: Shape): number {
    const d = x[x.length - 1];
    if (d === undefined || d === null)
      throw this.fail(`${this.where}: the last dimension of its input must be known (got ${describe(x)})`);
    return d;
  }

  /** An axis of the full shape (batch at 0) → index into the per-record shape. */
  axisValue(a: unknown, x: Shape): number {
    const n = Number(a);
    const rank = x.length + 1;
    if (!Number.isInteger(n) || n >= rank || n < -rank || n === 0 || n === -rank)
      throw this.fail(`${this.where}: axis ${JSON.stringify(a)} is out of range for input ${describe(x)}`);
    return (n < 0 ? n + rank : n) - 1;
  }

  axis(x: Shape): number {
    return this.axisValue(this.raw('axis') ?? -1, x);
  }

  dimAt(x: Shape, i: number): number {
    const d = x[i];
    if (d === undefined || d === null || Number.isNaN(d))
      throw this.fail(`${this.where}: needs a known dimension ${i + 1} of its input (got ${describe(x)})`);
    return d;
  }

  w(values: number, initKey: string): Weight {
    return { values, orthogonal: initializerClass(this.raw(initKey)) === 'Orthogonal' };
  }

  bias(n: number): Weight[] {
    return this.bool('use_bias', true) ? [{ values: n, orthogonal: false }] : [];
  }
}

/** The bounds of `topology`; throws `fail` past a limit. */
export function boundTopology(topology: unknown, fail: Fail, limits: ModelLimits): TopologyBounds {
  let top = topology;
  if (isObject(top) && isObject(top.model_config)) top = top.model_config;
  if (!isObject(top)) throw fail('malformed modelTopology (expected an object)');
  const cls = top.class_name ?? top.className;
  if (typeof cls !== 'string' || !MODEL_CLASSES.has(cls))
    throw fail(
      `modelTopology is a ${typeof cls === 'string' ? `'${cls}'` : 'config without class_name'}, not a Sequential or functional model`,
    );
  const walker = new Walker(fail, limits);
  walker.model(cls, top.config, null, 0);
  const params = walker.layers.reduce((a, l) => a + l.params, 0);
  if (params > limits.maxParams) {
    throw fail(
      `the model would hold ${fmtNumber(params)} parameters; the limit is ${fmtLimit(limits.maxParams)}`,
    );
  }
  return { params, layers: walker.layers };
}
