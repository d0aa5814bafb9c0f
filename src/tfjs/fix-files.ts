// What `--fix DIR` writes: the model with the verified chain of fixes applied (model.json + one
// weight shard; fresh weights where a fix re-initializes, the same ones the verified runs started
// from) and fix.json with what was changed and the fitted data transforms' parameters. Built from
// the user's model and the report; the user's model is only read.
import type * as tf from '@tensorflow/tfjs';
import { normalizeLossName } from '../core/names.ts';
import type { AppliedFix } from '../core/remedies.ts';
import type { Report } from '../core/report.ts';
import { modelFiles, WEIGHTS_FILE } from './model-files/save.ts';
import { buildPatchedModel, tfjsLossName } from './patch.ts';

export interface FixFiles {
  /** The verified chain's fix ids. */
  chain: string[];
  /** By file name: model.json, its weight shard, fix.json. */
  files: Record<string, string | Uint8Array>;
}

/** The verified chain's applied fixes (with their fitted transforms) and the seed of its first run's fresh weights. */
export function verifiedChain(report: Report): { applied: AppliedFix[]; initSeed: number } | null {
  const chain = report.remedies?.chain ?? [];
  const stage = report.evidence.remedies?.stages[chain.length - 1];
  if (!chain.length || !stage) return null;
  const arm = stage.candidates
    .map((c) => c.arm)
    .find((a) => a.fixes.map((f) => f.id).join() === chain.join() && a.runs.length > 0);
  return arm ? { applied: arm.fixes, initSeed: arm.runs[0].initSeed } : null;
}

/** The files of the fixed model, or null when no fix verified. */
export async function fixedModelFiles(model: tf.LayersModel, report: Report): Promise<FixFiles | null> {
  const verified = verifiedChain(report);
  const task = report.evidence.task;
  if (!verified || !task) return null;
  const base = {
    optimizer: task.optimizer,
    learningRate: task.learningRate,
    loss: normalizeLossName(task.loss),
    classWeights: task.classWeights ?? null,
  };
  const patched = await buildPatchedModel(model, base, verified.applied, verified.initSeed);
  try {
    // The user's optimizer options (β, momentum…) when the checkup trained with its class.
    const own =
      model.optimizer?.getClassName() === patched.setup.optimizer ? model.optimizer.getConfig() : {};
    const config: { [key: string]: unknown } = { ...own };
    if (patched.setup.learningRate !== null) config.learningRate = patched.setup.learningRate;
    // Keras reads clipnorm; TF.js ignores it (fix.json and the report say to clip in the training step).
    if (patched.clipNorm !== undefined) config.clipnorm = patched.clipNorm;
    const trainingConfig = {
      loss: patched.loss ?? tfjsLossName(task.loss),
      metrics: null,
      optimizer_config: { class_name: patched.setup.optimizer, config },
    } as unknown as tf.io.TrainingConfig;
    const files = await modelFiles(patched.model, { includeOptimizer: false, trainingConfig });
    const tried = report.remedies?.tried ?? [];
    const fix = {
      tool: report.tool,
      summary: report.remedies?.summary,
      chain: verified.applied.map((f) => f.id),
      fixes: verified.applied.map((f) => ({
        id: f.id,
        params: f.params,
        changes: f.changes,
        terms: tried.find((t) => t.fix === f.id && t.verified)?.terms,
      })),
      training: {
        optimizer: patched.setup.optimizer,
        learningRate: patched.setup.learningRate,
        loss: patched.setup.loss,
        ...(patched.setup.classWeights ? { classWeights: patched.setup.classWeights } : {}),
        ...(patched.clipNorm !== undefined ? { clipNorm: patched.clipNorm } : {}),
      },
      // The data transforms, to apply to training, validation and test data alike.
      inputs: verified.applied.find((f) => f.changes.inputs)?.changes.inputs ?? null,
      targets: verified.applied.find((f) => f.changes.targets)?.changes.targets ?? null,
    };
    return {
      chain: fix.chain,
      files: {
        'model.json': files.modelJson,
        [WEIGHTS_FILE]: files.weights,
        'fix.json': `${JSON.stringify(fix, null, 2)}\n`,
      },
    };
  } finally {
    patched.model.dispose();
  }
}
