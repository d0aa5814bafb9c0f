// Size bounds on a translated topology, checked before TF.js builds anything: TF.js allocates every
// weight when it builds a layer, so a hostile config (Dense(units=1e9)) would exhaust memory before
// any other check ran. The parameter count is estimated by propagating shapes through the layers
// (formulas for the classes that change shapes) and summing per-class weight formulas. Where a
// shape cannot be inferred, the estimate stops for the layers downstream of it (no false refusal);
// each size argument is capped anyway.
//
// (The issue-8 work adds a general `limits.ts` for model.json; this is the minimal bound the Keras
// loaders need until the two are merged.)
import { type Fail, isObject, type Json } from '../common.ts';

export const MAX_PARAMS = 50_000_000;
export const MAX_LAYERS = 5_000;
/** Cap on any one size argument (units, filters, embedding sizes, input dimensions). */
export const MAX_DIM = 1 << 24;
/** Cap on the values in one input record (e.g. 4096 × 4096 × 3 ≈ 5e7). */
export const MAX_INPUT_VALUES = 1 << 26;

type Shape = (number | null)[];

const SIZE_ARGS = ['units', 'filters', 'input_dim', 'output_dim', 'depth_multiplier', 'n', 'num_tokens'];

function prod(xs: readonly (number | null)[]): number {
  return xs.reduce<number>((a, b) => a * (b ?? 1), 1);
}

function ints(v: unknown, rank: number): number[] {
  if (typeof v === 'number') return Array(rank).fill(v);
  return Array.isArray(v) ? v.map(Number) : [];
}

function channelsOf(shape: Shape, cfg: Json): number {
  const c = cfg.data_format === 'channels_first' ? shape[1] : shape[shape.length - 1];
  return c ?? 0;
}

/** Weights of one layer given its input shape (0 for layers without weights or unknown classes). */
function paramsOf(cls: string, cfg: Json, input: Shape): number {
  const last = input[input.length - 1] ?? 0;
  const bias = (n: number) => (cfg.use_bias === false ? 0 : n);
  const units = Number(cfg.units ?? 0);
  const filters = Number(cfg.filters ?? 0);
  const rank = Math.max(1, input.length - 2);
  const k = prod(ints(cfg.kernel_size, rank));
  switch (cls) {
    case 'Dense':
      return last * units + bias(units);
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'Conv2DTranspose':
    case 'Conv3DTranspose':
      return k * channelsOf(input, cfg) * filters + bias(filters);
    case 'DepthwiseConv2D': {
      const dm = Number(cfg.depth_multiplier ?? 1);
      return k * channelsOf(input, cfg) * dm + bias(channelsOf(input, cfg) * dm);
    }
    case 'SeparableConv2D': {
      const c = channelsOf(input, cfg);
      const dm = Number(cfg.depth_multiplier ?? 1);
      return k * c * dm + c * dm * filters + bias(filters);
    }
    case 'Embedding':
      return Number(cfg.input_dim ?? 0) * Number(cfg.output_dim ?? 0);
    case 'SimpleRNN':
      return units * (last + units + 1);
    case 'GRU':
      return 3 * units * (last + units + 1);
    case 'LSTM':
      return 4 * units * (last + units + 1);
    case 'ConvLSTM2D':
      return 4 * filters * (k * (channelsOf(input, cfg) + filters) + 1);
    case 'BatchNormalization':
      return 4 * (input[typeof cfg.axis === 'number' && cfg.axis >= 0 ? cfg.axis : input.length - 1] ?? 0);
    case 'LayerNormalization':
      return 2 * last;
    case 'PReLU':
      return prod(input.slice(1));
    default:
      return 0;
  }
}

function checkArgs(cls: string, cfg: Json, name: string, fail: Fail): void {
  for (const a of SIZE_ARGS) {
    const v = cfg[a];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_DIM) {
      throw fail(
        `layer '${name}' (${cls}) has ${a}=${JSON.stringify(v)}; nn-doctor accepts whole numbers up to ${MAX_DIM}`,
      );
    }
  }
  const kernel = cfg.kernel_size;
  if (kernel !== undefined && prod(ints(kernel, 1)) > 1 << 16) {
    throw fail(`layer '${name}' (${cls}) has kernel_size ${JSON.stringify(kernel)}, over nn-doctor's limit`);
  }
  const shape = cfg.batch_input_shape;
  if (Array.isArray(shape)) {
    const dims = shape.slice(1);
    if (
      !dims.every((d) => d === null || (Number.isInteger(d) && d >= 0 && d <= MAX_DIM)) ||
      prod(dims) > MAX_INPUT_VALUES
    ) {
      throw fail(
        `layer '${name}' (${cls}) has input shape ${JSON.stringify(shape)}, over nn-doctor's limit of ${MAX_INPUT_VALUES} values per record`,
      );
    }
  }
}

