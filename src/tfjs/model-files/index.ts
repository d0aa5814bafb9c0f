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
//
// Files: model-json.ts and formats.ts (model.json, and what it is when it is not one), weights.ts
// (manifest and shards), explain-error.ts (TF.js load errors), training-config.ts with
// loss-metrics.ts, optimizer.ts and keras-config.ts (compiling from the training config), load.ts
// (loadModelFile), save.ts (saveModelToDir).

export {
  checkTopologyLimits,
  MODEL_LIMITS,
  type ModelLimits,
  type TopologyBounds,
} from '../../model-files/limits.ts';
export {
  type LoadedModel,
  type LoadModelOptions,
  loadModelFile,
  loadModelFromFile,
  modelInputFiles,
} from './load.ts';
export { type ModelFiles, modelFiles, saveModelToDir, WEIGHTS_FILE } from './save.ts';
export type { ModelTrainingConfig } from './training-config.ts';
