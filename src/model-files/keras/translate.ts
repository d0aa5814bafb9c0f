// The one translation from a Keras model config (Keras 2 or 3, as stored in `.h5`, `.keras` or a
// tensorflowjs_converter model.json) to a topology TF.js Layers 4.22 builds. What it does:
//
// - unwraps Keras 3 `{module, class_name, config, registered_name}` objects, drops `build_config`;
// - DTypePolicy objects → their dtype name (TF.js would otherwise set `layer.dtype` to null);
// - InputLayer `batch_shape` → `batch_input_shape`; `LeakyReLU(negative_slope)` → `alpha`;
// - renames layer, initializer, regularizer (`L2` → `L1L2`) and activation (`silu` → `swish`)
//   classes, and drops the arguments TF.js ignores (layer-rules.ts lists both);
// - functional models: Keras 3 `inbound_nodes` (`{args, kwargs}` with `__keras_tensor__` history)
//   → Keras 2 nested lists, flat `input_layers`/`output_layers` → nested;
// - removes layers that are the identity at inference (augmentation, Identity), rewiring their
//   consumers;
// - refuses, with one line naming the layer and its class, every layer or argument TF.js cannot
//   build or would build into another function (Lambda, custom objects, GRU reset_after=True,
//   grouped convolutions, Keras 3's hard_sigmoid, …).

import { own, setOwn } from '../../core/own.ts';
import { type Fail, isObject, type Json } from '../common.ts';
import {
  ACTIVATIONS,
  ARG_CHECKS,
  ARG_RENAMES,
  DROPPED_ARGS,
  INITIALIZER_RENAMES,
  KERAS_OP_REFUSAL,
  KERAS_OPS,
  LAYER_RENAMES,
  objectKind,
  REFUSED_LAYERS,
  REMOVED_LAYERS,
  SUPPORTED_LAYERS,
  TFJS_ACTIVATIONS,
  TFJS_CONSTRAINTS,
  TFJS_INITIALIZERS,
  UNUSED_ARGS,
  unwrapObject,
} from './layer-rules.ts';

