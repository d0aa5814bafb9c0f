// Loading the real Keras fixtures (test/fixtures/keras/SOURCES.md): every weight read back from
// the built TF.js model equals its stored value bit for bit, predictions match what Keras (and
// the TF.js exports of the same models) computed, training configs come through, and what TF.js
// cannot build is refused in one line naming the layer.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.ts';
import { parseNpy } from '../../../data/npy.ts';
import { makeTempDir } from '../../../data/testing.ts';
import { Hdf5File } from '../../../model-files/keras/hdf5.ts';
import {
  editHdf5,
  editZip,
  fixtureBytes,
  fixturePath,
  renameLayers,
  windowsJoinedWeights,
  zipJson,
} from '../../../model-files/keras/testing.ts';
import { selectBackend } from '../../backend.ts';
import { type LoadedModel, loadModelFile } from '../index.ts';

const tmp = makeTempDir('nn-doctor-keras-');
const fail = (p: string) => new UsageError(p);
const DL4J = 'dl4j-test-resources';
const loaded: LoadedModel[] = [];

beforeAll(async () => {
  await selectBackend('cpu');
});
afterAll(() => {
  for (const l of loaded) l.model.dispose();
  tmp.cleanup();
});

async function load(path: string): Promise<LoadedModel> {
  const l = await loadModelFile(path);
  loaded.push(l);
  return l;
}

async function refusal(path: string): Promise<string> {
  try {
    (await loadModelFile(path)).model.dispose();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg.startsWith(`--model ${path}: `)).toBe(true);
    return msg;
  }
  throw new Error(`${path} loaded; a refusal was expected`);
}

