// Applying the training config stored with a model: compile() with its loss, optimizer and metrics,
// then restore the saved optimizer state when it fits.
//
// This is done here rather than by tf.loadLayersModel: TF.js compiles from the config by itself, but
// fails on common Keras forms (loss objects, 'RMSprop', 'lr', schedules).
import * as tf from '@tensorflow/tfjs';
import { firstLine, isObject } from '../../model-files/common.ts';
import { readLoss, readMetrics } from '../../model-files/loss-metrics.ts';
import { type BuiltOptimizer, buildOptimizer } from './optimizer.ts';

/** The training config stored with a model, normalized to TF.js names. */
export interface ModelTrainingConfig {
  /** TF.js loss name (camelCase), e.g. `categoricalCrossentropy`; null when the config has none or it is not usable. */
  loss: string | null;
  /** Keras `from_logits=True` on the loss (TF.js Layers losses have no such option). */
  fromLogits: boolean;
  /** TF.js optimizer class: `SGD`, `Momentum`, `Adam`, `Adamax`, `RMSProp`, `Adagrad`, `Adadelta`; null if absent or unsupported. */
  optimizer: string | null;
  learningRate: number | null;
  metrics: string[];
  /** The training config exactly as stored in model.json. */
  raw: unknown;
}

/** Compiles `model` from `raw`; `problem` says why it was not compiled. Dropped parts go to `notes`. */
export function applyTrainingConfig(
  model: tf.LayersModel,
  raw: unknown,
  notes: string[],
): { config: ModelTrainingConfig; problem: string | null } {
  const config: ModelTrainingConfig = {
    loss: null,
    fromLogits: false,
    optimizer: null,
    learningRate: null,
    metrics: [],
    raw,
  };
  if (!isObject(raw)) return { config, problem: 'training config is not an object' };
  const lossInfo = readLoss(raw.loss);
  config.loss = lossInfo.loss;
  config.fromLogits = lossInfo.fromLogits;
  const opt = buildOptimizer(raw.optimizer_config ?? raw.optimizerConfig, notes);
  if (typeof opt !== 'string') {
    config.optimizer = opt.className;
    config.learningRate = opt.learningRate;
  }
  config.metrics = readMetrics(raw.metrics, notes);
  const problem = lossInfo.problem ?? (typeof opt === 'string' ? opt : null);
  if (problem) {
    if (typeof opt !== 'string') opt.optimizer.dispose();
    return { config, problem: `training config: ${problem}` };
  }
  for (const k of ['loss_weights', 'sample_weight_mode']) {
    if (raw[k] != null) notes.push(`training config ${k} ignored`);
  }
  if (Array.isArray(raw.weighted_metrics) && raw.weighted_metrics.length > 0) {
    notes.push('training config weighted_metrics ignored');
  }
  const built = opt as BuiltOptimizer;
  try {
    model.compile({ loss: config.loss as string, optimizer: built.optimizer, metrics: config.metrics });
  } catch (err) {
    try {
      model.compile({ loss: config.loss as string, optimizer: built.optimizer });
      notes.push(`metrics dropped (${firstLine(err)})`);
      config.metrics = [];
    } catch (err2) {
      return { config, problem: `training config: cannot compile (${firstLine(err2)})` };
    }
  }
  return { config, problem: null };
}

export async function restoreOptimizerState(
  model: tf.LayersModel,
  specs: tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
  notes: string[],
): Promise<void> {
  if (!specs.some((s) => s.group === 'optimizer') || !model.optimizer) return;
  const tensors = tf.io.decodeWeights(data, specs);
  try {
    const values = specs
      .filter((s) => s.group === 'optimizer')
      .map((s) => ({ name: s.name, tensor: tensors[s.name] }));
    await model.optimizer.setWeights(values);
  } catch (err) {
    notes.push(`saved optimizer state not restored (${firstLine(err)})`);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
