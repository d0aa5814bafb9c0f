// Fuzzing model loading: 5,000 model.json files — random topologies (Sequential, functional,
// garbage), manifests (paths that escape, FIFOs, links, huge and negative shapes, every dtype),
// training configs, and mutations of real TF.js-saved models so that many cases get as far as
// TF.js building the model. Properties, the issue's "done" bar: loading either succeeds or throws a
// UsageError (exit 2) — never another error (exit 3); no case hangs; peak memory stays under the
// documented bound. Seeded: every run tries the same cases.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { createRng } from '../../core/random.ts';
import { makeTempDir } from '../../data/testing.ts';
import { MODEL_LIMITS } from '../../model-files/limits.ts';
import { selectBackend } from '../backend.ts';
import { loadModelFile, saveModelToDir, WEIGHTS_FILE } from './index.ts';

const CASES = 5000;
/** A case slower than this counts as a hang. */
const HANG_MS = 10_000;
/**
 * Peak RSS while loading, over the process's baseline. The documented bound for loading one model
 * is its weight files' bytes plus 8 bytes per parameter its topology builds (TF.js makes the zero
 * initial values, then the variables; wasm memory is resident): at most 512 MiB at the parameter
 * limit. The fuzz's weight files are small; two cases build a topology just under the limit.
 */
const RSS_BOUND_OVER_BASELINE = 8 * MODEL_LIMITS.maxParams + 256 * 2 ** 20;

const tmp = makeTempDir('nn-doctor-fuzz-model-');
afterAll(() => tmp.cleanup());
const dir = join(tmp.dir, 'model');

type Rng = () => number;
type J = Record<string, unknown>;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const chance = (rng: Rng, p: number) => rng() < p;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

/** Numbers and values a hostile file would put where a size goes. */
const HOSTILE: unknown[] = [
  0,
  -1,
  -7,
  1.5,
  1e8,
  1e20,
  2 ** 31,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  'x',
  '3',
  null,
  true,
  [],
  {},
  [3, 3],
  [null],
  [1e9, 1e9],
];
const size = (rng: Rng): unknown => (chance(rng, 0.8) ? int(rng, 1, 12) : pick(rng, HOSTILE));

const CLASSES = [
  'Dense',
  'Conv2D',
  'Conv1D',
  'Conv2DTranspose',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'LSTM',
  'GRU',
  'SimpleRNN',
  'Embedding',
  'Flatten',
  'Reshape',
  'Permute',
  'RepeatVector',
  'BatchNormalization',
  'LayerNormalization',
  'UpSampling2D',
  'ZeroPadding2D',
  'Cropping2D',
  'MaxPooling2D',
  'GlobalAveragePooling1D',
  'Dropout',
  'Activation',
  'TimeDistributed',
  'Bidirectional',
  'ConvLSTM2D',
  'RNN',
  'PReLU',
  'CategoryEncoding',
  'MyCustomLayer',
  'Sequential',
] as const;