async function open(bytes: Uint8Array): Promise<Hdf5File> {
  return Hdf5File.open(bytes, fail);
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** Every TF.js weight of every layer equals the stored dataset at `pathOf(layer, i)`, bit for bit. */
async function expectBitExact(
  model: tf.LayersModel,
  h5: Hdf5File,
  pathOf: (layer: string, i: number) => string,
): Promise<number> {
  let compared = 0;
  for (const layer of model.layers) {
    layer.getWeights().forEach((w, i) => {
      const path = pathOf(layer.name, i);
      const info = h5.datasetInfo(path);
      expect(info?.shape, path).toEqual(w.shape);
      const stored = h5.readFloats(path, w.size);
      expect(bits(w.dataSync() as Float32Array)).toEqual(bits(stored));
      compared++;
    });
  }
  expect(compared).toBe(model.weights.length);
  return compared;
}

/** Keras 2 layout, read straight from the format's definition: model_weights/<layer>/<weight_names[i]>. */
function legacyPath(h5: Hdf5File) {
  return (layer: string, i: number) => {
    const names = h5.attr(`model_weights/${layer}`, 'weight_names');
    const list = typeof names === 'string' ? [names] : (names as string[]);
    return `model_weights/${layer}/${list[i]}`;
  };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function predict(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  const y = model.predict(x) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  y.dispose();
  return out;
}

describe('Keras 2 .h5 fixtures: weights bit for bit, predictions as Keras computed them', () => {
  const files = [
    'simple_sparse_xent_mlp_keras_2_model.h5',
    'cnn_batch_norm.h5',
    'simple_lstm_tf_keras_2_model.h5',
    'simple_rnn_tf_keras_2_model.h5',
    'embedding_lstm_tensorflow_2.h5',
  ];
  for (const f of files) {
    it(`${f}: every weight equals its HDF5 dataset`, async () => {
      const l = await load(fixturePath(DL4J, f));
      const h5 = await open(fixtureBytes(DL4J, f));
      try {
        expect(await expectBitExact(l.model, h5, legacyPath(h5))).toBeGreaterThan(0);
      } finally {
        h5.close();
      }
    });
  }

  it('MLP and SimpleRNN predict what Keras predicted (stored beside the models)', async () => {
    for (const [model, io, input, output] of [
      [
        'simple_sparse_xent_mlp_keras_2_model.h5',
        'simple_sparse_xent_mlp_keras_2_inputs_and_outputs.h5',
        'dense_1_input',
        'activation_1',
      ],
      [
        'simple_rnn_tf_keras_2_model.h5',
        'simple_rnn_tf_keras_2_inputs_and_outputs.h5',
        'simple_rnn_1_input',
        'dense_1',
      ],
    ]) {
      const l = await load(fixturePath(DL4J, model));
      const h5 = await open(fixtureBytes(DL4J, io));
      try {
        const shape = h5.datasetInfo(`inputs/${input}`)?.shape as number[];
        const x = tf.tensor(
          h5.readFloats(
            `inputs/${input}`,
            shape.reduce((a, b) => a * b),
          ),
          shape,
        );
        const want = h5.readFloats(
          `predictions/${output}`,
          h5.datasetInfo(`predictions/${output}`)?.shape.reduce((a, b) => a * b) ?? 0,
        );
        expect(maxDiff(predict(l.model, x), want)).toBeLessThan(1e-5);
        x.dispose();
      } finally {
        h5.close();
      }
    }
  });

  it('the batch-norm CNN predicts what Keras predicted (input.npy → predictions.npy)', async () => {
    const l = await load(fixturePath(DL4J, 'cnn_batch_norm.h5'));
    const x = parseNpy(readFileSync(fixturePath(DL4J, 'cnn_batch_norm_input.npy')), 'x');
    const y = parseNpy(readFileSync(fixturePath(DL4J, 'cnn_batch_norm_predictions.npy')), 'y');
    const xt = tf.tensor(x.data, x.shape);
    expect(maxDiff(predict(l.model, xt), y.data)).toBeLessThan(1e-6);
    xt.dispose();
  });
});

describe('Keras 3 fixtures', () => {
  const k3 = [
    ['CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras', ['conv2d', 'conv2d_1', 'dense', 'dense_1']],
    ['MNIST-models', 'mnist_model.keras', ['conv2d', 'conv2d_1', 'dense']],
  ] as const;
  for (const [dir, file, layers] of k3) {
    it(`${file}: every weight equals layers/<path>/vars/<i> in model.weights.h5`, async () => {
      const l = await load(fixturePath(dir, file));
      let weights: Uint8Array = new Uint8Array();
      editZip(fixtureBytes(dir, file), (m) => {
        weights = m['model.weights.h5'];
      });
      const h5 = await open(weights);
      try {
        // The expected paths, written out: numbered per class in model.layers order.
        const expected = new Map<string, string>(layers.map((name) => [name, `layers/${name}/vars`]));
        await expectBitExact(l.model, h5, (layer, i) => `${expected.get(layer)}/${i}`);
      } finally {
        h5.close();
      }
    });
  }

  it('mnist_model.h5 (Keras 3 legacy HDF5: weight names kernel/bias) loads bit for bit', async () => {
    const l = await load(fixturePath('MNIST-models', 'mnist_model.h5'));
    const h5 = await open(fixtureBytes('MNIST-models', 'mnist_model.h5'));
    try {
      await expectBitExact(l.model, h5, legacyPath(h5));
    } finally {
      h5.close();
    }
  });

  it('matches by structure, not names: a .keras whose layers were renamed loads the same weights', async () => {
    // mnist_model.keras (Keras 3.1.1) records no names on its weight groups; paths come from classes.
    const renamed = renameLayers(fixtureBytes('MNIST-models', 'mnist_model.keras'), [
      ['conv2d_1', 'features_b'],
      ['conv2d', 'features_a'],
      ['dense', 'head'],
    ]);
    const a = await load(fixturePath('MNIST-models', 'mnist_model.keras'));
    const b = await load(tmp.file('renamed.keras', renamed));
    expect(b.model.layers.map((x) => x.name)).toContain('features_a');
    const wa = a.model.getWeights().map((w) => bits(w.dataSync() as Float32Array));
    const wb = b.model.getWeights().map((w) => bits(w.dataSync() as Float32Array));
    expect(wb).toEqual(wa);
  });

  it('reads a .keras saved by tf.keras 2.13–2.15 on Windows (group names joined with a backslash)', async () => {
    // As found in a public repository: root groups `layers\dense`, `layers\dense_1`, … each with
    // `vars/<i>`, where Keras 3 nests `layers/dense/vars/<i>`. Rebuilt here from a real .keras.
    let weights: Uint8Array = new Uint8Array();
    editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
      weights = m['model.weights.h5'];
    });
    const joined = await windowsJoinedWeights(weights);
    const h5 = await Hdf5File.open(joined, fail);
    try {
      expect(h5.keys('/')).toContain('layers\\conv2d');
      expect(h5.keys('/')).not.toContain('layers');
    } finally {
      h5.close();
    }
    const windows = editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
      m['model.weights.h5'] = joined;
    });
    const a = await load(fixturePath('MNIST-models', 'mnist_model.keras'));
    const b = await load(tmp.file('windows.keras', windows));
    const wa = a.model.getWeights().map((w) => bits(w.dataSync() as Float32Array));
    const wb = b.model.getWeights().map((w) => bits(w.dataSync() as Float32Array));
    expect(wb).toEqual(wa);
  });

  it('refuses weights whose recorded layer name disagrees with the structure (Keras ≥ 3.4 records it)', async () => {
    // Swapping two Dense layers' names in config.json: shapes still fit, names do not.
    const swapped = renameLayers(fixtureBytes('CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'), [
      ['dense_1', 'tmp'],
      ['dense', 'dense_1'],
      ['tmp', 'dense'],
    ]);
    const p = tmp.file('swapped.keras', swapped);
    expect(await refusal(p)).toMatch(
      /weights at 'layers\/dense' are recorded for layer 'dense', but by the model's structure they belong to 'dense_1'/,
    );
  });
});