export interface TranslateContext {
  fail: Fail;
  /** Lines saying what was dropped, removed or approximated. */
  notes: string[];
  /** Keras major version that wrote the config (2 or 3); decides version-specific meanings. */
  kerasMajor: number;
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** Major version from a `keras_version` string ('2.2.4-tf', '3.10.0'); 2 when unknown. */
export function kerasMajorOf(version: unknown): number {
  const m = typeof version === 'string' ? /^(\d+)\./.exec(version) : null;
  return m ? Number(m[1]) : 2;
}

function note(ctx: TranslateContext, line: string): void {
  if (!ctx.notes.includes(line)) ctx.notes.push(line);
}

function refuse(ctx: TranslateContext, name: string, cls: string, why: string): never {
  throw ctx.fail(`layer '${name}' (${cls}) cannot be built in TF.js: ${why}`);
}

/** A Keras dtype (string or DTypePolicy object) → a TF.js dtype name. */
function translateDtype(v: unknown, ctx: TranslateContext, name: string, cls: string): string | undefined {
  let dtype: unknown = v;
  if (isObject(v)) {
    const o = unwrapObject(v);
    if (o && /Quantized/.test(o.className)) refuse(ctx, name, cls, `quantized dtype policy ${o.className}`);
    dtype = o?.config.name;
  }
  if (dtype == null) return undefined;
  if (typeof dtype !== 'string') refuse(ctx, name, cls, `unreadable dtype ${JSON.stringify(v)}`);
  switch (dtype) {
    case 'float32':
    case 'int32':
    case 'bool':
      return dtype;
    case 'mixed_float16':
    case 'mixed_bfloat16':
    case 'float16':
    case 'bfloat16':
    case 'float64':
      note(ctx, `dtype ${dtype} computed in float32 (TF.js trains in float32 only)`);
      return 'float32';
    case 'int8':
    case 'int16':
    case 'int64':
    case 'uint8':
    case 'uint16':
    case 'uint32':
      return 'int32';
    default:
      return refuse(ctx, name, cls, `dtype '${dtype}' is not available in TF.js`);
  }
}

/** An activation given as a name or an object → a TF.js activation name. */
function translateActivation(v: unknown, ctx: TranslateContext, name: string, cls: string): string {
  let act: string | null = null;
  if (typeof v === 'string') act = v;
  else {
    const o = unwrapObject(v);
    if (o?.className === 'function' && typeof (v as Json).config === 'string')
      act = (v as Json).config as string;
    else if (o?.className === 'ReLU') {
      const c = o.config;
      const plain = (c.negative_slope ?? 0) === 0 && (c.threshold ?? 0) === 0;
      if (plain && c.max_value == null) act = 'relu';
      else if (plain && c.max_value === 6) act = 'relu6';
    } else if (o && typeof o.className === 'string') act = o.className.toLowerCase();
  }
  if (act === null)
    return refuse(ctx, name, cls, `activation ${JSON.stringify(v)} is not available in TF.js`);
  const snake = act.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  if (snake === 'hard_sigmoid' && ctx.kerasMajor >= 3) {
    refuse(
      ctx,
      name,
      cls,
      "Keras 3's hard_sigmoid is relu6(x+3)/6 and TF.js's is clip(0.2x+0.5, 0, 1): the model would compute another function",
    );
  }
  const known = own(ACTIVATIONS, snake);
  const mapped = known === undefined ? snake : known;
  if (mapped === null || !TFJS_ACTIVATIONS.has(mapped)) {
    return refuse(ctx, name, cls, `activation '${act}' is not available in TF.js`);
  }
  return mapped;
}

/** Initializer / regularizer / constraint object → TF.js form; refuses what TF.js lacks. */
function translateObject(
  kind: 'initializer' | 'regularizer' | 'constraint',
  key: string,
  v: unknown,
  ctx: TranslateContext,
  name: string,
  cls: string,
): Json | null {
  const o = unwrapObject(v);
  if (!o) {
    if (v == null) return null;
    return refuse(ctx, name, cls, `${key} ${JSON.stringify(v).slice(0, 60)} is not readable`);
  }
  const config = { ...o.config };
  for (const k of DROPPED_ARGS) delete config[k];
  if (kind === 'initializer') {
    const c = own(INITIALIZER_RENAMES, o.className) ?? o.className;
    if (!TFJS_INITIALIZERS.has(c)) refuse(ctx, name, cls, `${key} ${o.className} is not available in TF.js`);
    if (c === 'VarianceScaling' && config.distribution === 'untruncated_normal') {
      config.distribution = 'normal';
      note(ctx, 'VarianceScaling(untruncated_normal) re-initializes as TF.js normal (truncated)');
    }
    return { class_name: c, config };
  }
  if (kind === 'regularizer') {
    if (o.className === 'L1' || o.className === 'l1')
      return { class_name: 'L1L2', config: { l1: config.l1 ?? 0.01, l2: 0 } };
    if (o.className === 'L2' || o.className === 'l2')
      return { class_name: 'L1L2', config: { l1: 0, l2: config.l2 ?? 0.01 } };
    if (o.className === 'L1L2' || o.className === 'l1_l2')
      return { class_name: 'L1L2', config: { l1: config.l1 ?? 0, l2: config.l2 ?? 0 } };
    return refuse(ctx, name, cls, `${key} ${o.className} is not available in TF.js`);
  }
  if (!TFJS_CONSTRAINTS.has(o.className))
    refuse(ctx, name, cls, `${key} ${o.className} is not available in TF.js`);
  return { class_name: o.className, config };
}

/** A layer's config with every Keras-only form translated. */
function translateLayerConfig(cls: string, raw: Json, ctx: TranslateContext, name: string): Json {
  const out: Json = {};
  const checks = { ...ARG_CHECKS['*'], ...own(ARG_CHECKS, cls) };
  for (const [arg, check] of Object.entries(checks)) {
    const why = check(raw[arg]);
    if (why) refuse(ctx, name, cls, why);
  }
  const renames = own(ARG_RENAMES, cls) ?? {};
  const unused = own(UNUSED_ARGS, cls) ?? [];
  for (const [key, value] of Object.entries(raw)) {
    if (DROPPED_ARGS.includes(key) || unused.includes(key)) continue;
    const k = own(renames, key) ?? key;
    const kind = objectKind(k);
    if (k === 'dtype') {
      const d = translateDtype(value, ctx, name, cls);
      if (d !== undefined) out.dtype = d;
    } else if (k === 'activation' || k === 'recurrent_activation') {
      out[k] = translateActivation(value, ctx, name, cls);
    } else if (kind) {
      out[k] = translateObject(kind, k, value, ctx, name, cls);
    } else if (k === 'layer' && (cls === 'Bidirectional' || cls === 'TimeDistributed')) {
      const inner = translateLayer(value, ctx);
      if (!inner) refuse(ctx, name, cls, 'its wrapped layer is a no-op layer');
      out.layer = { class_name: inner.class_name, config: inner.config };
    } else if (k === 'backward_layer') {
      // Keras 3 stores the mirrored backward layer; TF.js builds it from `layer` itself.
      const b = unwrapObject(value);
      if (b && b.config.go_backwards !== true)
        refuse(ctx, name, cls, 'a custom backward_layer is not supported');
    } else {
      setOwn(out, k, value); // a key `__proto__` stays a key, as JSON.parse gave it
    }
  }
  if (Array.isArray(out.batch_input_shape) && out.batch_input_shape[0] != null) {
    // A fixed batch size (Keras batch_input_shape=(25, …)) would make TF.js refuse every other one.
    note(ctx, `layer '${name}': fixed batch size ${out.batch_input_shape[0]} relaxed to any batch size`);
    out.batch_input_shape = [null, ...out.batch_input_shape.slice(1)];
  }
  if (cls === 'BatchNormalization' && Array.isArray(out.axis)) {
    if (out.axis.length !== 1)
      refuse(ctx, name, cls, `normalizing over several axes (${JSON.stringify(out.axis)})`);
    out.axis = out.axis[0];
  }
  return out;
}

interface TranslatedLayer {
  class_name: string;
  config: Json;
  name?: string;
  inbound_nodes?: unknown[];
}

/** Why a layer entry looks like a custom (user-registered) object, or null. */
function customObject(entry: Json, cls: string): string | null {
  const reg = entry.registered_name;
  if (typeof reg === 'string' && reg !== cls && reg.includes('>'))
    return `a custom layer registered as '${reg}'`;
  const module = entry.module;
  if (typeof module === 'string' && !module.startsWith('keras'))
    return `a custom layer from module '${module}'`;
  return null;
}

/** One layer entry (Sequential member, functional node, wrapped layer); null when it is removed. */
function translateLayer(raw: unknown, ctx: TranslateContext): TranslatedLayer | null {
  if (!isObject(raw))
    throw ctx.fail(`model config has a layer that is not an object (${JSON.stringify(raw)?.slice(0, 60)})`);
  const kerasCls = raw.class_name;
  const config = isObject(raw.config) ? raw.config : {};
  const name = String(raw.name ?? config.name ?? '?');
  if (typeof kerasCls !== 'string') throw ctx.fail(`model config has a layer without class_name ('${name}')`);
  if (MODEL_CLASSES.has(kerasCls)) {
    const model = translateModelConfig(kerasCls, raw.config, ctx);
    if (model.class_name === 'Sequential' && (model.config.layers as unknown[]).length === 0) {
      note(ctx, `nested model '${name}' removed: all its layers are the identity at inference`);
      return null;
    }
    const out: TranslatedLayer = { ...model };
    if (raw.name !== undefined) out.name = String(raw.name);
    if (raw.inbound_nodes !== undefined) out.inbound_nodes = raw.inbound_nodes as unknown[];
    return out;
  }
  const removed = own(REMOVED_LAYERS, kerasCls);
  if (removed !== undefined) {
    note(ctx, `layer '${name}' (${kerasCls}) removed: ${removed}, the identity at inference`);
    return null;
  }
  const refused = own(REFUSED_LAYERS, kerasCls);
  if (refused !== undefined) refuse(ctx, name, kerasCls, refused);
  if (KERAS_OPS.has(kerasCls) || (typeof raw.module === 'string' && raw.module.startsWith('keras.src.ops'))) {
    refuse(ctx, name, kerasCls, KERAS_OP_REFUSAL);
  }
  const custom = customObject(raw, kerasCls);
  if (custom) refuse(ctx, name, kerasCls, `${custom}; TF.js cannot run Python code`);
  const cls = own(LAYER_RENAMES, kerasCls) ?? kerasCls;
  if (!SUPPORTED_LAYERS.has(cls))
    refuse(ctx, name, kerasCls, `TF.js Layers has no ${kerasCls} layer (a custom layer?)`);
  const out: TranslatedLayer = { class_name: cls, config: translateLayerConfig(cls, config, ctx, name) };
  if (raw.name !== undefined) out.name = String(raw.name);
  if (raw.inbound_nodes !== undefined) out.inbound_nodes = raw.inbound_nodes as unknown[];
  return out;
}

/** `[layer, node, tensor]` reference, Keras 2 style. */
type TensorRef = [string, number, number];

function isKerasTensor(v: unknown): v is Json {
  return isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config);
}

