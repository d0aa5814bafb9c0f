import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { makeTempDir } from '../../data/testing.ts';
import { loadModelFile, loadModelFromFile, saveModelToDir, WEIGHTS_FILE } from './index.ts';

const tmp = makeTempDir('nn-doctor-model-');
afterAll(() => tmp.cleanup());

function buildModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({ units: 3, inputShape: [4], activation: 'relu', kernelInitializer: 'glorotUniform' }),
  );
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  return model;
}

async function weightsOf(model: tf.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

async function expectUsage(p: Promise<unknown>, ...parts: (string | RegExp)[]): Promise<string> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const msg = (caught as Error).message;
  expect(msg).not.toContain('\n');
  for (const part of parts) expect(msg).toMatch(part);
  return msg;
}

/** A copy of the saved reference model in its own directory, with model.json edited by `edit`. */
let reference: { json: Record<string, unknown>; bin: Buffer };
let copies = 0;
// biome-ignore lint/suspicious/noExplicitAny: edits reach deep into model.json
function variant(edit: (json: Record<string, any>) => void = () => {}, bin?: Uint8Array): string {
  const dir = join(tmp.dir, `variant${copies++}`);
  mkdirSync(dir);
  const json = structuredClone(reference.json);
  edit(json);
  const path = join(dir, 'model.json');
  writeFileSync(path, JSON.stringify(json));
  writeFileSync(join(dir, WEIGHTS_FILE), bin ?? reference.bin);
  return path;
}

let trainedModel: tf.Sequential;
let savedPath: string;

beforeAll(async () => {
  trainedModel = buildModel();
  trainedModel.compile({
    loss: 'categoricalCrossentropy',
    optimizer: tf.train.adam(0.005),
    metrics: ['accuracy'],
  });
  const xs = tf.randomNormal([8, 4], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], 'int32'), 2);
  await trainedModel.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
  tf.dispose([xs, ys]);
  savedPath = await saveModelToDir(trainedModel, join(tmp.dir, 'saved'));
  reference = {
    json: JSON.parse(readFileSync(savedPath, 'utf8')),
    bin: readFileSync(join(tmp.dir, 'saved', WEIGHTS_FILE)),
  };
});