describe('TF.js exports of the same models, shipped beside the Keras files', () => {
  it('divorce-predictor: the Keras 2.7 .h5 and its converter model.json give identical weights and predictions', async () => {
    const a = await load(fixturePath('divorce-predictor', 'divorce_model.h5'));
    const b = await load(fixturePath('divorce-predictor', 'tfjs', 'model.json'));
    expect(b.format).toMatch(/model\.json \(tensorflowjs_converter\)/);
    const wa = a.model.getWeights().map((w) => bits(w.dataSync() as Float32Array));
    const wb = b.model.getWeights().map((w) => bits(w.dataSync() as Float32Array));
    expect(wa).toEqual(wb);
    const x = tf.randomUniform([32, 54], 0, 4, 'float32', 3);
    expect(maxDiff(predict(a.model, x), predict(b.model, x))).toBe(0);
    x.dispose();
  });

  it('CNN_Project_MNIST_TFJS: the Keras 3.10 .keras and its TF.js graph-model export agree', async () => {
    const k = await load(fixturePath('CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'));
    const json = JSON.parse(
      readFileSync(fixturePath('CNN_Project_MNIST_TFJS', 'tfjs_model', 'model.json'), 'utf8'),
    );
    const bin = readFileSync(fixturePath('CNN_Project_MNIST_TFJS', 'tfjs_model', 'group1-shard1of1.bin'));
    const specs = json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights);
    const data = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length);
    const graph = await tf.loadGraphModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: data }),
    );
    // Same weights: the graph's constants, by the names the converter gave them.
    const consts = tf.io.decodeWeights(data, specs);
    const p = 'StatefulPartitionedCall/sequential_1/';
    const pairs: [string, string][] = [
      ['conv2d', `${p}conv2d_1/convolution/ReadVariableOp|${p}conv2d_1/Squeeze`],
      ['conv2d_1', `${p}conv2d_1_2/convolution/ReadVariableOp|${p}conv2d_1_2/Squeeze`],
      ['dense', `${p}dense_1/Cast/ReadVariableOp|${p}dense_1/BiasAdd/ReadVariableOp`],
      ['dense_1', `${p}dense_1_2/Cast/ReadVariableOp|${p}dense_1_2/BiasAdd/ReadVariableOp`],
    ];
    for (const [layer, names] of pairs) {
      const ws = k.model.getLayer(layer).getWeights();
      names.split('|').forEach((n, i) => {
        expect(bits(ws[i].dataSync() as Float32Array)).toEqual(bits(consts[n].dataSync() as Float32Array));
      });
    }
    tf.dispose(Object.values(consts));
    const x = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 7);
    const y = graph.predict(x) as tf.Tensor;
    expect(maxDiff(predict(k.model, x), y.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    graph.dispose();
  });

  it('a Keras 3 converter model.json (derived here from the real .keras: its config, weights as sequential/<layer>/<var>) loads the same model', async () => {
    let config: Record<string, unknown> = {};
    let weights: Uint8Array = new Uint8Array();
    editZip(fixtureBytes('CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'), (m) => {
      config = zipJson(m, 'config.json');
      weights = m['model.weights.h5'];
    });
    const h5 = await open(weights);
    const manifest: tf.io.WeightsManifestEntry[] = [];
    const parts: Float32Array[] = [];
    try {
      for (const layer of ['conv2d', 'conv2d_1', 'dense', 'dense_1']) {
        ['kernel', 'bias'].forEach((v, i) => {
          const info = h5.datasetInfo(`layers/${layer}/vars/${i}`);
          const shape = info?.shape as number[];
          manifest.push({ name: `sequential/${layer}/${v}`, shape, dtype: 'float32' });
          parts.push(
            h5.readFloats(
              `layers/${layer}/vars/${i}`,
              shape.reduce((a, b) => a * b),
            ),
          );
        });
      }
    } finally {
      h5.close();
    }
    const {
      compile_config: compile,
      build_config: _b,
      ...modelConfig
    } = config as Record<string, Record<string, unknown>>;
    const modelJson = {
      format: 'layers-model',
      generatedBy: 'keras v3.10.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        keras_version: '3.10.0',
        backend: 'tensorflow',
        model_config: modelConfig,
        training_config: {
          loss: compile.loss,
          metrics: compile.metrics,
          optimizer_config: compile.optimizer,
        },
      },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: manifest }],
    };
    const bin = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let off = 0;
    for (const p of parts) {
      bin.set(p, off);
      off += p.length;
    }
    const dir = join(tmp.dir, 'k3json');
    mkdirSync(dir);
    writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(bin.buffer));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
    const j = await load(join(dir, 'model.json'));
    const k = await load(fixturePath('CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'));
    expect(j.model.getWeights().map((w) => bits(w.dataSync() as Float32Array))).toEqual(
      k.model.getWeights().map((w) => bits(w.dataSync() as Float32Array)),
    );
    expect(j.compiled).toBe(true);
    expect(j.trainingConfig).toMatchObject({ loss: 'sparseCategoricalCrossentropy', optimizer: 'Adam' });
  });
});

