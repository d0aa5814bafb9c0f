// Loading a TF.js Layers model (model.json + weight shards) from disk without tfjs-node, and
// saving one (for tests and fixtures).
//
// model.json (as written by `model.save` or the Keras→TF.js converter):
//   { modelTopology, format?, generatedBy?, convertedBy?, trainingConfig?, userDefinedMetadata?,
//     weightsManifest: [{ paths: [shard files], weights: [{ name, shape, dtype, quantization?, group? }] }] }
// Shards are read from beside model.json; each group's shards, concatenated, hold its weights in order.
//
// The training config is applied here rather than by tf.loadLayersModel: TF.js compiles from it by
// itself, but fails on common Keras forms (loss objects, 'RMSprop', 'lr', schedules). We normalize
// it, compile, then restore the optimizer state saved with the model when it fits.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../core/errors.ts';

export interface LoadModelOptions {
  /** Flag named in error messages (default `--model`); `''` for none. */
  flag?: string;
}

/** The training config stored with a model, normalized to TF.js names. */
export interface ModelTrainingConfig {
  /** TF.js loss name (camelCase), e.g. `categoricalCrossentropy`; null when the config has none or it is not usable. */
  loss: string | null;
  /** Keras `from_logits=True` on the loss (TF.js Layers losses have no such option). */
  fromLogits: boolean;
  /** TF.js optimizer class: `SGD`, `Momentum`, `Adam`, `Adamax`, `RMSProp`, `Adagrad`, `Adadelta`; null if absent or unsupported. */
  optimizer: string | null;
  learningRate: number | null;
  metrics: string[];
  /** The training config exactly as stored in model.json. */
  raw: unknown;
}

export interface LoadedModel {
  model: tf.LayersModel;
  /** Absolute path of the model.json that was read. */
  path: string;
  /** Null when model.json has no training config. */
  trainingConfig: ModelTrainingConfig | null;
  /** True when the model was compiled from its training config. */
  compiled: boolean;
  /** One line saying why a present training config was not applied (the model is then uncompiled). */
  trainingConfigProblem: string | null;
  /** Parts of the training config or saved state that were dropped, one line each. */
  notes: string[];
}

type Json = Record<string, unknown>;

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].trim();
}

function errorAt(where: string) {
  return (problem: string) => new UsageError(`${where}: ${problem}`);
}

/** Resolves the path to model.json (a directory holding one is accepted) or throws. */
function resolveModelJson(path: string, fail: (p: string) => UsageError): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'file not found' : `cannot read the file (${firstLine(err)})`);
  }
  if (!st.isDirectory()) return resolve(path);
  const inside = join(path, 'model.json');
  try {
    if (statSync(inside).isFile()) return resolve(inside);
  } catch {
    // fall through
  }
  throw fail('is a directory without a model.json; pass the model.json file');
}

function readModelJson(file: string, fail: (p: string) => UsageError): Json {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'EACCES' ? 'permission denied' : `cannot read the file (${firstLine(err)})`);
  }
  if (bytes.subarray(0, 4).toString('latin1') === '\x89HDF') {
    throw fail(
      'is a Keras HDF5 file, not a TF.js model.json; convert it: tensorflowjs_converter --input_format keras model.h5 outdir',
    );
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw fail(
      'is a zip archive (a Keras .keras file?), not a TF.js model.json; convert it with tensorflowjs_converter',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw fail(`is not valid JSON (${firstLine(err)})`);
  }
  if (!isObject(json)) throw fail('is not a TF.js model.json (expected a JSON object)');
  const topology = json.modelTopology;
  if (json.format === 'graph-model' || (isObject(topology) && 'node' in topology)) {
    throw fail(
      'is a TF.js graph model (converted from a SavedModel); nn-doctor needs a Layers model (model.save / Keras converter)',
    );
  }
  if (!isObject(topology)) {
    if ('class_name' in json && 'config' in json) {
      throw fail(
        'holds only a Keras model config (model.to_json()), no weights; convert the model with tensorflowjs_converter',
      );
    }
    throw fail('no modelTopology: not a TF.js Layers model.json');
  }
  return json;
}