describe('saveModelToDir → loadModelFromFile', () => {
  it('writes model.json and one weight shard, atomically (no temp files left)', () => {
    expect(readdirSync(join(tmp.dir, 'saved')).sort()).toEqual([WEIGHTS_FILE, 'model.json']);
    const json = reference.json as {
      weightsManifest: { paths: string[] }[];
      trainingConfig?: unknown;
      format: string;
    };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual([WEIGHTS_FILE]);
    expect(json.trainingConfig).toBeDefined();
  });

  it('round-trips weights exactly and comes back compiled with its training config', async () => {
    const model = await loadModelFromFile(savedPath);
    expect(await weightsOf(model)).toEqual(await weightsOf(trainedModel));
    expect(model.loss).toBe('categoricalCrossentropy');
    expect(model.optimizer.getClassName()).toBe('Adam');
    expect(model.optimizer.getConfig().learningRate).toBeCloseTo(0.005, 10);
    // Optimizer state (iterations, moments) restored.
    const saved = await Promise.all((await trainedModel.optimizer.getWeights()).map((w) => w.tensor.data()));
    const loaded = await Promise.all((await model.optimizer.getWeights()).map((w) => w.tensor.data()));
    expect(loaded.map((a) => Array.from(a))).toEqual(saved.map((a) => Array.from(a)));
    // It trains.
    const h = await model.fit(
      tf.ones([2, 4]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      { epochs: 1, verbose: 0 },
    );
    expect(Number.isFinite(h.history.loss[0] as number)).toBe(true);
    model.dispose();
  });

  it('reports the training config it applied', async () => {
    const loaded = await loadModelFile(savedPath);
    expect(loaded.compiled).toBe(true);
    expect(loaded.trainingConfigProblem).toBeNull();
    expect(loaded.trainingConfig).toMatchObject({
      loss: 'categoricalCrossentropy',
      fromLogits: false,
      optimizer: 'Adam',
      metrics: ['accuracy'],
    });
    expect(loaded.trainingConfig?.learningRate).toBeCloseTo(0.005, 10);
    expect(loaded.path).toBe(savedPath);
    loaded.model.dispose();
  });

  it('loads an uncompiled model saved without training config', async () => {
    const plain = buildModel();
    const path = await saveModelToDir(plain, join(tmp.dir, 'plain'));
    const loaded = await loadModelFile(path);
    expect(loaded.trainingConfig).toBeNull();
    expect(loaded.compiled).toBe(false);
    expect(await weightsOf(loaded.model)).toEqual(await weightsOf(plain));
  });

  it('accepts the directory holding model.json', async () => {
    const model = await loadModelFromFile(join(tmp.dir, 'saved'));
    expect(model.layers.length).toBe(2);
  });

  it('never writes to the model files', async () => {
    const dir = join(tmp.dir, 'saved');
    const before = readdirSync(dir).map(
      (f) => [f, readFileSync(join(dir, f)), statSync(join(dir, f)).mtimeMs] as const,
    );
    const model = await loadModelFromFile(savedPath);
    await model.fit(
      tf.ones([2, 4]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      { epochs: 1, verbose: 0 },
    );
    const after = readdirSync(dir);
    expect(after).toEqual(before.map(([f]) => f));
    for (const [f, bytes, mtime] of before) {
      expect(readFileSync(join(dir, f)).equals(bytes)).toBe(true);
      expect(statSync(join(dir, f)).mtimeMs).toBe(mtime);
    }
  });
});

describe('optimizers round-trip through model.json', () => {
  const cases: [string, () => tf.Optimizer, Record<string, unknown>][] = [
    ['SGD', () => tf.train.sgd(0.3), { learningRate: 0.3 }],
    [
      'Momentum',
      () => tf.train.momentum(0.2, 0.8, true),
      { learningRate: 0.2, momentum: 0.8, useNesterov: true },
    ],
    [
      'Adam',
      () => tf.train.adam(0.01, 0.8, 0.99, 1e-5),
      { learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-5 },
    ],
    [
      'Adamax',
      () => tf.train.adamax(0.02, 0.85, 0.95, 1e-6, 0.1),
      { learningRate: 0.02, beta1: 0.85, decay: 0.1 },
    ],
    [
      'RMSProp',
      () => tf.train.rmsprop(0.005, 0.7, 0.1, 1e-6, true),
      { learningRate: 0.005, decay: 0.7, momentum: 0.1, centered: true },
    ],
    ['Adagrad', () => tf.train.adagrad(0.4, 0.2), { learningRate: 0.4, initialAccumulatorValue: 0.2 }],
    ['Adadelta', () => tf.train.adadelta(0.6, 0.9, 1e-6), { learningRate: 0.6, rho: 0.9, epsilon: 1e-6 }],
  ];
  for (const [name, make, config] of cases) {
    it(name, async () => {
      const m = buildModel();
      m.compile({ loss: 'meanSquaredError', optimizer: make() });
      await m.fit(tf.ones([2, 4]), tf.ones([2, 2]), { epochs: 1, verbose: 0 });
      const path = await saveModelToDir(m, join(tmp.dir, `opt-${name}`));
      const loaded = await loadModelFile(path);
      expect(loaded.notes).toEqual([]);
      expect(loaded.model.loss).toBe('meanSquaredError');
      expect(loaded.model.optimizer.getClassName()).toBe(name);
      const got = loaded.model.optimizer.getConfig();
      for (const [k, v] of Object.entries(config)) {
        if (typeof v === 'number') expect(got[k]).toBeCloseTo(v, 7);
        else expect(got[k]).toBe(v);
      }
      if (name === 'Adamax') return; // TF.js cannot export Adamax state: saved without it.
      const before = await Promise.all((await m.optimizer.getWeights()).map((w) => w.tensor.data()));
      const after = await Promise.all(
        (await loaded.model.optimizer.getWeights()).map((w) => w.tensor.data()),
      );
      expect(after.map((a) => Array.from(a))).toEqual(before.map((a) => Array.from(a)));
    });
  }
});

describe('Keras-converter training configs', () => {
  it('compiles Keras names: RMSprop with rho, sparse loss string, Keras-wrapped topology', async () => {
    const path = variant((j) => {
      j.modelTopology = { keras_version: '2.15.0', backend: 'tensorflow', model_config: j.modelTopology };
      delete j.trainingConfig;
      j.modelTopology.training_config = {
        loss: 'sparse_categorical_crossentropy',
        metrics: ['accuracy', 'top_k_categorical_accuracy'],
        weighted_metrics: null,
        loss_weights: null,
        optimizer_config: {
          class_name: 'RMSprop',
          config: {
            name: 'RMSprop',
            learning_rate: 0.01,
            rho: 0.8,
            momentum: 0,
            epsilon: 1e-7,
            centered: false,
          },
        },
      };
      // Keras-converted models carry no optimizer state.
      j.weightsManifest[0].weights = j.weightsManifest[0].weights.filter(
        (w: { group?: string }) => w.group !== 'optimizer',
      );
    }, modelBytesOnly());
    const loaded = await loadModelFile(path);
    expect(loaded.trainingConfigProblem).toBeNull();
    expect(loaded.model.loss).toBe('sparseCategoricalCrossentropy');
    expect(loaded.model.optimizer.getClassName()).toBe('RMSProp');
    expect(loaded.model.optimizer.getConfig()).toMatchObject({ learningRate: 0.01, decay: 0.8 });
    expect(loaded.trainingConfig?.metrics).toEqual(['accuracy']);
    expect(loaded.notes.join(' ')).toMatch(/top_k_categorical_accuracy/);
  });

  it('maps a loss object, SGD with momentum, and the old lr key', async () => {
    const path = variant((j) => {
      j.trainingConfig = {
        loss: { class_name: 'CategoricalCrossentropy', config: { from_logits: false, label_smoothing: 0 } },
        metrics: [{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy' } }],
        optimizer_config: { class_name: 'SGD', config: { lr: 0.1, momentum: 0.9, nesterov: true } },
      };
    });
    const loaded = await loadModelFile(path);
    expect(loaded.trainingConfigProblem).toBeNull();
    expect(loaded.model.loss).toBe('categoricalCrossentropy');
    expect(loaded.model.optimizer.getClassName()).toBe('Momentum');
    expect(loaded.model.optimizer.getConfig()).toMatchObject({
      learningRate: 0.1,
      momentum: 0.9,
      useNesterov: true,
    });
    expect(loaded.trainingConfig?.metrics).toEqual(['accuracy']);
  });

  it('leaves the model uncompiled and explains a config TF.js cannot apply', async () => {
    const logits = variant((j) => {
      j.trainingConfig = {
        loss: { class_name: 'SparseCategoricalCrossentropy', config: { from_logits: true } },
        optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } },
      };
    });
    const loaded = await loadModelFile(logits);
    expect(loaded.compiled).toBe(false);
    expect(loaded.trainingConfig?.fromLogits).toBe(true);
    expect(loaded.trainingConfig?.loss).toBe('sparseCategoricalCrossentropy');
    expect(loaded.trainingConfigProblem).toMatch(/from_logits/);
    await expectUsage(loadModelFromFile(logits), `--model ${logits}: training config:`, /from_logits=True/);

    const nadam = variant((j) => {
      j.trainingConfig = {
        loss: 'mse',
        optimizer_config: { class_name: 'Nadam', config: { learning_rate: 0.002 } },
      };
    });
    await expectUsage(
      loadModelFromFile(nadam),
      `--model ${nadam}`,
      /optimizer 'Nadam' is not available in TF\.js/,
    );
    const huber = variant((j) => {
      j.trainingConfig = { loss: 'huber', optimizer_config: { class_name: 'Adam', config: {} } };
    });
    await expectUsage(loadModelFromFile(huber), /loss 'huber' is not available/);
  });
});

/** The reference shard without the optimizer weights (which TF.js writes after the model's). */
function modelBytesOnly(): Uint8Array {
  const specs = (reference.json as { weightsManifest: { weights: { shape: number[]; group?: string }[] }[] })
    .weightsManifest[0].weights;
  const bytes = specs
    .filter((w) => w.group !== 'optimizer')
    .reduce((a, w) => a + 4 * w.shape.reduce((p, d) => p * d, 1), 0);
  return reference.bin.subarray(0, bytes);
}

describe('bad model files', () => {
  it('missing file', async () => {
    const p = join(tmp.dir, 'nope', 'model.json');
    await expectUsage(loadModelFromFile(p), `--model ${p}: file not found`);
    await expectUsage(loadModelFromFile(p, { flag: '' }), new RegExp(`^${p}: file not found$`));
  });

  it('not JSON, HDF5, a directory without model.json', async () => {
    const p = tmp.file('broken.json', '{"modelTopology": ');
    await expectUsage(loadModelFromFile(p), `--model ${p}: is not valid JSON`);
    const h5 = tmp.file('model.h5', Buffer.from('\x89HDF\r\n\x1a\n....', 'latin1'));
    await expectUsage(loadModelFromFile(h5), `--model ${h5}: is not a readable HDF5 file`);
    const empty = join(tmp.dir, 'emptydir');
    mkdirSync(empty);
    await expectUsage(loadModelFromFile(empty), `--model ${empty}: is a directory without a model.json`);
  });

  it('wrong format: no modelTopology, graph model, bare Keras config, no manifest', async () => {
    const p1 = tmp.file('nomt.json', JSON.stringify({ weightsManifest: [] }));
    await expectUsage(loadModelFromFile(p1), `--model ${p1}: no modelTopology`);
    const p2 = tmp.file('graph.json', JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }));
    await expectUsage(loadModelFromFile(p2), `--model ${p2}`, /graph model/);
    const p3 = tmp.file('keras.json', JSON.stringify({ class_name: 'Sequential', config: {} }));
    await expectUsage(loadModelFromFile(p3), `--model ${p3}`, /model\.to_json/);
    const p4 = variant((j) => {
      delete j.weightsManifest;
    });
    await expectUsage(loadModelFromFile(p4), `--model ${p4}: no weightsManifest`);
    const p5 = variant((j) => {
      j.weightsManifest = [{ paths: 'x.bin' }];
    });
    await expectUsage(loadModelFromFile(p5), `--model ${p5}: malformed weightsManifest`);
  });

  it('weight file missing', async () => {
    const p = variant((j) => {
      j.weightsManifest[0].paths = ['group1-shard1of2.bin'];
    });
    await expectUsage(
      loadModelFromFile(p),
      `--model ${p}: weight file group1-shard1of2.bin (listed in weightsManifest) not found beside model.json`,
    );
  });

  it('weight file of the wrong size', async () => {
    const short = variant(undefined, reference.bin.subarray(0, reference.bin.length - 8));
    const msg = await expectUsage(
      loadModelFromFile(short),
      `--model ${short}: weight file ${WEIGHTS_FILE} holds`,
    );
    // The file's own size is not given (a manifest must not learn other files' sizes this way).
    expect(msg).toMatch(
      new RegExp(
        `holds fewer bytes than weightsManifest expects \\(${reference.bin.length} bytes for \\d+ weights\\)`,
      ),
    );
    expect(msg).not.toContain(String(reference.bin.length - 8));
    const long = variant(undefined, Buffer.concat([reference.bin, Buffer.alloc(4)]));
    await expectUsage(
      loadModelFromFile(long),
      `--model ${long}`,
      /holds more bytes than weightsManifest expects/,
    );
  });

  it('a layer class TF.js cannot deserialize', async () => {
    const p = variant((j) => {
      j.modelTopology.config.layers[1].class_name = 'MyAttention';
    });
    await expectUsage(
      loadModelFromFile(p),
      `--model ${p}: layer class 'MyAttention' is not one TF.js Layers can deserialize (a custom layer?`,
    );
    const act = variant((j) => {
      j.modelTopology.config.layers[0].config.activation = 'mysquash';
    });
    await expectUsage(loadModelFromFile(act), `--model ${act}`, /activation 'mysquash' is unknown to TF\.js/);
  });

  it('weight count mismatches', async () => {
    // Drop the last model weight (the output bias, 2 floats) from the manifest and the shard.
    const specs = (reference.json as { weightsManifest: { weights: { name: string; group?: string }[] }[] })
      .weightsManifest[0].weights;
    const modelSpecs = specs.filter((w) => w.group !== 'optimizer');
    const lastName = modelSpecs[modelSpecs.length - 1].name;
    const bytes = modelBytesOnly();
    const fewer = variant(
      (j) => {
        j.weightsManifest[0].weights = modelSpecs.slice(0, -1);
      },
      bytes.subarray(0, bytes.length - 8),
    );
    await expectUsage(
      loadModelFromFile(fewer),
      `--model ${fewer}: weightsManifest lacks 1 of the model's 4 weights (${lastName})`,
    );

    const more = variant(
      (j) => {
        j.weightsManifest[0].weights = [
          ...modelSpecs,
          { name: 'extra/kernel', shape: [2], dtype: 'float32' },
        ];
      },
      Buffer.concat([bytes, Buffer.alloc(8)]),
    );
    await expectUsage(
      loadModelFromFile(more),
      `--model ${more}: weightsManifest lists weight 'extra/kernel', which the model does not have`,
    );

    const reshaped = variant((j) => {
      const k = j.weightsManifest[0].weights[0];
      k.shape = [k.shape[1], k.shape[0]];
    });
    await expectUsage(
      loadModelFromFile(reshaped),
      `--model ${reshaped}: a weight in the weight files has shape [3,4] where the model's weight has shape [4,3]`,
    );
  });
});