describe('training configs come through (loss, optimizer, learning rate)', () => {
  const cases: [string[], { loss: string; optimizer: string; learningRate: number }, RegExp?][] = [
    [
      [DL4J, 'simple_sparse_xent_mlp_keras_2_model.h5'],
      { loss: 'sparseCategoricalCrossentropy', optimizer: 'RMSProp', learningRate: 1e-4 },
      /decay/,
    ],
    [[DL4J, 'cnn_batch_norm.h5'], { loss: 'meanSquaredError', optimizer: 'Adam', learningRate: 1e-3 }],
    // Keras ≤ 2.2 stores `lr`, not `learning_rate`.
    [
      [DL4J, 'simple_lstm_tf_keras_2_model.h5'],
      { loss: 'meanSquaredError', optimizer: 'RMSProp', learningRate: 1e-3 },
    ],
    [
      [DL4J, 'embedding_lstm_tensorflow_2.h5'],
      { loss: 'meanSquaredError', optimizer: 'Adam', learningRate: 1e-3 },
    ],
    [
      ['divorce-predictor', 'divorce_model.h5'],
      { loss: 'binaryCrossentropy', optimizer: 'Adam', learningRate: 1e-3 },
    ],
    [
      ['divorce-predictor', 'tfjs', 'model.json'],
      { loss: 'binaryCrossentropy', optimizer: 'Adam', learningRate: 1e-3 },
    ],
    // Keras 3 compile_config: the optimizer as the string "adam" → Keras' default rate, said in a note.
    [
      ['MNIST-models', 'mnist_model.keras'],
      { loss: 'categoricalCrossentropy', optimizer: 'Adam', learningRate: 1e-3 },
      /Keras default 0\.001/,
    ],
    [
      ['MNIST-models', 'mnist_model.h5'],
      { loss: 'categoricalCrossentropy', optimizer: 'Adam', learningRate: 1e-3 },
    ],
    // Keras 3 compile_config: the loss as {class_name: 'function', config: 'sparse_categorical_crossentropy'}.
    [
      ['CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'],
      { loss: 'sparseCategoricalCrossentropy', optimizer: 'Adam', learningRate: 1e-3 },
    ],
  ];
  for (const [parts, want, note] of cases) {
    it(parts.join('/'), async () => {
      const l = await load(fixturePath(...parts));
      expect(l.compiled).toBe(true);
      expect(l.trainingConfigProblem).toBeNull();
      expect(l.trainingConfig?.loss).toBe(want.loss);
      expect(l.trainingConfig?.optimizer).toBe(want.optimizer);
      expect(l.trainingConfig?.learningRate).toBeCloseTo(want.learningRate, 9);
      expect(l.model.optimizer.getClassName()).toBe(want.optimizer);
      if (note) expect(l.notes.join(' | ')).toMatch(note);
    });
  }
});

