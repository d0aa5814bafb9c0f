// A deliberately simple model (flatten → dense 64 relu → the user's output layer; for token
// inputs an Embedding with average pooling in front, never raw ids into a dense layer) on the
// same data, setup and budget. If it learns far better, the architecture itself is in the way.
//
// Like is compared with like: both models' losses are measured the same way, in inference mode
// (dropout off, batch norm recalibrated) on the same training records, before and after the
// run. The user's training-mode curve carries dropout noise and batch statistics the simple
// model does not have: a textbook MLP with dropout 0.5 looked 41% worse that way.
import * as tf from '@tensorflow/tfjs';
import type { Series, SimplifiedEvidence } from '../core/evidence.ts';
import { edgeMeans } from '../core/stats.ts';
import { freshOptimizer } from '../tfjs/clone.ts';
import { layerActivation, tokenInput } from '../tfjs/model-info.ts';
import { outputUnits } from '../tfjs/task.ts';
import { evaluate, train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext } from './context.ts';

const EMBEDDING_DIM = 16;

export function simpleModel(ctx: ProbeContext): tf.LayersModel {
  const last = ctx.model.layers[ctx.model.layers.length - 1];
  const activation = (layerActivation(last) ?? 'linear') as 'linear';
  const seed = ctx.seed % 2147483647;
  const tokens = tokenInput(ctx.model);
  const shape = ctx.data.featureShape;
  const front: tf.layers.Layer[] = tokens
    ? [
        tf.layers.embedding({
          inputDim: tokens.vocabulary,
          outputDim: EMBEDDING_DIM,
          inputShape: shape,
          embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
        }),
        // Ids in any layout ([length] or more dims) become one bag of word vectors.
        ...(shape.length > 1 ? [tf.layers.reshape({ targetShape: [-1, EMBEDDING_DIM] })] : []),
        tf.layers.globalAveragePooling1d(),
      ]
    : shape.length > 1
      ? [tf.layers.flatten({ inputShape: shape })]
      : [];
  return tf.sequential({
    layers: [
      ...front,
      tf.layers.dense({
        units: 64,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed }),
        ...(front.length ? {} : { inputShape: shape }),
      }),
      tf.layers.dense({
        units: outputUnits(ctx.model),
        activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
}

export interface UserRun {
  /** The user's training-mode curve (for the plot). */
  curve: Series;
  /** Inference-mode loss on `ids` before and after the run. */
  initialLoss: number;
  finalLoss: number;
  ids: Int32Array;
}

export async function runSimplifiedProbe(
  ctx: ProbeContext,
  user: UserRun,
  userHiddenLayers: number,
): Promise<SimplifiedEvidence> {
  const model = simpleModel(ctx);
  const optimizer = freshOptimizer(ctx.optimizer, ctx.learningRate ?? undefined);
  model.compile({ loss: ctx.loss as never, optimizer });
  try {
    const simpleInitial = evaluate(model, ctx.data, user.ids).loss;
    const result = await train(model, optimizer, ctx.data, {
      steps: ctx.budget.trainSteps,
      batchSize: ctx.batchSize,
      seed: ctx.seed,
      pool: ctx.pool,
      classWeights: ctx.classWeights ?? undefined,
      onStep: (s) => ctx.progress(s + 1, ctx.budget.trainSteps),
    });
    const simpleLoss = {
      steps: result.records.map((r) => r.step),
      values: result.records.map((r) => r.dataLoss),
    };
    return {
      userHiddenLayers,
      steps: result.records.length,
      userLoss: user.curve,
      simpleLoss,
      userFinalLoss: user.finalLoss,
      simpleFinalLoss: evaluate(model, ctx.data, user.ids).loss,
      userInitialLoss: user.initialLoss,
      simpleInitialLoss: simpleInitial,
      compared: 'inference',
      userCurveFinal: edgeMeans(user.curve.values, 0.1).last,
      simpleCurveFinal: edgeMeans(simpleLoss.values, 0.1).last,
    };
  } finally {
    disposeModel(model, optimizer);
  }
}