function layerConfig(rng: Rng, cls: string, depth: number): J {
  const c: J = { name: `l${int(rng, 0, 1e6)}` };
  const keys: Record<string, string[]> = {
    Dense: ['units'],
    Conv2D: ['filters', 'kernel_size', 'strides'],
    Conv1D: ['filters', 'kernel_size'],
    Conv2DTranspose: ['filters', 'kernel_size', 'strides'],
    DepthwiseConv2D: ['kernel_size', 'depth_multiplier'],
    SeparableConv2D: ['filters', 'kernel_size', 'depth_multiplier'],
    LSTM: ['units'],
    GRU: ['units'],
    SimpleRNN: ['units'],
    Embedding: ['input_dim', 'output_dim'],
    RepeatVector: ['n'],
    UpSampling2D: ['size'],
    ZeroPadding2D: ['padding'],
    Cropping2D: ['cropping'],
    MaxPooling2D: ['pool_size', 'strides'],
    ConvLSTM2D: ['filters', 'kernel_size'],
    CategoryEncoding: ['num_tokens'],
  };
  for (const k of keys[cls] ?? []) c[k] = size(rng);
  if (cls === 'Reshape') c.target_shape = [size(rng), chance(rng, 0.5) ? -1 : size(rng)];
  if (cls === 'Permute') c.dims = chance(rng, 0.7) ? [2, 1] : pick(rng, HOSTILE);
  if (cls === 'Activation') c.activation = pick(rng, ['relu', 'softmax', 'nope', 7]);
  if (cls === 'BatchNormalization' || cls === 'LayerNormalization')
    c.axis = pick(rng, [-1, 1, 9, 'a', [1, 2]]);
  if (cls === 'LSTM' || cls === 'GRU' || cls === 'SimpleRNN') {
    c.return_sequences = chance(rng, 0.5);
    if (chance(rng, 0.2))
      c.recurrent_initializer = { class_name: pick(rng, ['Orthogonal', 'Zeros', 'Bogus']), config: {} };
  }
  if ((cls === 'TimeDistributed' || cls === 'Bidirectional') && depth < 40)
    c.layer = randomLayer(rng, depth + 1, cls === 'Bidirectional' ? 'LSTM' : undefined);
  if (cls === 'RNN')
    c.cell = chance(rng, 0.5) ? { class_name: 'LSTMCell', config: { units: size(rng) } } : pick(rng, HOSTILE);
  if (cls === 'Sequential' && depth < 3)
    c.layers = Array.from({ length: int(rng, 0, 3) }, () => randomLayer(rng, depth + 1));
  if (chance(rng, 0.1))
    c.kernel_initializer = { class_name: pick(rng, ['Orthogonal', 'GlorotUniform', 'Nope']), config: {} };
  return c;
}

function randomLayer(rng: Rng, depth = 0, cls: string = pick(rng, CLASSES)): J {
  return { class_name: cls, config: layerConfig(rng, cls, depth) };
}

function randomShape(rng: Rng): unknown {
  if (chance(rng, 0.1)) return pick(rng, HOSTILE);
  return [null, ...Array.from({ length: int(rng, 1, 4) }, () => (chance(rng, 0.1) ? null : size(rng)))];
}

function randomTopology(rng: Rng): unknown {
  const roll = rng();
  if (roll < 0.1) return pick(rng, [null, 3, 'model', [], {}, { class_name: 'Dense', config: {} }]);
  const layers = Array.from({ length: int(rng, 1, 5) }, () => randomLayer(rng));
  if (roll < 0.7) {
    const first = layers[0].config as J;
    if (chance(rng, 0.9)) first.batch_input_shape = randomShape(rng);
    return { class_name: 'Sequential', config: { name: 's', layers } };
  }
  // Functional: a chain, sometimes with dangling or malformed references.
  const input = {
    name: 'in',
    class_name: 'InputLayer',
    config: { name: 'in', batch_input_shape: randomShape(rng) },
    inbound_nodes: [],
  };
  let prev = 'in';
  const named = layers.map((l, i) => {
    const name = `f${i}`;
    (l.config as J).name = name;
    const inbound = chance(rng, 0.9)
      ? [[[prev, 0, 0, {}]]]
      : pick(rng, [[[['ghost', 0, 0, {}]]], ['in'], [[[prev, 5, 0, {}]]], 7]);
    prev = name;
    return { ...l, name, inbound_nodes: inbound };
  });
  return {
    class_name: pick(rng, ['Functional', 'Model']),
    config: {
      name: 'f',
      layers: [input, ...named],
      input_layers: [['in', 0, 0]],
      output_layers: chance(rng, 0.9) ? [[prev, 0, 0]] : 'x',
    },
  };
}

const PATHS = [
  WEIGHTS_FILE,
  'w.bin',
  '../outside.bin',
  '..%2Foutside.bin',
  '/dev/zero',
  '/etc/passwd',
  'sub/w.bin',
  'fifo.bin',
  'link-out.bin',
  'link-in.bin',
  '.hidden',
  '',
  'missing.bin',
  'sub',
  'a%00b',
];
const DTYPES = ['float32', 'float32', 'int32', 'bool', 'string', 'complex64', 'float16', 'bogus'];