function refOf(t: Json, ctx: TranslateContext, layer: string): TensorRef {
  const h = (t.config as Json).keras_history;
  if (!Array.isArray(h) || typeof h[0] !== 'string') {
    throw ctx.fail(`layer '${layer}': an inbound tensor has no keras_history`);
  }
  return [h[0], Number(h[1] ?? 0), Number(h[2] ?? 0)];
}

/** One Keras 3 `{args, kwargs}` node → the tensors it reads. */
function keras3NodeInputs(node: Json, ctx: TranslateContext, layer: string, cls: string): TensorRef[] {
  const args = Array.isArray(node.args) ? node.args : [];
  const refs: TensorRef[] = [];
  const take = (a: unknown) => {
    if (isKerasTensor(a)) refs.push(refOf(a, ctx, layer));
    else if (Array.isArray(a) && a.every(isKerasTensor)) for (const t of a) refs.push(refOf(t, ctx, layer));
    else
      refuse(ctx, layer, cls, `it is called with a constant argument (${JSON.stringify(a)?.slice(0, 40)})`);
  };
  args.forEach(take);
  const kwargs = isObject(node.kwargs) ? node.kwargs : {};
  for (const [k, v] of Object.entries(kwargs)) {
    if (isKerasTensor(v) || (Array.isArray(v) && v.some(isKerasTensor))) {
      refuse(ctx, layer, cls, `it is called with a tensor keyword argument '${k}'`);
    }
    // `training` (Keras 3 records false from the symbolic call) and `mask` are overridden by the
    // model's own call in Keras too; other keyword arguments are constants TF.js layers do not take.
  }
  return refs;
}

