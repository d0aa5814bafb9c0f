// Matching stored weights to the built TF.js model by structure, never by luck: each TF.js layer
// is paired with its stored weights by the file's own layout, each weight's stored shape is checked
// against the TF.js variable (from the header, before any data is read), and the load fails unless
// every TF.js weight is assigned and every stored weight is used.
//
// Layouts:
// - Keras 2 (and Keras 3 legacy) `.h5`: `model_weights/<layer name>/` with the layer's weights in
//   the order of its `weight_names` attribute (split into `weight_names0`, `1`, … when long);
// - Keras 3 `.keras`: `layers/<snake_case(class)>[_n]/vars/<i>`, numbered per class in
//   `model.layers` order (layers without weights count; a Sequential's InputLayer is not in
//   model.layers), RNN cells one level deeper (`cell/vars`), Bidirectional under
//   `forward_layer` / `backward_layer`, TimeDistributed under `layer`, nested models recursively.
//   tf.keras 2.13–2.15 wrote the same layout, but on Windows it joined each object's path with
//   os.path.join: one root group named `layers\dense` (`layers\lstm\cell`) holding `vars`;
// - tensorflowjs_converter model.json: manifest entries grouped by the first path component that
//   names a layer at that level (a leading model-name component is skipped), in manifest order.
import * as tf from '@tensorflow/tfjs';
import { type Fail, isObject, type Json } from '../../../model-files/common.ts';
import type { Hdf5File } from '../../../model-files/keras/hdf5.ts';
import { pushAll } from '../../../shared/array.ts';

export interface StoredWeight {
  /** Where it is stored (an HDF5 path or a manifest name), for messages. */
  where: string;
  shape: number[];
  read(): Float32Array;
}

/** The stored weights of one level of a model (the top model or a nested one). */
export interface LevelSource {
  /** Stored weights of a plain layer, in TF.js's weight order. */
  layer(name: string): StoredWeight[];
  /** The source for a nested model's layers. */
  nested(model: tf.LayersModel): LevelSource;
}

/** Layer names of a model level, with nested models' own trees. */
export interface LayerTree {
  name: string;
  children: LayerTree[] | null;
}

export function layerTree(model: tf.LayersModel): LayerTree[] {
  return model.layers.map((l) => ({ name: l.name, children: isModel(l) ? layerTree(l) : null }));
}

function descendantNames(tree: LayerTree[], out = new Set<string>()): Set<string> {
  for (const t of tree) {
    out.add(t.name);
    if (t.children) descendantNames(t.children, out);
  }
  return out;
}

/** Reads an attribute that Keras may split into `name0`, `name1`, … when it exceeds 64 KiB. */
export function readSplitAttr(file: Hdf5File, path: string, name: string): string[] {
  const whole = file.attr(path, name);
  if (whole !== undefined) return stringList(whole);
  const parts: string[] = [];
  for (let i = 0; ; i++) {
    const chunk = file.attr(path, `${name}${i}`);
    if (chunk === undefined) break;
    pushAll(parts, stringList(chunk));
  }
  return parts;
}

/** An HDF5 string attribute as a list (a one-element one can come back as a plain string). */
function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v))
    return v.map((x) => (x instanceof Uint8Array ? new TextDecoder().decode(x) : String(x)));
  return [];
}

/** Tracks which stored weights were used, so that none is left over. */
export class Claims {
  private readonly used = new Set<string>();
  constructor(private readonly all: string[]) {}
  claim(where: string): void {
    this.used.add(where);
  }
  leftovers(): string[] {
    return this.all.filter((w) => !this.used.has(w));
  }
}

function datasetWeight(file: Hdf5File, path: string, fail: Fail): StoredWeight {
  const info = file.datasetInfo(path);
  if (!info) throw fail(`weight '${path}' is listed but not stored`);
  const shape = info.shape;
  return {
    where: path,
    shape,
    read: () =>
      file.readFloats(
        path,
        shape.reduce((a, b) => a * b, 1),
      ),
  };
}