function randomManifest(rng: Rng): unknown {
  if (chance(rng, 0.05)) return pick(rng, HOSTILE);
  return Array.from({ length: int(rng, 0, 2) }, () => ({
    paths: Array.from({ length: int(rng, 0, 2) }, () => pick(rng, PATHS)),
    weights: Array.from({ length: int(rng, 0, 3) }, () => ({
      name: pick(rng, ['kernel', 'l1/kernel', 'l1/bias', 7]),
      shape: chance(rng, 0.8) ? Array.from({ length: int(rng, 0, 3) }, () => size(rng)) : pick(rng, HOSTILE),
      dtype: pick(rng, DTYPES),
      ...(chance(rng, 0.1)
        ? { quantization: pick(rng, [{ dtype: 'uint8', scale: 1, min: 0 }, { dtype: 'nope' }, 'x']) }
        : {}),
      ...(chance(rng, 0.1) ? { group: 'optimizer' } : {}),
    })),
  }));
}

function randomTrainingConfig(rng: Rng): unknown {
  if (chance(rng, 0.5)) return undefined;
  return {
    loss: pick(rng, [
      'mse',
      'categorical_crossentropy',
      'bogus',
      { class_name: 'X', config: { from_logits: true } },
      ['mse', 'mse'],
      3,
    ]),
    optimizer_config: pick(rng, [
      { class_name: 'Adam', config: { learning_rate: pick(rng, [0.001, -1, 0, Number.MAX_VALUE, 'x']) } },
      { class_name: 'SGD', config: { lr: 0.1 } },
      { class_name: 'Nope', config: {} },
      'adam',
      null,
    ]),
    metrics: pick(rng, [['accuracy'], [['acc', { x: ['mse'] }]], 'acc', { out: ['mae', 'weird'] }, null]),
  };
}

/** Real models saved by TF.js: mutated, they get past the bounds and reach TF.js. */
interface Template {
  json: J;
  bin: Buffer;
}
let templates: Template[] = [];

/** Sets a random leaf of `obj` (depth-first over objects and arrays) to a hostile value. */
function mutate(rng: Rng, obj: unknown): void {
  const slots: [J | unknown[], string | number][] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      slots.push([v as J, Array.isArray(v) ? Number(k) : k]);
      walk(child, depth + 1);
    }
  };
  walk(obj, 0);
  if (!slots.length) return;
  const [parent, key] = pick(rng, slots);
  const value = chance(rng, 0.5)
    ? pick(rng, HOSTILE)
    : typeof (parent as J)[key as string] === 'number'
      ? int(rng, 0, 64)
      : size(rng);
  (parent as J)[key as string] = value;
}

interface Case {
  json: unknown;
  bin: Uint8Array;
}

/** A topology just under the parameter limit: TF.js builds it (256 MB) before finding no weights. */
function nearLimit(): Case {
  const n = Math.floor(Math.sqrt(MODEL_LIMITS.maxParams)) - 200;
  const layer = { class_name: 'Dense', config: { name: 'big', units: n, batch_input_shape: [null, n] } };
  return {
    json: {
      modelTopology: { class_name: 'Sequential', config: { name: 'big', layers: [layer] } },
      weightsManifest: [],
    },
    bin: new Uint8Array(0),
  };
}

function randomCase(rng: Rng, i: number): Case {
  if (i % 2500 === 2499) return nearLimit();
  if (chance(rng, 0.45)) {
    const t = pick(rng, templates);
    const json = structuredClone(t.json);
    const mutations = int(rng, 0, 3);
    for (let i = 0; i < mutations; i++)
      mutate(rng, chance(rng, 0.7) ? json.modelTopology : json.weightsManifest);
    const bin = chance(rng, 0.8) ? t.bin : t.bin.subarray(0, int(rng, 0, t.bin.length + 8));
    return { json, bin };
  }
  const json: J = { modelTopology: randomTopology(rng), weightsManifest: randomManifest(rng) };
  const config = randomTrainingConfig(rng);
  if (config !== undefined) json.trainingConfig = config;
  if (chance(rng, 0.03)) json.format = 'graph-model';
  return { json, bin: new Uint8Array(int(rng, 0, 600)) };
}

