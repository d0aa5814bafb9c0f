// Pure edits of a Keras-style model topology (what model.json's `modelTopology` and a Keras
// config hold, and what TF.js `model.toJSON(null, false)` returns): find layers, change a config
// field, insert a layer after another. Every edit is recorded as a ConfigEdit, which is both what
// the fixed clone is built from and what the report shows the user.
//
// Sequential models (`config.layers`, or the bare list of old Keras files) and functional models
// (`inbound_nodes`, `output_layers`) are edited at their top level; layers nested in inner models
// are left alone (a fix that would need them does not apply).
import type { ConfigEdit, JsonValue } from '../core/remedies.ts';

export type Json = { [key: string]: JsonValue };

export interface LayerEntry {
  class_name: string;
  config: Json;
  name?: string;
  inbound_nodes?: JsonValue;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The top-level layer list of a topology (the array itself: edits apply in place). */
/** The topology's own array of layers (edited in place by insertAfter), or null. */
function layerArray(topology: Json): JsonValue[] | null {
  const config = topology.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  return Array.isArray(list) ? list : null;
}

export function layerList(topology: Json): LayerEntry[] {
  const list = layerArray(topology);
  if (!list) return [];
  return list.filter(
    (l): l is JsonValue & LayerEntry => isObject(l) && typeof l.class_name === 'string' && isObject(l.config),
  ) as LayerEntry[];
}

export function isFunctional(topology: Json): boolean {
  return topology.class_name !== 'Sequential';
}

export function layerName(layer: LayerEntry): string {
  return String(layer.config.name ?? layer.name ?? layer.class_name);
}

export function findLayer(topology: Json, name: string): LayerEntry | undefined {
  return layerList(topology).find((l) => layerName(l) === name);
}

/** Layers that own a fan-based kernel (Dense, convolutions), input side first. */
export const KERNEL_FIELDS = [
  'kernel_initializer',
  'depthwise_initializer',
  'pointwise_initializer',
] as const;

export function hasKernel(layer: LayerEntry): boolean {
  return KERNEL_FIELDS.some((f) => f in layer.config);
}

const clone = <T extends JsonValue>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Sets `layer.config[field]` and records the edit (nothing when the value is already there). */
export function setField(topology: Json, name: string, field: string, value: JsonValue): ConfigEdit | null {
  const layer = findLayer(topology, name);
  if (!layer) throw new Error(`no layer named ${name}`);
  const from = field in layer.config ? clone(layer.config[field]) : null;
  if (JSON.stringify(from) === JSON.stringify(value)) return null;
  layer.config[field] = clone(value);
  return { kind: 'set', layer: name, className: layer.class_name, field, from, to: clone(value) };
}

/** The layers that read a layer's output (functional: by inbound node; sequential: the next one). */
export function consumers(topology: Json, name: string): LayerEntry[] {
  const layers = layerList(topology);
  if (!isFunctional(topology)) {
    const i = layers.findIndex((l) => layerName(l) === name);
    return i >= 0 && i + 1 < layers.length ? [layers[i + 1]] : [];
  }
  return layers.filter((l) => JSON.stringify(l.inbound_nodes ?? []).includes(JSON.stringify(name)));
}

function uniqueName(topology: Json, base: string): string {
  const taken = new Set(layerList(topology).map(layerName));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

/** Replaces references to `from` (as a layer name in inbound nodes / output layers) with `to`. */
function rewire(node: JsonValue, from: string, to: string): JsonValue {
  if (Array.isArray(node)) {
    // A node reference: [name, nodeIndex, tensorIndex, (kwargs)].
    if (node[0] === from && typeof node[1] === 'number' && typeof node[2] === 'number')
      return [to, 0, node[2], ...node.slice(3)];
    return node.map((n) => rewire(n, from, to));
  }
  return node;
}

/**
 * Inserts a new layer right after `name`, so that what read `name`'s output reads the new layer's.
 * Returns null when that cannot be done safely (the layer is shared: called more than once).
 */
export function insertAfter(
  topology: Json,
  name: string,
  className: string,
  config: Json,
  baseName: string,
): ConfigEdit | null {
  const layers = layerList(topology);
  const source = layers.find((l) => layerName(l) === name);
  const raw = layerArray(topology);
  if (!source || !raw) throw new Error(`no layer named ${name}`);
  // Spliced into the topology's own array (layerList returns a filtered copy).
  const at = raw.indexOf(source as unknown as JsonValue);
  const newName = uniqueName(topology, baseName);
  const newConfig: Json = { ...clone(config), name: newName, trainable: true };
  if (!isFunctional(topology)) {
    raw.splice(at + 1, 0, { class_name: className, config: newConfig } as JsonValue);
    return { kind: 'insert', after: name, layer: newName, className, config: clone(newConfig) };
  }
  const nodes = Array.isArray(source.inbound_nodes) ? source.inbound_nodes : [];
  if (nodes.length > 1) return null; // a shared layer: each call would need its own copy
  for (const l of layers) if (l !== source) l.inbound_nodes = rewire(l.inbound_nodes ?? [], name, newName);
  const top = topology.config as Json;
  top.output_layers = rewire(top.output_layers ?? [], name, newName);
  const entry: LayerEntry = {
    name: newName,
    class_name: className,
    config: newConfig,
    inbound_nodes: [[[name, 0, 0, {}]]],
  };
  raw.splice(at + 1, 0, entry as unknown as JsonValue);
  return { kind: 'insert', after: name, layer: newName, className, config: clone(newConfig) };
}

/** Activation layers that may follow a linear Dense/conv layer. */
const ACTIVATION_LAYERS: Record<string, (config: Json) => string> = {
  Activation: (c) => String(c.activation ?? 'linear'),
  ReLU: () => 'relu',
  LeakyReLU: () => 'leakyrelu',
  PReLU: () => 'prelu',
  ELU: () => 'elu',
  ThresholdedReLU: () => 'relu',
  Softmax: () => 'softmax',
};
/** Layers an activation is looked for through (they do not change which activation comes next). */
const TRANSPARENT = new Set(['BatchNormalization', 'LayerNormalization', 'Dropout', 'Reshape', 'Flatten']);

/**
 * The activation applied to a layer's output: its own, or for a linear layer the first activation
 * layer after it (through normalization and dropout), e.g. Dense → BatchNormalization → ReLU.
 */
export function effectiveActivation(topology: Json, name: string): string {
  const layer = findLayer(topology, name);
  if (!layer) return 'linear';
  const own = typeof layer.config.activation === 'string' ? layer.config.activation : 'linear';
  if (own !== 'linear') return own;
  let current = name;
  for (let hop = 0; hop < 4; hop++) {
    const next = consumers(topology, current);
    if (next.length !== 1) return own;
    // Own entries only: a layer class named `constructor` is not a reader (src/core/own.ts).
    const cls = next[0].class_name;
    const reader = Object.hasOwn(ACTIVATION_LAYERS, cls) ? ACTIVATION_LAYERS[cls] : undefined;
    if (reader) return reader(next[0].config);
    if (!TRANSPARENT.has(next[0].class_name)) return own;
    current = layerName(next[0]);
  }
  return own;
}

/** The output layer of the model (sequential: the last; functional: the first output). */
export function outputLayerName(topology: Json): string | null {
  const layers = layerList(topology);
  if (!layers.length) return null;
  if (!isFunctional(topology)) return layerName(layers[layers.length - 1]);
  const outs = (topology.config as Json).output_layers;
  const first = Array.isArray(outs) ? outs[0] : null;
  return Array.isArray(first) && typeof first[0] === 'string' ? first[0] : null;
}

/** The layer whose output `layer` reads (sequential: the previous one; functional: its single source). */
function producer(topology: Json, layer: LayerEntry): LayerEntry | null {
  const layers = layerList(topology);
  if (!isFunctional(topology)) {
    const i = layers.indexOf(layer);
    return i > 0 ? layers[i - 1] : null;
  }
  const nodes = JSON.stringify(layer.inbound_nodes ?? []);
  const sources = layers.filter((l) => l !== layer && nodes.includes(JSON.stringify(layerName(l))));
  return sources.length === 1 ? sources[0] : null;
}

/**
 * The layers from the output back to the last layer with a kernel, outermost first (e.g.
 * `[Activation softmax, Dense]`); empty when no such layer is reached within a few layers.
 */
export function outputChain(topology: Json): LayerEntry[] {
  const out = outputLayerName(topology);
  const chain: LayerEntry[] = [];
  let layer = out ? (findLayer(topology, out) ?? null) : null;
  for (let hop = 0; layer && hop < 8; hop++) {
    chain.push(layer);
    if (hasKernel(layer)) return chain;
    layer = producer(topology, layer);
  }
  return [];
}