/** Keras 2 / legacy `.h5` (`model_weights/<layer>/…` listed by `weight_names`). */
export function legacyH5Source(
  file: Hdf5File,
  root: string,
  fail: Fail,
): { source: LevelSource; claims: Claims } {
  // Walked first so that every path built below from attribute strings lies in a checked tree.
  file.walk(root);
  const layerNames = readSplitAttr(file, root, 'layer_names');
  const perLayer = new Map<string, string[]>();
  for (const l of layerNames) perLayer.set(l, readSplitAttr(file, `${root}/${l}`, 'weight_names'));
  const all = [...perLayer.entries()].flatMap(([l, names]) => names.map((n) => `${root}/${l}/${n}`));
  const claims = new Claims(all);
  const source: LevelSource = {
    layer(name) {
      return (perLayer.get(name) ?? []).map((n) => datasetWeight(file, `${root}/${name}/${n}`, fail));
    },
    nested(model) {
      // A nested model's group lists all its weights flat; group them by layer name.
      const entries = (perLayer.get(model.name) ?? []).map((n) => ({
        name: n,
        weight: () => datasetWeight(file, `${root}/${model.name}/${n}`, fail),
      }));
      return namePathSource(entries, layerTree(model), fail);
    },
  };
  return { source, claims };
}

interface NamedEntry {
  name: string;
  weight: () => StoredWeight;
}

/**
 * Weights named by paths (`sequential/dense/kernel`, `dense_1/kernel:0`): each belongs to the
 * first path component that names a layer at this level; failing that, to the nested model that
 * holds a layer of that name (converters write a nested model's weights without its name).
 */
export function namePathSource(entries: NamedEntry[], tree: LayerTree[], fail: Fail): LevelSource {
  const names = new Set(tree.map((t) => t.name));
  const nested = tree
    .filter((t) => t.children)
    .map((t) => ({ name: t.name, inner: descendantNames(t.children ?? []) }));
  const owned = new Map<string, { rest: string; entry: NamedEntry }[]>();
  for (const e of entries) {
    const parts = e.name.split('/');
    let owner: string | null = null;
    let rest = '';
    const i = parts.findIndex((p) => names.has(p));
    if (i >= 0 && i < parts.length - 1) {
      owner = parts[i];
      rest = parts.slice(i + 1).join('/');
    } else {
      for (let j = 0; j < parts.length - 1 && owner === null; j++) {
        const holder = nested.find((n) => n.inner.has(parts[j]));
        if (holder) {
          owner = holder.name;
          rest = parts.slice(j).join('/');
        }
      }
    }
    if (owner === null) {
      const shown = tree.slice(0, 6).map((t) => t.name);
      throw fail(
        `stored weight '${e.name}' belongs to no layer of the model (layers: ${shown.join(', ')}${tree.length > 6 ? ', …' : ''})`,
      );
    }
    const list = owned.get(owner) ?? [];
    list.push({ rest, entry: e });
    owned.set(owner, list);
  }
  return {
    layer(name) {
      return (owned.get(name) ?? []).map((o) => o.entry.weight());
    },
    nested(model) {
      const list = (owned.get(model.name) ?? []).map((o) => ({ name: o.rest, weight: o.entry.weight }));
      return namePathSource(list, layerTree(model), fail);
    },
  };
}

/** `Conv2D` → `conv2d`, `BatchNormalization` → `batch_normalization`, `PReLU` → `p_re_lu` (Keras' to_snake_case). */
export function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** All dataset paths under `path`, walked once by object identity (hdf5.ts: cycles, depth). */
function datasetsUnder(file: Hdf5File, path: string): string[] {
  return [...file.walk(path)].filter(([, kind]) => kind === 'dataset').map(([p]) => p);
}

/** Sub-objects of a Keras 3 layer that hold weights, in TF.js's weight order. */
const CHILD_ORDER = ['cell', 'forward_layer', 'backward_layer', 'layer'];

