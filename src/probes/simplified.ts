// A deliberately simple model (flatten → dense 64 relu → the user's output layer) on the same
// data, setup and budget. If it learns far better, the architecture itself is in the way.
import * as tf from '@tensorflow/tfjs';
import type { Series, SimplifiedEvidence } from '../core/evidence.ts';
import { edgeMeans } from '../core/stats.ts';
import { freshOptimizer } from '../tfjs/clone.ts';
import { layerActivation } from '../tfjs/model-info.ts';
import { outputUnits } from '../tfjs/task.ts';
import { train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext } from './context.ts';

export function simpleModel(ctx: ProbeContext): tf.LayersModel {
  const last = ctx.model.layers[ctx.model.layers.length - 1];
  const activation = (layerActivation(last) ?? 'linear') as 'linear';
  const seed = ctx.seed % 2147483647;
  // Flatten needs rank ≥ 3 input; flat features go straight into the dense layer.
  const flat = ctx.data.featureShape.length === 1;
  return tf.sequential({
    layers: [
      ...(flat ? [] : [tf.layers.flatten({ inputShape: ctx.data.featureShape })]),
      tf.layers.dense({
        units: 64,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed }),
        ...(flat ? { inputShape: ctx.data.featureShape } : {}),
      }),
      tf.layers.dense({
        units: outputUnits(ctx.model),
        activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
}

export async function runSimplifiedProbe(
  ctx: ProbeContext,
  userLoss: Series,
  userHiddenLayers: number,
): Promise<SimplifiedEvidence> {
  const model = simpleModel(ctx);
  const optimizer = freshOptimizer(ctx.optimizer, ctx.learningRate ?? undefined);
  model.compile({ loss: ctx.loss as never, optimizer });
  try {
    const result = await train(model, optimizer, ctx.data, {
      steps: ctx.budget.trainSteps,
      batchSize: ctx.batchSize,
      seed: ctx.seed,
      pool: ctx.pool,
      onStep: (s) => ctx.progress(s + 1, ctx.budget.trainSteps),
    });
    const simpleLoss = {
      steps: result.records.map((r) => r.step),
      values: result.records.map((r) => r.dataLoss),
    };
    return {
      userHiddenLayers,
      steps: result.records.length,
      userLoss,
      simpleLoss,
      userFinalLoss: edgeMeans(userLoss.values, 0.1).last,
      simpleFinalLoss: edgeMeans(simpleLoss.values, 0.1).last,
    };
  } finally {
    disposeModel(model, optimizer);
  }
}