/** Inbound nodes (Keras 2 nested lists or Keras 3 dicts) → Keras 2 form: node → input refs. */
function inboundNodes(raw: unknown, ctx: TranslateContext, layer: string, cls: string): TensorRef[][] {
  if (!Array.isArray(raw)) return [];
  return raw.map((node) => {
    if (isObject(node)) return keras3NodeInputs(node, ctx, layer, cls);
    if (!Array.isArray(node)) throw ctx.fail(`layer '${layer}': unreadable inbound node`);
    // Keras 2: [[name, node, tensor, kwargs], ...], or one flat ref in some writers.
    const entries = typeof node[0] === 'string' ? [node] : node;
    return entries.map((e: unknown) => {
      if (!Array.isArray(e) || typeof e[0] !== 'string')
        throw ctx.fail(`layer '${layer}': unreadable inbound node`);
      return [e[0], Number(e[1] ?? 0), Number(e[2] ?? 0)] as TensorRef;
    });
  });
}

/** `input_layers` / `output_layers`: nested `[[name, node, tensor], ...]` (Keras 3 may write one flat ref). */
function layerRefs(raw: unknown): TensorRef[] {
  if (!Array.isArray(raw)) return [];
  const list = typeof raw[0] === 'string' ? [raw] : raw;
  return list
    .filter((r): r is unknown[] => Array.isArray(r) && typeof r[0] === 'string')
    .map((r) => [r[0] as string, Number(r[1] ?? 0), Number(r[2] ?? 0)]);
}

function translateFunctional(config: Json, ctx: TranslateContext): Json {
  const layers = Array.isArray(config.layers) ? config.layers : [];
  // Removed layers pass their input through: ref of (removed layer, node i) → its input ref.
  const passThrough = new Map<string, TensorRef>();
  const key = (r: TensorRef) => `${r[0]}\u0000${r[1]}\u0000${r[2]}`;
  const resolve = (r: TensorRef): TensorRef => {
    let cur = r;
    for (let hops = 0; passThrough.has(key(cur)) && hops < 10_000; hops++)
      cur = passThrough.get(key(cur)) as TensorRef;
    return cur;
  };
  const out: Json[] = [];
  for (const entry of layers) {
    const layer = translateLayer(entry, ctx);
    const name = String((entry as Json).name ?? ((entry as Json).config as Json)?.name ?? '?');
    const cls = String((entry as Json).class_name);
    const nodes = inboundNodes((entry as Json).inbound_nodes, ctx, name, cls);
    if (!layer) {
      nodes.forEach((inputs, i) => {
        if (inputs.length !== 1) refuse(ctx, name, cls, 'a removed layer must have exactly one input');
        passThrough.set(key([name, i, 0]), inputs[0]);
      });
      continue;
    }
    const inbound = nodes.map((inputs) => inputs.map((r) => [...resolve(r), {}]));
    out.push({ class_name: layer.class_name, config: layer.config, name, inbound_nodes: inbound });
  }
  return {
    ...pick(config, ['name', 'trainable']),
    layers: out,
    input_layers: layerRefs(config.input_layers),
    output_layers: layerRefs(config.output_layers).map(resolve),
  };
}