function readManifest(json: Json, fail: (p: string) => UsageError): ManifestGroup[] {
  const manifest = json.weightsManifest;
  if (manifest === undefined) throw fail("no weightsManifest (the model's weight files are not listed)");
  if (!Array.isArray(manifest)) throw fail('malformed weightsManifest (expected an array)');
  return manifest.map((g, i) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw fail(`malformed weightsManifest (group ${i + 1} needs 'paths' and 'weights' arrays)`);
    }
    if (!g.paths.every((p) => typeof p === 'string')) {
      throw fail(`malformed weightsManifest (group ${i + 1}: paths must be strings)`);
    }
    for (const w of g.weights) {
      if (
        !isObject(w) ||
        typeof w.name !== 'string' ||
        !Array.isArray(w.shape) ||
        !w.shape.every((d) => Number.isInteger(d) && (d as number) >= 0) ||
        typeof w.dtype !== 'string'
      ) {
        throw fail(`malformed weightsManifest (group ${i + 1}: ${JSON.stringify(w).slice(0, 80)})`);
      }
    }
    return { paths: g.paths as string[], weights: g.weights as tf.io.WeightsManifestEntry[] };
  });
}

/** Bytes a weight takes in a shard, or null when it cannot be known from the manifest (strings). */
function weightBytes(w: tf.io.WeightsManifestEntry, fail: (p: string) => UsageError): number | null {
  const size = w.shape.reduce((a, b) => a * b, 1);
  if (w.quantization) {
    const q = QUANTIZED_BYTES[w.quantization.dtype];
    if (!q) throw fail(`weight '${w.name}' has unknown quantization dtype '${w.quantization.dtype}'`);
    return size * q;
  }
  if (w.dtype === 'string') return null;
  const b = DTYPE_BYTES[w.dtype];
  if (!b) throw fail(`weight '${w.name}' has unknown dtype '${w.dtype}'`);
  return size * b;
}

function readShard(dir: string, name: string, fail: (p: string) => UsageError): Uint8Array {
  const candidates = [name];
  try {
    const decoded = decodeURIComponent(name);
    if (decoded !== name) candidates.push(decoded);
  } catch {
    // not URI-encoded
  }
  for (const c of candidates) {
    try {
      return readFileSync(resolve(dir, c));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw fail(`cannot read weight file ${name} (${firstLine(err)})`);
    }
  }
  throw fail(`weight file ${name} (listed in weightsManifest) not found beside model.json`);
}

function readWeights(
  dir: string,
  groups: ManifestGroup[],
  fail: (p: string) => UsageError,
): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const parts: Uint8Array[] = [];
  for (const g of groups) {
    const shards = g.paths.map((p) => readShard(dir, p, fail));
    const have = shards.reduce((a, s) => a + s.length, 0);
    const sizes = g.weights.map((w) => weightBytes(w, fail));
    if (sizes.every((s) => s !== null)) {
      const need = (sizes as number[]).reduce((a, b) => a + b, 0);
      if (have !== need) {
        const files = g.paths.join(', ') || '(no files)';
        throw fail(
          `weight file${g.paths.length === 1 ? '' : 's'} ${files} hold${g.paths.length === 1 ? 's' : ''} ${have} bytes ` +
            `but weightsManifest expects ${need} bytes (${g.weights.length} weights)`,
        );
      }
    }
    parts.push(...shards);
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  return { specs: groups.flatMap((g) => g.weights), data: data.buffer };
}