/**
 * The separator between the objects of a Keras 3 path: `/` (nested groups), or a backslash where
 * the file has root groups `layers\…` and no `layers` group (tf.keras 2.13–2.15 saved on Windows).
 */
function keras3Separator(file: Hdf5File): '/' | '\\' {
  const root = file.keys('/');
  return !root.includes('layers') && root.some((k) => k.startsWith('layers\\')) ? '\\' : '/';
}

/** The datasets of one Keras 3 layer: `vars/0..n`, then its sub-objects' (cell, …) recursively. */
function keras3LayerWeights(file: Hdf5File, path: string, fail: Fail, sep: string): StoredWeight[] {
  const out: StoredWeight[] = [];
  const vars = file
    .keys(`${path}/vars`)
    .filter((k) => /^\d+$/.test(k))
    .map(Number)
    .sort((a, b) => a - b);
  vars.forEach((v, i) => {
    if (v !== i) throw fail(`weights of '${path}' are numbered with a gap (vars/${i} missing)`);
    out.push(datasetWeight(file, `${path}/vars/${v}`, fail));
  });
  for (const child of CHILD_ORDER) {
    if (file.kind(`${path}${sep}${child}`) === 'group')
      out.push(...keras3LayerWeights(file, `${path}${sep}${child}`, fail, sep));
  }
  return out;
}

/** Keras 3 paths of the layers of one model level, by layer name. */
function keras3Paths(config: Json, prefix: string, sep: string): Map<string, { path: string; config: Json }> {
  const cls = config.class_name;
  const inner = isObject(config.config) ? config.config : {};
  let layers = (
    Array.isArray(config.config) ? config.config : Array.isArray(inner.layers) ? inner.layers : []
  ) as Json[];
  // Sequential.layers leaves out the InputLayer (it is only in the config).
  if (cls === 'Sequential') layers = layers.filter((l) => l.class_name !== 'InputLayer');
  const used = new Map<string, number>();
  const out = new Map<string, { path: string; config: Json }>();
  for (const l of layers) {
    let name = snakeCase(String(l.class_name));
    const n = used.get(name);
    used.set(name, n === undefined ? 0 : n + 1);
    if (n !== undefined) name = `${name}_${n + 1}`;
    const layerName = String(l.name ?? (isObject(l.config) ? l.config.name : '') ?? '');
    out.set(layerName, { path: `${prefix}layers${sep}${name}`, config: l });
  }
  return out;
}

