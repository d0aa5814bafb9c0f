// Saving a model as model.json + one weight shard (for tests and fixtures), written atomically.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { firstLine, type Json } from './common.ts';

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