/** Turns a TF.js deserialization / weight-loading error into one clear line. */
function explainLoadError(err: unknown, fail: (p: string) => UsageError): UsageError {
  const msg = firstLine(err);
  let m = /^Unknown layer: ([^.\s]+)/.exec(msg);
  if (m) {
    return fail(
      `layer class '${m[1]}' is not one TF.js Layers can deserialize (a custom layer? TF.js Layers has no ${m[1]})`,
    );
  }
  m = /^Unknown (\w[\w ]*?): ([^.\s]+)/.exec(msg);
  if (m) return fail(`${m[1]} '${m[2]}' is unknown to TF.js Layers (a custom ${m[1]}?)`);
  m = /^(\d+) of (\d+) weights are not set: (.*)$/.exec(msg);
  if (m) {
    const names = m[3].split(',');
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
    return fail(`weightsManifest lacks ${m[1]} of the model's ${m[2]} weights (${shown})`);
  }
  m = /^Provided weight data has no target variable: (.*)$/.exec(msg);
  if (m) return fail(`weightsManifest lists weight '${m[1]}', which the model does not have`);
  m = /^Shape mismatch: (\[[^\]]*\]) vs\. (\[[^\]]*\])/.exec(msg);
  // TF.js writes the model variable's shape first, then the loaded value's.
  if (m)
    return fail(`a weight in the weight files has shape ${m[2]} where the model's weight has shape ${m[1]}`);
  return fail(`TF.js could not build the model (${msg})`);
}

// ---- training config ----

const TFJS_LOSSES = new Set([
  'meanSquaredError',
  'meanAbsoluteError',
  'meanAbsolutePercentageError',
  'meanSquaredLogarithmicError',
  'squaredHinge',
  'hinge',
  'categoricalHinge',
  'logcosh',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'kullbackLeiblerDivergence',
  'poisson',
  'cosineProximity',
]);

const LOSS_ALIASES: Record<string, string> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'kullbackLeiblerDivergence',
  klDivergence: 'kullbackLeiblerDivergence',
  kLDivergence: 'kullbackLeiblerDivergence',
  logCosh: 'logcosh',
  cosine: 'cosineProximity',
};

const TFJS_METRICS = new Set([
  'accuracy',
  'acc',
  'binaryAccuracy',
  'categoricalAccuracy',
  'precision',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'mse',
  'MSE',
  'mae',
  'MAE',
  'mape',
  'MAPE',
  'cosine',
]);

/** `categorical_crossentropy` / `CategoricalCrossentropy` → `categoricalCrossentropy`. */
function camel(name: string): string {
  if (/^[A-Z]+$/.test(name)) return name;
  const c = name.replace(/[_-]+(.)/g, (_, ch: string) => ch.toUpperCase());
  return c[0].toLowerCase() + c.slice(1);
}

/** Name of a Keras object given as a string or `{class_name, config}`; `preferConfigName` for metric wrappers. */
function nameOf(entry: unknown, preferConfigName = false): { name: string | null; config: Json } {
  if (typeof entry === 'string') return { name: entry, config: {} };
  if (isObject(entry)) {
    const config = isObject(entry.config) ? entry.config : {};
    const cls = entry.class_name ?? entry.className;
    if (preferConfigName && typeof config.name === 'string') return { name: config.name, config };
    if (typeof cls === 'string') return { name: cls, config };
    if (typeof config.name === 'string') return { name: config.name, config };
  }
  return { name: null, config: {} };
}

function num(cfg: Json, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof cfg[k] === 'number') return cfg[k] as number;
  return undefined;
}

function bool(cfg: Json, ...keys: string[]): boolean | undefined {
  for (const k of keys) if (typeof cfg[k] === 'boolean') return cfg[k] as boolean;
  return undefined;
}

interface BuiltOptimizer {
  optimizer: tf.Optimizer;
  className: string;
  learningRate: number;
}

/** Keras' default learning rates, used when a config omits it. */
const DEFAULT_LR: Record<string, number> = {
  sgd: 0.01,
  momentum: 0.01,
  adam: 0.001,
  adamax: 0.001,
  rmsprop: 0.001,
  adagrad: 0.001,
  adadelta: 0.001,
};

