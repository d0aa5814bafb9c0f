// Rebalancing A/B on an imbalanced set: plain training (the instrumented run) against class
// weighting and against oversampling, compared on minority-class recall over held-out records.
import type { RebalancingEvidence, RecallByClass } from '../core/evidence.ts';
import { subSeed } from '../core/random.ts';
import { maxOf } from '../shared/array.ts';
import { evaluate, train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';

/**
 * Classes with at most 1/`ratio` of the largest class's records; `ratio` is inputs/class-balance's
 * effective warn ratio (3 by default), so both agree on which classes are the minority.
 */
export function minorityClasses(counts: number[], ratio = 3): number[] {
  const largest = maxOf(counts);
  return counts.flatMap((n, c) => (n * ratio <= largest ? [c] : []));
}

export function recallByClass(
  ctx: ProbeContext,
  predictions: Int32Array,
  minority: number[],
  classes: number,
): RecallByClass {
  const ids = ctx.data.classIds as Int32Array;
  const hit = new Array<number>(classes).fill(0);
  const total = new Array<number>(classes).fill(0);
  let correct = 0;
  ctx.heldOut.forEach((rec, i) => {
    total[ids[rec]]++;
    if (predictions[i] === ids[rec]) {
      hit[ids[rec]]++;
      correct++;
    }
  });
  const recall = total.map((t, c) => (t ? hit[c] / t : Number.NaN));
  const present = minority.filter((c) => total[c] > 0);
  const minorityRecall = present.length
    ? present.reduce((s, c) => s + recall[c], 0) / present.length
    : Number.NaN;
  return { recall, minorityRecall, accuracy: correct / Math.max(1, ctx.heldOut.length) };
}

function oversampledPool(ctx: ProbeContext, counts: number[]): Int32Array {
  const ids = ctx.data.classIds as Int32Array;
  const byClass = counts.map(() => [] as number[]);
  for (const i of ctx.pool) byClass[ids[i]].push(i);
  const largest = maxOf(byClass.map((b) => b.length));
  const out: number[] = [];
  for (const members of byClass)
    for (let k = 0; members.length && k < largest; k++) out.push(members[k % members.length]);
  return Int32Array.from(out);
}

export async function runRebalancingProbe(
  ctx: ProbeContext,
  counts: number[],
  plainPredictions: Int32Array,
  ratio = 3,
): Promise<RebalancingEvidence> {
  const classes = counts.length;
  const minority = minorityClasses(counts, ratio);
  const total = counts.reduce((a, b) => a + b, 0);
  const classWeights = Float32Array.from(counts, (n) => (n ? total / (classes * n) : 0));
  const arms = [
    { name: 'weighted', pool: ctx.pool, classWeights },
    { name: 'oversampled', pool: oversampledPool(ctx, counts), classWeights: undefined },
  ];
  const results: RecallByClass[] = [];
  for (const [k, arm] of arms.entries()) {
    const { model, optimizer } = await trainableClone(ctx);
    try {
      await train(model, optimizer, ctx.data, {
        steps: ctx.budget.trainSteps,
        batchSize: ctx.batchSize,
        seed: subSeed(ctx.seed, arm.name),
        pool: arm.pool,
        classWeights: arm.classWeights,
        onStep: (s) => ctx.progress(k * ctx.budget.trainSteps + s + 1, 2 * ctx.budget.trainSteps),
      });
      const { predictions } = evaluate(model, ctx.data, ctx.heldOut);
      results.push(recallByClass(ctx, predictions as Int32Array, minority, classes));
    } finally {
      disposeModel(model, optimizer);
    }
  }
  return {
    minorityClasses: minority,
    steps: ctx.budget.trainSteps,
    plain: recallByClass(ctx, plainPredictions, minority, classes),
    weighted: results[0],
    oversampled: results[1],
  };
}
