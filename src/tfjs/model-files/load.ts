// Loading a model from disk without tfjs-node: a TF.js Layers model.json (+ weight shards), a
// tensorflowjs_converter model.json, or the file Keras saved (`.keras`, `.h5`).
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../../core/errors.ts';
import { errorAt, isObject, type Json } from '../../model-files/common.ts';
import { explainLoadError } from '../../model-files/explain-error.ts';
import { readModelBytes, sniffModelFile } from '../../model-files/formats.ts';
import { checkTopologyLimits } from '../../model-files/limits.ts';
import { readModelJson, resolveModelJson } from '../../model-files/model-json.ts';
import { readManifest, readWeights, shardPaths } from '../../model-files/weights.ts';
import { isConverterTopology, loadConverterJson, loadKerasH5, loadKerasZip } from './keras/load-keras.ts';
import { applyTrainingConfig, type ModelTrainingConfig, restoreOptimizerState } from './training-config.ts';

export interface LoadModelOptions {
  /** Flag named in error messages (default `--model`); `''` for none. */
  flag?: string;
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
  /** What was read, e.g. `Keras 3.10.0 .keras` or `TF.js Layers model.json`. */
  format: string;
}

/**
 * Loads a model, read-only: a Keras `.keras` (zip) or `.h5` (HDF5) file, recognized by its first
 * bytes, or a TF.js Layers model.json path (or a directory holding model.json) and the weight
 * files beside it. Keras files and tensorflowjs_converter model.json go through the Keras → TF.js
 * translation (keras/translate.ts); a layer TF.js cannot build is a UsageError naming it. When model.json has a training config, the model comes back
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
  const kind = sniffModelFile(file, fail);
  if (kind !== 'json') {
    const bytes = readModelBytes(file, fail);
    const keras = kind === 'hdf5' ? await loadKerasH5(bytes, fail) : await loadKerasZip(bytes, fail);
    return { ...keras, path: file };
  }
  const json = readModelJson(file, fail);
  const groups = readManifest(json, fail);
  // Sizes first, from the file's own description: TF.js allocates every weight while building.
  // (A Keras converter topology is bounded after its translation to the TF.js form.)
  const converter = isConverterTopology(json.modelTopology);
  if (!converter) checkTopologyLimits(json.modelTopology, fail);
  const { specs, data } = readWeights(dirname(file), groups, fail);
  if (converter) return { ...(await loadConverterJson(json, specs, data, fail)), path: file };

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
  // A model TF.js builds and then rejects (its weights do not fit) is never returned to us:
  // dispose what it allocated, so a library caller that loads many files does not leak.
  const variablesBefore = new Set(Object.keys(tf.engine().registeredVariables));
  tf.engine().startScope();
  try {
    model = await tf.loadLayersModel({ load: async () => artifacts });
  } catch (err) {
    tf.engine().endScope();
    for (const [name, v] of Object.entries(tf.engine().registeredVariables))
      if (!variablesBefore.has(name)) v.dispose();
    throw explainLoadError(err, fail);
  }
  // Its weights are variables, which a scope does not dispose; what else it made was temporary.
  tf.engine().endScope();

  const topology = json.modelTopology as Json;
  const rawConfig = json.trainingConfig ?? topology.training_config ?? null;
  const notes: string[] = [];
  if (rawConfig == null) {
    return {
      model,
      path: file,
      trainingConfig: null,
      compiled: false,
      trainingConfigProblem: null,
      notes,
      format: 'TF.js Layers model.json',
    };
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
    format: 'TF.js Layers model.json',
  };
}

/**
 * The files loading `path` reads: model.json and every weight file its manifest lists (confined to
 * its folder). For checking that no output path is one of them; throws like loadModelFile.
 */
export function modelInputFiles(path: string, options: LoadModelOptions = {}): string[] {
  const fail = errorAt(`${options.flag ?? '--model'} ${path}`.trim());
  const file = resolveModelJson(path, fail);
  if (sniffModelFile(file, fail) !== 'json') return [file]; // a Keras file holds its weights
  const groups = readManifest(readModelJson(file, fail), fail);
  return [file, ...shardPaths(dirname(file), groups, fail)];
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
