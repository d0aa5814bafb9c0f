// Shuffled-label control: the same setup trained on labels permuted across records, judged on
// held-out records with their real labels. A model that learns no more from the real labels
// than from shuffled ones is getting no signal from them.
import type { LabelSignalEvidence } from '../core/evidence.ts';
import { createRng, permutation, subSeed } from '../core/random.ts';
import { evaluate, train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';

export function shuffledTargets(ctx: ProbeContext): Float32Array {
  const width = ctx.data.targetShape.reduce((a, b) => a * b, 1);
  const out = ctx.data.targets.slice();
  const order = permutation(ctx.pool.length, createRng(subSeed(ctx.seed, 'shuffle-labels')));
  for (let i = 0; i < ctx.pool.length; i++) {
    const to = ctx.pool[i];
    const from = ctx.pool[order[i]];
    out.set(ctx.data.targets.subarray(from * width, from * width + width), to * width);
  }
  return out;
}

export async function runLabelSignalProbe(
  ctx: ProbeContext,
  real: { loss: number; accuracy: number | null },
  chanceLoss: number,
): Promise<LabelSignalEvidence> {
  const { model, optimizer } = await trainableClone(ctx);
  try {
    const result = await train(model, optimizer, ctx.data, {
      steps: ctx.budget.trainSteps,
      batchSize: ctx.batchSize,
      seed: ctx.seed,
      pool: ctx.pool,
      targets: shuffledTargets(ctx),
      onStep: (s) => ctx.progress(s + 1, ctx.budget.trainSteps),
    });
    const shuffled = evaluate(model, ctx.data, ctx.heldOut);
    return {
      steps: result.records.length,
      real: { heldOutLoss: real.loss, heldOutAccuracy: real.accuracy },
      shuffled: { heldOutLoss: shuffled.loss, heldOutAccuracy: shuffled.accuracy },
      chanceLoss,
      chanceAccuracy: majorityShare(ctx),
    };
  } finally {
    disposeModel(model, optimizer);
  }
}

/** Accuracy of always predicting the most common held-out class. */
function majorityShare(ctx: ProbeContext): number | null {
  const ids = ctx.data.classIds;
  if (!ids || !ctx.heldOut.length) return null;
  const counts = new Map<number, number>();
  for (const i of ctx.heldOut) counts.set(ids[i], (counts.get(ids[i]) ?? 0) + 1);
  return Math.max(...counts.values()) / ctx.heldOut.length;
}