interface Counter {
  params: number;
  layers: number;
}

const IDENTITY_SHAPE = new Set([
  'Activation',
  'ActivityRegularization',
  'AlphaDropout',
  'BatchNormalization',
  'Dropout',
  'ELU',
  'GaussianDropout',
  'GaussianNoise',
  'LayerNormalization',
  'LeakyReLU',
  'Masking',
  'PReLU',
  'ReLU',
  'Rescaling',
  'Softmax',
  'SpatialDropout1D',
  'ThresholdedReLU',
  'Add',
  'Average',
  'Maximum',
  'Minimum',
  'Multiply',
]);

/** Spatial size after a convolution or pooling window. */
function windowed(
  n: number | null,
  k: number,
  stride: number,
  dilation: number,
  padding: unknown,
): number | null {
  if (n === null) return null;
  if (padding === 'same' || padding === 'causal') return Math.ceil(n / stride);
  return Math.max(0, Math.floor((n - (k - 1) * dilation - 1) / stride) + 1);
}

/** Output shape from the layer's config (formulas for the classes that change shapes), or null. */
function outputShape(cls: string, cfg: Json, input: Shape | Shape[]): Shape | null {
  if (Array.isArray(input[0])) {
    const list = input as Shape[];
    if (cls === 'Concatenate') {
      const axis = typeof cfg.axis === 'number' ? cfg.axis : -1;
      const out = [...list[0]];
      const a = axis < 0 ? out.length + axis : axis;
      out[a] = list.reduce<number | null>(
        (t, s) => (t === null || s[a] == null ? null : t + (s[a] as number)),
        0,
      );
      return out;
    }
    return IDENTITY_SHAPE.has(cls) ? list[0] : null;
  }
  const s = input as Shape;
  if (IDENTITY_SHAPE.has(cls)) return s;
  const first = cfg.data_format === 'channels_first';
  const spatialRank = s.length - 2;
  const spatial = first ? s.slice(2) : s.slice(1, -1);
  const withSpatial = (dims: (number | null)[], channels: number | null): Shape =>
    first ? [s[0], channels, ...dims] : [s[0], ...dims, channels];
  const channels = first ? s[1] : s[s.length - 1];
  switch (cls) {
    case 'Dense':
      return [...s.slice(0, -1), Number(cfg.units)];
    case 'Embedding':
      return [...s, Number(cfg.output_dim)];
    case 'Flatten':
      return [s[0], s.slice(1).some((d) => d === null) ? null : prod(s.slice(1))];
    case 'Reshape':
      return [s[0], ...((cfg.target_shape as number[]) ?? []).map((d) => (d === -1 ? null : d))];
    case 'RepeatVector':
      return [s[0], Number(cfg.n), ...s.slice(1)];
    case 'Permute':
      return [s[0], ...((cfg.dims as number[]) ?? []).map((d) => s[d] ?? null)];
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return cfg.return_sequences ? [s[0], s[1], Number(cfg.units)] : [s[0], Number(cfg.units)];
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const k = ints(cfg.kernel_size, spatialRank);
      const st = ints(cfg.strides ?? 1, spatialRank);
      const dl = ints(cfg.dilation_rate ?? 1, spatialRank);
      const dims = spatial.map((n, i) => windowed(n, k[i] ?? 1, st[i] ?? 1, dl[i] ?? 1, cfg.padding));
      const out =
        cls === 'DepthwiseConv2D'
          ? channels === null
            ? null
            : channels * Number(cfg.depth_multiplier ?? 1)
          : Number(cfg.filters);
      return withSpatial(dims, out);
    }
    case 'Conv2DTranspose':
    case 'Conv3DTranspose': {
      const k = ints(cfg.kernel_size, spatialRank);
      const st = ints(cfg.strides ?? 1, spatialRank);
      const dims = spatial.map((n, i) =>
        n === null ? null : cfg.padding === 'same' ? n * (st[i] ?? 1) : (n - 1) * (st[i] ?? 1) + (k[i] ?? 1),
      );
      return withSpatial(dims, Number(cfg.filters));
    }
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'MaxPooling3D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
    case 'AveragePooling3D': {
      const k = ints(cfg.pool_size ?? 2, spatialRank);
      const st = cfg.strides == null ? k : ints(cfg.strides, spatialRank);
      return withSpatial(
        spatial.map((n, i) => windowed(n, k[i] ?? 2, st[i] ?? 2, 1, cfg.padding)),
        channels,
      );
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
      return cfg.keepdims
        ? withSpatial(
            spatial.map(() => 1),
            channels,
          )
        : [s[0], channels];
    case 'UpSampling2D': {
      const f = ints(cfg.size ?? 2, 2);
      return withSpatial(
        spatial.map((n, i) => (n === null ? null : n * (f[i] ?? 2))),
        channels,
      );
    }
    default:
      return null;
  }
}

