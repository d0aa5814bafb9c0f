// Loading a model from the files Keras writes: `.keras` (Keras 3 zip), `.h5` (Keras 2, or Keras 3
// legacy HDF5), and tensorflowjs_converter model.json (Keras 2 or 3). All go through the same
// steps: translate the Keras config (translate.ts), bound its size (../limits.ts), let TF.js build it,
// assign the stored weights by structure (weights.ts), then compile it from the translated
// training config. Saved optimizer state is not restored: the checkup trains clones of the model
// with fresh optimizers.
import * as tf from '@tensorflow/tfjs';
import { type Fail, firstLine, isObject, type Json } from '../../../model-files/common.ts';
import { explainLoadError } from '../../../model-files/explain-error.ts';
import { Hdf5File } from '../../../model-files/keras/hdf5.ts';
import { normalizeTrainingConfig } from '../../../model-files/keras/training.ts';
import { kerasMajorOf, translateModel } from '../../../model-files/keras/translate.ts';
import { readZipArchive, readZipMember } from '../../../model-files/keras/zip.ts';
import { checkTopologyLimits, type TopologyBounds } from '../../../model-files/limits.ts';
import { zeroInitializers } from '../../initializers.ts';
import { applyTrainingConfig, type ModelTrainingConfig } from '../training-config.ts';
import {
  type Claims,
  type CollectedWeights,
  collectWeights,
  keras3Source,
  type LevelSource,
  legacyH5Source,
  manifestSource,
} from './weights.ts';

/** What a Keras loader returns (load.ts adds the path). */
export interface KerasLoad {
  model: tf.LayersModel;
  trainingConfig: ModelTrainingConfig | null;
  compiled: boolean;
  trainingConfigProblem: string | null;
  notes: string[];
  /** e.g. `Keras 3.10.0 .keras`. */
  format: string;
}

const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
const MAX_WEIGHTS_BYTES = 1024 * 1024 * 1024;

function parseJson(text: string, what: string, fail: Fail): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(`${what} is not valid JSON (${firstLine(err)})`);
  }
}

function asText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (Array.isArray(v) && v.length === 1) return asText(v[0]);
  return null;
}

async function build(make: () => Promise<tf.LayersModel>, fail: Fail): Promise<tf.LayersModel> {
  try {
    return await make();
  } catch (err) {
    throw explainLoadError(err, fail);
  }
}

interface Translated {
  topology: Json;
  notes: string[];
  bounds: TopologyBounds;
}

/** Translates a Keras config to a TF.js topology and bounds its size (before anything is built). */
function translateBounded(kerasConfig: unknown, kerasVersion: unknown, fail: Fail): Translated {
  const notes: string[] = [];
  const topology = translateModel(kerasConfig, { fail, notes, kerasMajor: kerasMajorOf(kerasVersion) });
  return { topology, notes, bounds: checkTopologyLimits(topology, fail) };
}

/**
 * The most bytes a Keras 3 model.weights.h5 needs for a model of these bounds: every parameter in
 * float64 with three optimizer slots (AMSGrad Adam; 32 bytes), plus HDF5's metadata (groups,
 * attributes: about 2 KB per layer as Keras writes it; 64 KiB allowed) and 1 MiB. A member that
 * declares more is refused before it is inflated: a few MB of deflate can honestly hold 1 GiB.
 */
export function kerasWeightsCap(bounds: TopologyBounds): number {
  return Math.min(MAX_WEIGHTS_BYTES, 2 ** 20 + 2 ** 16 * bounds.layers.length + 32 * bounds.params);
}

/** Translates, bounds, builds and fills a model; compiles it from `rawTraining` when present. */
async function buildFromKeras(
  kerasConfig: unknown,
  kerasVersion: unknown,
  weights: (model: tf.LayersModel) => { source: LevelSource; claims: Claims },
  rawTraining: unknown,
  format: string,
  fail: Fail,
  translated: Translated = translateBounded(kerasConfig, kerasVersion, fail),
): Promise<KerasLoad> {
  const { topology, notes } = translated;
  // Built twice: first with zero initializers (fast) to pair each TF.js weight with its stored
  // weight; then by tf.loadLayersModel with those weights, which skips the initializers (an
  // Orthogonal recurrent kernel takes seconds to initialize) and keeps the real ones in the config.
  let collected: CollectedWeights;
  const probe = await build(
    () =>
      tf.models.modelFromJSON({ modelTopology: zeroInitializers(topology) } as unknown as tf.io.ModelJSON),
    fail,
  );
  try {
    const { source, claims } = weights(probe);
    collected = collectWeights(probe, source, claims, fail);
  } finally {
    probe.dispose();
  }
  const model = await build(
    () =>
      tf.loadLayersModel(
        {
          load: async () => ({
            modelTopology: topology,
            weightSpecs: collected.specs,
            weightData: collected.data,
          }),
        },
        { strict: true },
      ),
    fail,
  );
  const training = normalizeTrainingConfig(rawTraining, notes);
  if (!training) {
    return { model, trainingConfig: null, compiled: false, trainingConfigProblem: null, notes, format };
  }
  const { config, problem } = applyTrainingConfig(model, training, notes);
  return { model, trainingConfig: config, compiled: !problem, trainingConfigProblem: problem, notes, format };
}

