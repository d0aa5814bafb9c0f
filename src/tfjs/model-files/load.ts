// Loading a model from disk without tfjs-node: a TF.js Layers model.json (+ weight shards), a
// tensorflowjs_converter model.json, or the file Keras saved (`.keras`, `.h5`).
import { dirname } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { UsageError } from '../../core/errors.ts';
import { errorAt } from '../../model-files/common.ts';
import {
  readModelBytes,
  readModelJson,
  readWeights,
  resolveModelJson,
  shardPaths,
  sniffModelFile,
} from '../../model-files/disk.ts';
import { readManifest } from '../../model-files/weights.ts';
import {
  checkModelJson,
  type LoadedModel,
  type LoadModelOptions,
  modelFromJson,
  modelFromKeras,
} from './build.ts';

export type { LoadedModel, LoadModelOptions } from './build.ts';

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
  if (kind !== 'json')
    return { ...(await modelFromKeras(kind, readModelBytes(file, fail), fail)), path: file };
  const json = readModelJson(file, fail);
  const groups = readManifest(json, fail);
  // Sizes first, from the file's own description: TF.js allocates every weight while building.
  checkModelJson(json, fail);
  return { ...(await modelFromJson(json, readWeights(dirname(file), groups, fail), fail)), path: file };
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