beforeAll(async () => {
  await selectBackend('wasm'); // the CLI's default: its memory is resident, cpu's zeros are not
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(tmp.dir, 'outside.bin'), new Uint8Array(184));
  writeFileSync(join(dir, 'sub', 'w.bin'), new Uint8Array(64));
  execFileSync('mkfifo', [join(dir, 'fifo.bin')]);
  symlinkSync(join(tmp.dir, 'outside.bin'), join(dir, 'link-out.bin'));
  symlinkSync(join(dir, 'sub', 'w.bin'), join(dir, 'link-in.bin'));
  const L = tf.layers;
  const builds: (() => tf.LayersModel)[] = [
    () =>
      tf.sequential({
        layers: [
          L.dense({ units: 4, inputShape: [6], activation: 'relu' }),
          L.dense({ units: 3, activation: 'softmax' }),
        ],
      }),
    () =>
      tf.sequential({
        layers: [
          L.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3 }),
          L.maxPooling2d({ poolSize: 2 }),
          L.flatten(),
          L.dense({ units: 2 }),
        ],
      }),
    () =>
      tf.sequential({
        layers: [
          L.embedding({ inputDim: 20, outputDim: 4, inputLength: 5 }),
          L.lstm({ units: 3 }),
          L.dense({ units: 1 }),
        ],
      }),
    () => {
      const a = tf.input({ shape: [4] });
      const h = L.dense({ units: 3 }).apply(a) as tf.SymbolicTensor;
      const c = L.concatenate().apply([a, h]) as tf.SymbolicTensor;
      return tf.model({ inputs: a, outputs: L.dense({ units: 2 }).apply(c) as tf.SymbolicTensor });
    },
  ];
  templates = [];
  for (const [i, build] of builds.entries()) {
    const model = build();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const path = await saveModelToDir(model, join(tmp.dir, `t${i}`));
    templates.push({
      json: JSON.parse(readFileSync(path, 'utf8')),
      bin: readFileSync(join(tmp.dir, `t${i}`, WEIGHTS_FILE)),
    });
    model.dispose();
  }
});

describe(`model.json fuzz (${CASES} cases)`, () => {
  it('loads or refuses with a UsageError, never crashes or hangs, and stays within the memory bound', async () => {
    const rng = createRng(20240808);
    const baseline = process.memoryUsage().rss;
    const tensorsBefore = tf.memory().numTensors;
    const crashes: string[] = [];
    const outcomes = { loaded: 0, refused: 0 };
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const c = randomCase(rng, i);
      let text: string;
      try {
        text = JSON.stringify(c.json);
      } catch {
        text = '{}';
      }
      writeFileSync(join(dir, 'model.json'), text ?? 'null');
      writeFileSync(join(dir, WEIGHTS_FILE), c.bin);
      writeFileSync(join(dir, 'w.bin'), c.bin);
      const started = performance.now();
      try {
        const loaded = await loadModelFile(join(dir, 'model.json'));
        loaded.model.dispose();
        loaded.model.optimizer?.dispose();
        outcomes.loaded++;
      } catch (err) {
        if (err instanceof UsageError && !err.message.includes('\n')) outcomes.refused++;
        else
          crashes.push(
            `case ${i}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 300),
          );
      }
      slowest = Math.max(slowest, performance.now() - started);
    }
    const peakOver = process.resourceUsage().maxRSS * 1024 - baseline;
    console.log(
      `model.json fuzz: ${CASES} cases, ${outcomes.loaded} loaded, ${outcomes.refused} refused (exit 2), ${crashes.length} crashes; ` +
        `slowest case ${slowest.toFixed(0)} ms; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB ` +
        `(${(peakOver / 2 ** 20).toFixed(0)} MiB over the ${(baseline / 2 ** 20).toFixed(0)} MiB baseline; bound ${(RSS_BOUND_OVER_BASELINE / 2 ** 20).toFixed(0)} MiB)`,
    );
    expect(crashes).toEqual([]);
    expect(outcomes.loaded).toBeGreaterThan(CASES / 20); // the fuzz reaches TF.js, not only the guards
    expect(slowest).toBeLessThan(HANG_MS);
    expect(peakOver).toBeLessThan(RSS_BOUND_OVER_BASELINE);
    expect(tf.memory().numTensors - tensorsBefore).toBeLessThan(50);
  }, 600_000);
});