function buildOptimizer(raw: unknown, notes: string[]): BuiltOptimizer | string {
  if (!isObject(raw)) return 'no optimizer_config';
  const { name, config: cfg } = nameOf(raw);
  if (!name) return 'optimizer_config has no class_name';
  const cls = name.replace(/^Custom>/, '');
  const key = cls.toLowerCase();
  if (!(key in DEFAULT_LR)) {
    return `optimizer '${cls}' is not available in TF.js (it has SGD, Momentum, Adam, Adamax, RMSProp, Adagrad, Adadelta)`;
  }
  let lr: number | undefined = num(cfg, 'learning_rate', 'learningRate', 'lr');
  const lrRaw = cfg.learning_rate ?? cfg.learningRate;
  if (lr === undefined && isObject(lrRaw)) {
    const inner = isObject(lrRaw.config) ? lrRaw.config : {};
    const initial = num(inner, 'initial_learning_rate', 'initialLearningRate');
    if (initial === undefined) return `optimizer '${cls}' uses a learning-rate schedule TF.js cannot read`;
    lr = initial;
    notes.push(`learning-rate schedule replaced by its initial rate ${initial}`);
  }
  if (lr === undefined) {
    lr = DEFAULT_LR[key];
    notes.push(`optimizer config has no learning rate; using the Keras default ${lr}`);
  }
  const eps = num(cfg, 'epsilon');
  const decayLr = num(cfg, 'decay');
  const keras = 'rho' in cfg || 'beta_1' in cfg || 'learning_rate' in cfg || 'lr' in cfg;
  if (keras && decayLr && key !== 'adamax')
    notes.push(`learning-rate decay ${decayLr} ignored (TF.js has none)`);
  if (cfg.amsgrad === true) notes.push('AMSGrad variant ignored (TF.js Adam has none)');
  const b1 = num(cfg, 'beta_1', 'beta1');
  const b2 = num(cfg, 'beta_2', 'beta2');
  switch (key) {
    case 'sgd':
    case 'momentum': {
      const momentum = num(cfg, 'momentum') ?? 0;
      const nesterov = bool(cfg, 'nesterov', 'useNesterov') ?? false;
      if (key === 'sgd' && momentum === 0)
        return { optimizer: tf.train.sgd(lr), className: 'SGD', learningRate: lr };
      return {
        optimizer: tf.train.momentum(lr, momentum, nesterov),
        className: 'Momentum',
        learningRate: lr,
      };
    }
    case 'adam':
      return { optimizer: tf.train.adam(lr, b1, b2, eps), className: 'Adam', learningRate: lr };
    case 'adamax':
      return { optimizer: tf.train.adamax(lr, b1, b2, eps, decayLr), className: 'Adamax', learningRate: lr };
    case 'rmsprop': {
      // Keras calls the moving-average factor rho (its `decay` is learning-rate decay); TF.js calls it decay.
      const rho = 'rho' in cfg ? num(cfg, 'rho') : num(cfg, 'decay');
      const optimizer = tf.train.rmsprop(lr, rho, num(cfg, 'momentum'), eps, bool(cfg, 'centered'));
      return { optimizer, className: 'RMSProp', learningRate: lr };
    }
    case 'adagrad': {
      const init = num(cfg, 'initial_accumulator_value', 'initialAccumulatorValue');
      return { optimizer: tf.train.adagrad(lr, init), className: 'Adagrad', learningRate: lr };
    }
    default:
      return {
        optimizer: tf.train.adadelta(lr, num(cfg, 'rho'), eps),
        className: 'Adadelta',
        learningRate: lr,
      };
  }
}

function readLoss(raw: unknown): { loss: string | null; fromLogits: boolean; problem: string | null } {
  let entry = raw;
  if (Array.isArray(entry)) {
    if (entry.length !== 1)
      return { loss: null, fromLogits: false, problem: `${entry.length} losses (one output is supported)` };
    entry = entry[0];
  } else if (isObject(entry) && !('class_name' in entry) && !('className' in entry) && !('config' in entry)) {
    // A dict of output name → loss.
    const values = Object.values(entry);
    if (values.length !== 1)
      return { loss: null, fromLogits: false, problem: `${values.length} losses (one output is supported)` };
    entry = values[0];
  }
  const { name, config } = nameOf(entry);
  if (!name) return { loss: null, fromLogits: false, problem: 'no loss' };
  const c = camel(name);
  const loss = LOSS_ALIASES[c] ?? c;
  const fromLogits = config.from_logits === true || config.fromLogits === true;
  if (!TFJS_LOSSES.has(loss))
    return { loss: null, fromLogits, problem: `loss '${name}' is not available in TF.js Layers` };
  if (fromLogits) {
    return {
      loss,
      fromLogits,
      problem: `loss '${name}' has from_logits=True, which TF.js Layers losses do not support`,
    };
  }
  return { loss, fromLogits, problem: null };
}