function pick(o: Json, keys: string[]): Json {
  const r: Json = {};
  for (const k of keys) if (o[k] !== undefined) r[k] = o[k];
  return r;
}

/** The batch input shape a layer entry declares (a nested Sequential: its first layer's). */
function declaredInputShape(entry: unknown): unknown {
  if (!isObject(entry)) return undefined;
  const cfg = entry.config;
  if (Array.isArray(cfg)) return declaredInputShape(cfg[0]);
  if (!isObject(cfg)) return undefined;
  if (entry.class_name === 'Sequential' && Array.isArray(cfg.layers))
    return declaredInputShape(cfg.layers[0]);
  return cfg.batch_input_shape ?? cfg.batch_shape;
}

function translateSequential(config: unknown, ctx: TranslateContext): Json {
  // Keras ≤ 2.2 stores a Sequential config as the bare list of layers.
  const c: Json = Array.isArray(config) ? { layers: config } : isObject(config) ? config : {};
  const raw = Array.isArray(c.layers) ? c.layers : [];
  const layers: Json[] = [];
  let carriedShape: unknown;
  for (const entry of raw) {
    const shape = declaredInputShape(entry);
    const layer = translateLayer(entry, ctx);
    if (!layer) {
      // A removed first layer may carry the model's input shape: hand it to the next layer.
      if (layers.length === 0 && shape !== undefined) carriedShape = shape;
      continue;
    }
    const lc = layer.config;
    if (
      layers.length === 0 &&
      carriedShape !== undefined &&
      lc.batch_input_shape === undefined &&
      layer.class_name !== 'InputLayer'
    ) {
      lc.batch_input_shape = carriedShape;
    }
    layers.push({ class_name: layer.class_name, config: lc });
  }
  // A Sequential built with model.build(shape) has no InputLayer: the shape is in build_input_shape.
  const first = layers[0]?.config as Json | undefined;
  const build = c.build_input_shape;
  if (
    first &&
    layers[0].class_name !== 'InputLayer' &&
    first.batch_input_shape === undefined &&
    Array.isArray(build)
  ) {
    first.batch_input_shape = build;
  }
  return { ...pick(c, ['name', 'trainable']), layers };
}

/** A Sequential / Functional / Model config → TF.js `{class_name, config}`. */
function translateModelConfig(cls: string, config: unknown, ctx: TranslateContext): TranslatedLayer {
  if (cls === 'Sequential') return { class_name: 'Sequential', config: translateSequential(config, ctx) };
  if (!isObject(config)) throw ctx.fail(`${cls} model config is not an object`);
  return { class_name: 'Model', config: translateFunctional(config, ctx) };
}

/**
 * Translates a Keras model config (the `model_config` of an `.h5` / converter model.json, or
 * `config.json` of a `.keras`) into `{class_name, config}` for `tf.models.modelFromJSON`. Throws a
 * UsageError (through `ctx.fail`) naming the first layer TF.js cannot build.
 */
export function translateModel(raw: unknown, ctx: TranslateContext): Json {
  if (!isObject(raw) || typeof raw.class_name !== 'string') {
    throw ctx.fail('model config has no class_name (not a Keras model config)');
  }
  if (!MODEL_CLASSES.has(raw.class_name)) {
    throw ctx.fail(
      `model config is a ${raw.class_name}, not a Sequential or functional model (a subclassed model?)`,
    );
  }
  if (ctx.kerasMajor < 2) {
    throw ctx.fail(
      'was written by Keras 1, whose layer arguments TF.js cannot read; re-save it with Keras 2 or 3',
    );
  }
  const { class_name, config } = translateModelConfig(raw.class_name, raw.config, ctx);
  return { class_name, config };
}