function visitLayer(entry: Json, input: Shape | Shape[] | null, c: Counter, fail: Fail): Shape | null {
  const cls = String(entry.class_name);
  const cfg = isObject(entry.config) ? entry.config : {};
  const name = String(entry.name ?? cfg.name ?? '?');
  if (++c.layers > MAX_LAYERS) throw fail(`has more than ${MAX_LAYERS} layers, over nn-doctor's limit`);
  if (cls === 'Sequential' || cls === 'Model') return visitModel(entry, input, c, fail);
  checkArgs(cls, cfg, name, fail);
  const inner = isObject(cfg.layer) ? cfg.layer : null;
  if (inner) checkArgs(String(inner.class_name), isObject(inner.config) ? inner.config : {}, name, fail);
  const single = input && !Array.isArray(input[0]) ? (input as Shape) : null;
  if (single) {
    let p = paramsOf(cls, cfg, single);
    if (inner && cls === 'Bidirectional')
      p = 2 * paramsOf(String(inner.class_name), inner.config as Json, single);
    if (inner && cls === 'TimeDistributed') {
      p = paramsOf(String(inner.class_name), inner.config as Json, [single[0], ...single.slice(2)]);
    }
    c.params += p;
    if (c.params > MAX_PARAMS) {
      throw fail(
        `has more than ${MAX_PARAMS.toLocaleString('en-US')} parameters (at layer '${name}'), over nn-doctor's limit`,
      );
    }
  }
  if (input === null) return cls === 'InputLayer' ? ((cfg.batch_input_shape as Shape) ?? null) : null;
  return outputShape(cls, cfg, input);
}

function visitModel(entry: Json, input: Shape | Shape[] | null, c: Counter, fail: Fail): Shape | null {
  const cfg = isObject(entry.config) ? entry.config : {};
  const layers = (Array.isArray(cfg.layers) ? cfg.layers : []) as Json[];
  if (entry.class_name === 'Sequential') {
    let shape: Shape | null = (input as Shape | null) ?? null;
    for (const l of layers) {
      const own = isObject(l.config) ? (l.config.batch_input_shape as Shape | undefined) : undefined;
      if (shape === null && own) shape = own;
      shape = visitLayer(l, l.class_name === 'InputLayer' ? null : shape, c, fail);
    }
    return shape;
  }
  // Functional: shapes by producing layer name (first output of its node 0 is enough for a bound).
  const shapes = new Map<string, Shape | null>();
  let last: Shape | null = null;
  for (const l of layers) {
    const nodes = Array.isArray(l.inbound_nodes) ? (l.inbound_nodes as unknown[][]) : [];
    const refs = (nodes[0] ?? []) as unknown[][];
    const ins = refs.map((r) => shapes.get(String(r[0])) ?? null);
    const known = ins.every((s) => s !== null);
    const input = !known || ins.length === 0 ? null : ins.length === 1 ? ins[0] : (ins as Shape[]);
    last = visitLayer(l, input, c, fail);
    shapes.set(String(l.name ?? (l.config as Json)?.name), last);
  }
  return last;
}

/** Throws (through `fail`) when a translated topology is larger than nn-doctor builds. */
export function checkTopologyBounds(topology: Json, fail: Fail): { params: number; layers: number } {
  const c: Counter = { params: 0, layers: 0 };
  visitModel(topology, null, c, fail);
  return c;
}