function readMetrics(raw: unknown, notes: string[]): string[] {
  const list: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v) && !('class_name' in v) && !('className' in v)) Object.values(v).forEach(walk);
    else if (v != null) list.push(v);
  };
  walk(raw);
  const out: string[] = [];
  for (const m of list) {
    const { name } = nameOf(m, true);
    if (!name) continue;
    const c = name === 'MSE' || name === 'MAE' || name === 'MAPE' ? name : camel(name);
    if (TFJS_METRICS.has(c)) {
      if (!out.includes(c)) out.push(c);
    } else {
      notes.push(`metric '${name}' dropped (not available in TF.js)`);
    }
  }
  return out;
}

function applyTrainingConfig(
  model: tf.LayersModel,
  raw: unknown,
  notes: string[],
): { config: ModelTrainingConfig; problem: string | null } {
  const config: ModelTrainingConfig = {
    loss: null,
    fromLogits: false,
    optimizer: null,
    learningRate: null,
    metrics: [],
    raw,
  };
  if (!isObject(raw)) return { config, problem: 'training config is not an object' };
  const lossInfo = readLoss(raw.loss);
  config.loss = lossInfo.loss;
  config.fromLogits = lossInfo.fromLogits;
  const opt = buildOptimizer(raw.optimizer_config ?? raw.optimizerConfig, notes);
  if (typeof opt !== 'string') {
    config.optimizer = opt.className;
    config.learningRate = opt.learningRate;
  }
  config.metrics = readMetrics(raw.metrics, notes);
  const problem = lossInfo.problem ?? (typeof opt === 'string' ? opt : null);
  if (problem) {
    if (typeof opt !== 'string') opt.optimizer.dispose();
    return { config, problem: `training config: ${problem}` };
  }
  for (const k of ['loss_weights', 'sample_weight_mode']) {
    if (raw[k] != null) notes.push(`training config ${k} ignored`);
  }
  if (Array.isArray(raw.weighted_metrics) && raw.weighted_metrics.length > 0) {
    notes.push('training config weighted_metrics ignored');
  }
  const built = opt as BuiltOptimizer;
  try {
    model.compile({ loss: config.loss as string, optimizer: built.optimizer, metrics: config.metrics });
  } catch (err) {
    try {
      model.compile({ loss: config.loss as string, optimizer: built.optimizer });
      notes.push(`metrics dropped (${firstLine(err)})`);
      config.metrics = [];
    } catch (err2) {
      return { config, problem: `training config: cannot compile (${firstLine(err2)})` };
    }
  }
  return { config, problem: null };
}