/** Keras 3 `model.weights.h5`, laid out by `config` (the Keras 3 model config, untranslated). */
export function keras3Source(
  file: Hdf5File,
  config: Json,
  fail: Fail,
): { source: LevelSource; claims: Claims } {
  const sep = keras3Separator(file);
  const layerRoots = sep === '/' ? ['layers'] : file.keys('/').filter((k) => k.startsWith('layers\\'));
  const stored = layerRoots.flatMap((r) => datasetsUnder(file, r)).concat(datasetsUnder(file, 'vars'));
  // Random-number state (Keras 3 SeedGenerator, e.g. of augmentation layers) is not a weight.
  const claims = new Claims(stored.filter((p) => !/[/\\]seed_generator[^/\\]*\//.test(p)));
  const level = (cfg: Json, prefix: string): LevelSource => {
    const paths = keras3Paths(cfg, prefix, sep);
    return {
      layer(name) {
        const p = paths.get(name);
        if (!p) return [];
        // Keras ≥ 3.4 records the layer's name on its vars group: it must agree with the structure.
        const recorded = file.attr(`${p.path}/vars`, 'name');
        if (typeof recorded === 'string' && recorded !== name) {
          throw fail(
            `weights at '${p.path}' are recorded for layer '${recorded}', but by the model's structure they belong to '${name}'`,
          );
        }
        return keras3LayerWeights(file, p.path, fail, sep);
      },
      nested(model) {
        const p = paths.get(model.name);
        if (!p) throw fail(`nested model '${model.name}' is not in the Keras config`);
        return level(p.config, `${p.path}${sep}`);
      },
    };
  };
  return { source: level(config, ''), claims };
}

/** Weights of a converter model.json, already decoded, grouped by layer name. */
export function manifestSource(
  specs: tf.io.WeightsManifestEntry[],
  tensors: tf.NamedTensorMap,
  fail: Fail,
): { source: (model: tf.LayersModel) => LevelSource; claims: Claims } {
  const names = specs.filter((s) => s.group !== 'optimizer').map((s) => s.name);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw fail(`weightsManifest lists weight '${n}' twice`);
    seen.add(n);
  }
  const claims = new Claims(names);
  const entries = (modelName: string): NamedEntry[] =>
    specs
      .filter((s) => s.group !== 'optimizer')
      .map((s) => ({
        // Keras 3 prefixes each weight with the model name (`sequential/dense/kernel`).
        name: s.name.startsWith(`${modelName}/`) ? s.name.slice(modelName.length + 1) : s.name,
        weight: () => ({
          where: s.name,
          shape: s.shape,
          read: () => tensors[s.name].dataSync() as Float32Array,
        }),
      }));
  return { source: (model) => namePathSource(entries(model.name), layerTree(model), fail), claims };
}

function isModel(layer: tf.layers.Layer): layer is tf.LayersModel {
  return layer instanceof tf.LayersModel;
}

function shapeText(s: readonly (number | null)[]): string {
  return `[${s.join(', ')}]`;
}

/** Weights in TF.js's own naming, ready for tf.loadLayersModel (which then skips initializers). */
export interface CollectedWeights {
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

/**
 * Pairs every weight of `probe` (a model built from the topology) with its stored weight, layer by
 * layer, and returns them under the TF.js variable names. Fails on a count or shape mismatch, on a
 * TF.js weight left without a stored one and (through `claims`) on a stored weight left over.
 * Shapes are compared from the headers before any value is read.
 */
export function collectWeights(
  probe: tf.LayersModel,
  source: LevelSource,
  claims: Claims,
  fail: Fail,
): CollectedWeights {
  const pairs: { name: string; shape: number[]; stored: StoredWeight }[] = [];
  const level = (layers: tf.layers.Layer[], src: LevelSource) => {
    for (const layer of layers) {
      if (isModel(layer)) {
        level(layer.layers, src.nested(layer));
        continue;
      }
      const vars = layer.weights;
      const stored = src.layer(layer.name);
      if (vars.length !== stored.length) {
        const list = stored.map((s) => s.where).join(', ') || 'none';
        throw fail(
          `layer '${layer.name}' (${layer.getClassName()}) has ${vars.length} weight${vars.length === 1 ? '' : 's'} in TF.js but the file stores ${stored.length} for it (${list})`,
        );
      }
      stored.forEach((s, i) => {
        const want = vars[i].shape as number[];
        if (s.shape.length !== want.length || s.shape.some((d, j) => d !== want[j])) {
          throw fail(
            `weight '${s.where}' has shape ${shapeText(s.shape)} but layer '${layer.name}' (${layer.getClassName()}) needs ${shapeText(want)}`,
          );
        }
        pairs.push({ name: vars[i].originalName, shape: want, stored: s });
        claims.claim(s.where);
      });
    }
  };
  level(probe.layers, source);
  const total = probe.weights.length;
  if (pairs.length !== total)
    throw fail(`only ${pairs.length} of the model's ${total} weights were found in the file`);
  const left = claims.leftovers();
  if (left.length) {
    throw fail(
      `the file stores ${left.length} weight${left.length === 1 ? '' : 's'} that no layer of the model uses (${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''})`,
    );
  }
  const bytes = pairs.reduce((a, p) => a + 4 * p.shape.reduce((x, y) => x * y, 1), 0);
  const data = new Float32Array(bytes / 4);
  let off = 0;
  for (const p of pairs) {
    const values = p.stored.read();
    data.set(values, off);
    off += values.length;
  }
  return { specs: pairs.map((p) => ({ name: p.name, shape: p.shape, dtype: 'float32' })), data: data.buffer };
}