/** A Keras 2 / Keras 3 legacy `.h5` full-model file. */
export async function loadKerasH5(bytes: Uint8Array, fail: Fail): Promise<KerasLoad> {
  const file = await Hdf5File.open(bytes, fail);
  try {
    const configText = asText(file.attr('/', 'model_config'));
    if (configText === null) {
      const weightsOnly =
        file.attr('/', 'layer_names') !== undefined ||
        file.attr('/', 'layer_names0') !== undefined ||
        file.kind('layers') === 'group';
      throw fail(
        weightsOnly
          ? "holds only weights (model.save_weights), no model architecture; save the whole model with model.save('model.keras') or model.save('model.h5')"
          : 'is an HDF5 file without a Keras model_config attribute (not a model saved by Keras)',
      );
    }
    if (configText.length > MAX_CONFIG_BYTES)
      throw fail(`model_config is over ${MAX_CONFIG_BYTES} bytes, nn-doctor's limit`);
    const version = asText(file.attr('/', 'keras_version'));
    const trainingText = asText(file.attr('/', 'training_config'));
    const training = trainingText === null ? null : parseJson(trainingText, 'training_config', fail);
    const config = parseJson(configText, 'model_config', fail);
    if (file.kind('model_weights') !== 'group')
      throw fail('has a model_config but no model_weights group (weights missing)');
    return await buildFromKeras(
      config,
      version,
      () => legacyH5Source(file, 'model_weights', fail),
      training,
      `Keras ${version ?? '?'} HDF5`,
      fail,
    );
  } finally {
    file.close();
  }
}

/** A Keras 3 `.keras` zip: config.json, metadata.json, model.weights.h5. */
export async function loadKerasZip(bytes: Uint8Array, fail: Fail): Promise<KerasLoad> {
  const zip = readZipArchive(bytes, fail);
  const names = [...zip.members.keys()];
  if (!zip.members.has('config.json')) {
    throw fail(
      `is a zip archive without config.json, not a Keras .keras file (members: ${names.slice(0, 5).join(', ') || 'none'})`,
    );
  }
  const text = (name: string, max: number) => new TextDecoder().decode(readZipMember(zip, name, max, fail));
  const config = parseJson(text('config.json', MAX_CONFIG_BYTES), 'config.json', fail);
  const metadata = zip.members.has('metadata.json')
    ? parseJson(text('metadata.json', 1 << 20), 'metadata.json', fail)
    : {};
  if (!isObject(config)) throw fail('config.json is not a JSON object');
  const version = isObject(metadata) ? metadata.keras_version : undefined;
  if (!zip.members.has('model.weights.h5')) {
    if (zip.members.has('model.weights.npz')) {
      throw fail(
        'stores its weights as model.weights.npz (pickled NumPy objects), which nn-doctor does not read; re-save with the default .h5 weights',
      );
    }
    throw fail('has no model.weights.h5 in the archive (weights missing)');
  }
  // The model is translated and bounded first: its weights member may declare only what it needs.
  const translated = translateBounded(config, version ?? '3', fail);
  const cap = kerasWeightsCap(translated.bounds);
  const why = cap < MAX_WEIGHTS_BYTES ? ` for a model of ${translated.bounds.params} parameters` : '';
  const file = await Hdf5File.open(readZipMember(zip, 'model.weights.h5', cap, fail, why), (p) =>
    fail(`model.weights.h5 ${p}`),
  );
  try {
    return await buildFromKeras(
      config,
      version ?? '3',
      () => keras3Source(file, config as Json, fail),
      config.compile_config,
      `Keras ${typeof version === 'string' ? version : '3'} .keras`,
      fail,
      translated,
    );
  } finally {
    file.close();
  }
}

/**
 * A tensorflowjs_converter model.json (its modelTopology holds `model_config`), Keras 2 or 3,
 * with its weight specs and shard bytes already read and size-checked.
 */
export async function loadConverterJson(
  json: Json,
  specs: tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
  fail: Fail,
): Promise<KerasLoad> {
  const topology = json.modelTopology as Json;
  const version =
    topology.keras_version ??
    (typeof json.generatedBy === 'string' ? json.generatedBy.replace(/^keras v/, '') : undefined);
  const tensors = tf.io.decodeWeights(data, specs);
  try {
    const rawTraining = json.trainingConfig ?? topology.training_config;
    return await buildFromKeras(
      topology.model_config,
      version,
      (model) => {
        const { source, claims } = manifestSource(specs, tensors, fail);
        return { source: source(model), claims };
      },
      rawTraining,
      `Keras ${typeof version === 'string' ? version : '?'} model.json (tensorflowjs_converter)`,
      fail,
    );
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Whether a model.json topology came from tensorflowjs_converter (a Keras config), not TF.js's own save. */
export function isConverterTopology(topology: unknown): boolean {
  return isObject(topology) && isObject(topology.model_config);
}
