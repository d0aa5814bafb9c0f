// Building the TF.js model from a model file's parts, wherever they were read (Node's file system:
// ./load.ts; a page's files: ./from-files.ts): a Keras file's bytes, or model.json with its weight
// shards. Sizes are checked from the files' own descriptions before TF.js allocates a weight.
import * as tf from '@tensorflow/tfjs';
import { type Fail, isObject, type Json } from '../../model-files/common.ts';
import { explainLoadError } from '../../model-files/explain-error.ts';
import type { ModelFileKind } from '../../model-files/formats.ts';
import { checkTopologyLimits } from '../../model-files/limits.ts';
import { isConverterTopology, loadConverterJson, loadKerasH5, loadKerasZip } from './keras/load-keras.ts';
import { applyTrainingConfig, type ModelTrainingConfig, restoreOptimizerState } from './training-config.ts';

export interface LoadModelOptions {
  /** Flag named in error messages (default `--model`); `''` for none. */
  flag?: string;
}

export interface LoadedModel {
  model: tf.LayersModel;
  /** Absolute path of the model.json (or Keras file) that was read; the file's name when read from memory. */
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

/** A loaded model without where it came from (the caller adds `path`). */
export type BuiltModel = Omit<LoadedModel, 'path'>;

/** A Keras file (`.keras` zip or `.h5` HDF5), from its bytes. */
export function modelFromKeras(
  kind: Exclude<ModelFileKind, 'json'>,
  bytes: Uint8Array,
  fail: Fail,
): Promise<BuiltModel> {
  return kind === 'hdf5' ? loadKerasH5(bytes, fail) : loadKerasZip(bytes, fail);
}

/**
 * Checks model.json's topology against the limits before its weights are read (a Keras converter
 * topology is bounded after its translation to the TF.js form): true when it is a converter topology.
 */
export function checkModelJson(json: Json, fail: Fail): boolean {
  const converter = isConverterTopology(json.modelTopology);
  if (!converter) checkTopologyLimits(json.modelTopology, fail);
  return converter;
}

/** model.json and its weights (read and size-checked against the manifest's `groups`). */
export async function modelFromJson(
  json: Json,
  weights: { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer },
  fail: Fail,
): Promise<BuiltModel> {
  const { specs, data } = weights;
  if (isConverterTopology(json.modelTopology)) return loadConverterJson(json, specs, data, fail);
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
    trainingConfig: config,
    compiled: !problem,
    trainingConfigProblem: problem,
    notes,
    format: 'TF.js Layers model.json',
  };
}