describe('refusals: one line naming the layer and its class', () => {
  it('Lambda (dl4j sequential_lambda.h5)', async () => {
    expect(await refusal(fixturePath(DL4J, 'sequential_lambda.h5'))).toMatch(
      /layer 'lambda_1' \(Lambda\) cannot be built in TF\.js/,
    );
  });
  it('Attention (dl4j keras-attention.h5, Keras 2.11)', async () => {
    expect(await refusal(fixturePath(DL4J, 'keras-attention.h5'))).toMatch(
      /layer 'attention' \(Attention\).*no Attention layer/,
    );
  });
  it('GRU reset_after=True (naima, Keras 2.15 converter model.json)', async () => {
    expect(await refusal(fixturePath('naima', 'tfjs', 'model.json'))).toMatch(/\(GRU\).*reset_after=True/);
  });
});

describe('broken and hostile Keras files', () => {
  const cnn = () => fixtureBytes(DL4J, 'cnn_batch_norm.h5');
  type Editable = { delete_attribute(n: string): number; create_attribute(n: string, v: string[]): void };
  /** Rewrites a layer group's weight_names attribute. */
  const setWeightNames = (
    f: Parameters<Parameters<typeof editHdf5>[1]>[0],
    layer: string,
    names: string[],
  ) => {
    const g = f.get(`model_weights/${layer}`) as unknown as Editable | null;
    if (!g) throw new Error(`no group ${layer}`);
    g.delete_attribute('weight_names');
    g.create_attribute('weight_names', names);
  };

  it('a weights-only .h5 is refused with what to save instead', async () => {
    // model.save_weights('w.h5') in Keras 2 writes the layer list as a root attribute.
    const bytes = await editHdf5(cnn(), (f) => {
      f.delete_attribute('model_config');
      f.delete_attribute('training_config');
      f.create_attribute('layer_names', [
        'conv2d_1',
        'batch_normalization_1',
        'activation_1',
        'conv2d_2',
        'flatten_1',
        'dense_1',
      ]);
    });
    expect(await refusal(tmp.file('weights-only.h5', bytes))).toMatch(
      /holds only weights.*model\.save\('model\.keras'\)/,
    );
  });

  it("a Keras 3 weights-only file (model.save_weights('w.weights.h5')) is refused too", async () => {
    let weights: Uint8Array = new Uint8Array();
    editZip(fixtureBytes('CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'), (m) => {
      weights = m['model.weights.h5'];
    });
    expect(await refusal(tmp.file('cnn.weights.h5', weights))).toMatch(
      /holds only weights \(model\.save_weights\)/,
    );
  });

  it('a .keras whose weights are stored as .npz is refused with what to do', async () => {
    const npz = editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
      m['model.weights.npz'] = m['model.weights.h5'];
      delete m['model.weights.h5'];
    });
    expect(await refusal(tmp.file('npz.keras', npz))).toMatch(
      /model\.weights\.npz .*re-save with the default \.h5 weights/,
    );
  });

  it('reads attributes Keras split in chunks (layer_names0, layer_names1, …) like whole ones', async () => {
    const split = await editHdf5(cnn(), (f) => {
      const g = f.get('model_weights') as unknown as Editable | null;
      if (!g) throw new Error('no group');
      g.delete_attribute('layer_names');
      g.create_attribute('layer_names0', ['conv2d_1', 'batch_normalization_1', 'activation_1']);
      g.create_attribute('layer_names1', ['conv2d_2', 'flatten_1', 'dense_1']);
    });
    const a = await load(tmp.file('split.h5', split));
    const b = await load(fixturePath(DL4J, 'cnn_batch_norm.h5'));
    expect(a.model.getWeights().map((w) => bits(w.dataSync() as Float32Array))).toEqual(
      b.model.getWeights().map((w) => bits(w.dataSync() as Float32Array)),
    );
  });

  it('a weight missing from the file fails the load (nothing left uninitialized)', async () => {
    const bytes = await editHdf5(cnn(), (f) => setWeightNames(f, 'dense_1', ['dense_1/kernel:0']));
    expect(await refusal(tmp.file('missing.h5', bytes))).toMatch(
      /layer 'dense_1' \(Dense\) has 2 weights in TF\.js but the file stores 1/,
    );
  });

  it('a stored weight no layer uses fails the load', async () => {
    const bytes = await editHdf5(cnn(), (f) => {
      setWeightNames(f, 'activation_1', ['stray:0']);
      (f.get('model_weights/activation_1') as unknown as { create_dataset(a: object): void }).create_dataset({
        name: 'stray:0',
        data: new Float32Array([1]),
        shape: [1],
      });
    });
    expect(await refusal(tmp.file('stray.h5', bytes))).toMatch(
      /layer 'activation_1' \(Activation\) has 0 weights in TF\.js but the file stores 1/,
    );
  });

  it('an absurd dataset shape is refused from its header, before its data is read', async () => {
    // A 50,000 × 50,000 float dataset (10 GB declared) in a file of a few KiB: only its header exists.
    const bytes = await editHdf5(cnn(), (f, h5) => {
      const g = f.get('model_weights/dense_1');
      if (!(g instanceof h5.Group)) throw new Error('no group');
      const d = g.create_dataset({
        name: 'huge:0',
        data: new Float32Array(1),
        shape: [1, 1],
        maxshape: [null, null],
        chunks: [64, 64],
        compression: 'gzip',
      });
      d.resize([50_000, 50_000]);
      setWeightNames(f, 'dense_1', ['huge:0', 'dense_1/bias:0']);
    });
    expect(bytes.length).toBeLessThan(200_000);
    expect(await refusal(tmp.file('huge.h5', bytes))).toMatch(
      /weight 'model_weights\/dense_1\/huge:0' has shape \[50000, 50000\] but layer 'dense_1' \(Dense\) needs \[36, 1\]/,
    );
  });

  it('a config whose sizes disagree with the stored weights fails on the first mismatched shape', async () => {
    const bytes = await editHdf5(cnn(), (f) => {
      const config = String(f.get_attribute('model_config', false)).replace('"units": 1', '"units": 3');
      f.delete_attribute('model_config');
      f.create_attribute('model_config', config);
    });
    expect(await refusal(tmp.file('units.h5', bytes))).toMatch(
      /has shape \[36, 1\] but layer 'dense_1' \(Dense\) needs \[36, 3\]/,
    );
  });

  it('a config that would allocate too much is refused before TF.js builds it', async () => {
    const bytes = await editHdf5(cnn(), (f) => {
      const config = String(f.get_attribute('model_config', false)).replace(
        '"units": 1',
        '"units": 16000000',
      );
      f.delete_attribute('model_config');
      f.create_attribute('model_config', config);
    });
    expect(await refusal(tmp.file('big.h5', bytes))).toMatch(
      /layer 'dense_1' \(Dense\) would hold 5\.92e8 parameters; the limit is 2\^26/,
    );
  });

  it('a .keras with a corrupted weights member fails its CRC check', async () => {
    const good = fixtureBytes('MNIST-models', 'mnist_model.keras');
    const bad = new Uint8Array(good);
    // Flip bytes inside model.weights.h5 (stored uncompressed by Keras) without touching the headers.
    const at = Buffer.from(bad).indexOf(Buffer.from('\x89HDF', 'latin1'));
    for (let i = at + 5000; i < at + 5100; i++) bad[i] ^= 0xff;
    expect(await refusal(tmp.file('crc.keras', bad))).toMatch(
      /'model\.weights\.h5' in the archive is corrupt \(CRC-32 mismatch\)/,
    );
  });

  it('a zip that is not a Keras file, and an HDF5 file that is not a Keras model', async () => {
    const zip = editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
      delete m['config.json'];
    });
    expect(await refusal(tmp.file('noconfig.keras', zip))).toMatch(/zip archive without config\.json/);
    const h5 = await editHdf5(cnn(), (f) => {
      f.delete_attribute('model_config');
      const g = f.get('model_weights');
      if (!g || !('delete_attribute' in g)) throw new Error('no group');
    });
    // model_weights still lists layer_names below the root: not a weights-only file either.
    expect(await refusal(tmp.file('nomodel.h5', h5))).toMatch(/without a Keras model_config attribute/);
  });
});