async function restoreOptimizerState(
  model: tf.LayersModel,
  specs: tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
  notes: string[],
): Promise<void> {
  if (!specs.some((s) => s.group === 'optimizer') || !model.optimizer) return;
  const tensors = tf.io.decodeWeights(data, specs);
  try {
    const values = specs
      .filter((s) => s.group === 'optimizer')
      .map((s) => ({ name: s.name, tensor: tensors[s.name] }));
    await model.optimizer.setWeights(values);
  } catch (err) {
    notes.push(`saved optimizer state not restored (${firstLine(err)})`);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/**
 * Loads a TF.js Layers model from a model.json path (or a directory holding model.json) and the
 * weight files beside it, read-only. When model.json has a training config, the model comes back
 * compiled with it (loss, optimizer, learning rate, metrics) and with its saved optimizer state;
 * when that config cannot be applied, the model is uncompiled and `trainingConfigProblem` says why.
 * Throws a UsageError (one line naming the file) for: missing file, not JSON, not a Layers model,
 * malformed or missing weightsManifest, missing weight file, weight file of the wrong size, a layer
 * class (or initializer, activation, …) TF.js cannot deserialize, weights that don't match the model.
 */
export async function loadModelFile(path: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const where = `${options.flag ?? '--model'} ${path}`.trim();
  const fail = errorAt(where);
  const file = resolveModelJson(path, fail);
  const json = readModelJson(file, fail);
  const groups = readManifest(json, fail);
  const { specs, data } = readWeights(dirname(file), groups, fail);

  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as Json,
    format: typeof json.format === 'string' ? json.format : undefined,
    generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : undefined,
    convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : undefined,
    userDefinedMetadata: isObject(json.userDefinedMetadata)
      ? (json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'])
      : undefined,
    weightSpecs: specs,
    weightData: data,
    // trainingConfig is left out on purpose: applied below.
  };
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel({ load: async () => artifacts });
  } catch (err) {
    throw explainLoadError(err, fail);
  }

  const topology = json.modelTopology as Json;
  const rawConfig = json.trainingConfig ?? topology.training_config ?? null;
  const notes: string[] = [];
  if (rawConfig == null) {
    return { model, path: file, trainingConfig: null, compiled: false, trainingConfigProblem: null, notes };
  }
  const { config, problem } = applyTrainingConfig(model, rawConfig, notes);
  if (!problem) await restoreOptimizerState(model, specs, data, notes);
  return {
    model,
    path: file,
    trainingConfig: config,
    compiled: !problem,
    trainingConfigProblem: problem,
    notes,
  };
}

/**
 * `loadModelFile(...).model`, compiled with its training config when model.json has one. A training
 * config that cannot be applied is a UsageError here (use loadModelFile to load such a model
 * uncompiled and compile it from flags).
 */
export async function loadModelFromFile(
  path: string,
  options: LoadModelOptions = {},
): Promise<tf.LayersModel> {
  const loaded = await loadModelFile(path, options);
  if (loaded.trainingConfigProblem) {
    loaded.model.dispose();
    const where = `${options.flag ?? '--model'} ${path}`.trim();
    throw new UsageError(`${where}: ${loaded.trainingConfigProblem}`);
  }
  return loaded.model;
}

function writeAtomic(file: string, data: Uint8Array | string): void {
  const tmp = join(dirname(file), `.${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export const WEIGHTS_FILE = 'group1-shard1of1.bin';

/**
 * Saves a model as `dir/model.json` + `dir/group1-shard1of1.bin` (created atomically: temp file,
 * then rename; the weights before model.json). A compiled model's training config is included, and
 * its optimizer state when `includeOptimizer` (default true) and TF.js can read it (not Adamax).
 * Returns the model.json path.
 */
export async function saveModelToDir(
  model: tf.LayersModel,
  dir: string,
  options: { includeOptimizer?: boolean } = {},
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, 'model.json');
  const handler = tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData
      ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
      : new ArrayBuffer(0);
    // model.save adds the training config only along with the optimizer state.
    const trainingConfig =
      artifacts.trainingConfig ??
      (model.optimizer ? (model as unknown as TrainingConfigSource).getTrainingConfig() : undefined);
    const modelJson: Json = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    };
    if (trainingConfig) modelJson.trainingConfig = trainingConfig;
    if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
    writeAtomic(join(dir, WEIGHTS_FILE), new Uint8Array(weights));
    writeAtomic(jsonPath, JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
  const includeOptimizer = (options.includeOptimizer ?? true) && model.optimizer != null;
  try {
    await model.save(handler, { includeOptimizer });
  } catch (err) {
    // Some TF.js optimizers (Adamax) cannot export their state: save without it.
    if (!includeOptimizer || !/getWeights\(\) is not implemented/.test(firstLine(err))) throw err;
    await model.save(handler, { includeOptimizer: false });
  }
  return jsonPath;
}

interface TrainingConfigSource {
  getTrainingConfig(): tf.io.TrainingConfig;
}
