// Saving a model as model.json + one weight shard (for tests and fixtures), written atomically.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { firstLine, type Json } from '../../model-files/common.ts';

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

/** A model as model.json text (weights in `WEIGHTS_FILE`) and the weight bytes, in memory. */
export interface ModelFiles {
  modelJson: string;
  weights: Uint8Array;
}

/**
 * The files `model.save` would write: model.json (with the training config of a compiled model,
 * or `trainingConfig` when given) and one weight shard. The optimizer state is included when
 * `includeOptimizer` (default true) and TF.js can export it (not Adamax).
 */
export async function modelFiles(
  model: tf.LayersModel,
  options: { includeOptimizer?: boolean; trainingConfig?: tf.io.TrainingConfig } = {},
): Promise<ModelFiles> {
  let files: ModelFiles | null = null;
  const handler = tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData
      ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
      : new ArrayBuffer(0);
    // model.save adds the training config only along with the optimizer state.
    const trainingConfig =
      options.trainingConfig ??
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
    files = { modelJson: JSON.stringify(modelJson), weights: new Uint8Array(weights) };
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
  return files as unknown as ModelFiles;
}

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
  const files = await modelFiles(model, options);
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, 'model.json');
  writeAtomic(join(dir, WEIGHTS_FILE), files.weights);
  writeAtomic(jsonPath, files.modelJson);
  return jsonPath;
}

interface TrainingConfigSource {
  getTrainingConfig(): tf.io.TrainingConfig;
}
