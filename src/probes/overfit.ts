// Overfit a handful of records with regularization switched off: a model that cannot memorize
// 50 records has a bug in the model, the loss or the training code.
//
// Slow is not broken: the run stops once the records are memorized, and past its base budget
// goes on (up to 4×) while the loss still falls. When it has not memorized them by then, the same
// architecture is tried once with a reference optimizer (Adam 1e-3): if that memorizes them, the
// model and training code are fine and the optimizer settings are merely slow. Records whose features are identical but whose
// labels differ cannot all be fitted: the target is the best accuracy they allow.
import * as tf from '@tensorflow/tfjs';
import type { OverfitEvidence } from '../core/evidence.ts';
import { subSeed } from '../core/random.ts';
import { maxOf } from '../shared/array.ts';
import { evaluate } from '../tfjs/trainer.ts';
import { headsFor, inferenceEvaluation, trainUntil } from './adaptive.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';
import { isReference, REFERENCE_LR } from './control.ts';

const MAX_BUDGET_FACTOR = 4;
/** Steps between evaluations. */
const CHUNK = 25;
/**
 * Progress worth another chunk past the base budget: the loss fell by this fraction of its value
 * at the previous evaluation (25 steps earlier; ≈ 1% per 100 steps). Relative to the current
 * loss, not the initial one: uncentered regression targets make the initial loss mostly mean²,
 * and the slow part that follows is still progress (a real abalone MLP under SGD 0.01 fell from
 * 149 to 16.7 in 25 steps, then by 0.9–2% per 25 steps). A broken setup's loss does not move.
 */
const MIN_CHUNK_PROGRESS = 0.0025;
/** Worth more steps only while the loss's current rate would reach the target within this many caps. */
const HORIZON_FACTOR = 10;
/** Regression counts as fitted at this fraction of the initial loss (inputs/overfit-small's default). */
export const OVERFIT_TARGET_RATIO = 0.05;

/** Best accuracy a classifier can reach on these records: identical inputs get one prediction. */
/** The bytes as a string, one character per two bytes (no Buffer: this runs in browsers too). */
function bytesKey(bytes: Uint8Array): string {
  const words = new Uint16Array(bytes.slice().buffer, 0, bytes.length >> 1);
  let key = '';
  for (let i = 0; i < words.length; i += 4096) key += String.fromCharCode(...words.subarray(i, i + 4096));
  return key;
}

export function achievableAccuracy(ctx: ProbeContext, ids: Int32Array): number {
  const classIds = ctx.data.classIds;
  if (!classIds || !ids.length) return 1;
  const f = ctx.data.featureShape.reduce((a, b) => a * b, 1);
  const groups = new Map<string, Map<number, number>>();
  for (const r of ids) {
    const bytes = new Uint8Array(ctx.data.x.buffer, ctx.data.x.byteOffset + r * f * 4, f * 4);
    const key = bytesKey(bytes);
    const counts = groups.get(key) ?? new Map<number, number>();
    counts.set(classIds[r], (counts.get(classIds[r]) ?? 0) + 1);
    groups.set(key, counts);
  }
  let best = 0;
  for (const counts of groups.values()) best += maxOf(counts.values());
  return best / ids.length;
}

interface FitRun {
  result: Awaited<ReturnType<typeof trainUntil>>;
  initialLoss: number;
  removed: string[];
}

async function fitRecords(
  ctx: ProbeContext,
  ids: Int32Array,
  achievable: number | null,
  optimizerOverride: tf.Optimizer | undefined,
  progressFrom: number,
): Promise<FitRun> {
  const { model, optimizer, removed } = await trainableClone(ctx, {
    withoutRegularization: true,
    ...(optimizerOverride ? { optimizer: optimizerOverride } : {}),
  });
  try {
    const classification = ctx.task.kind === 'classification';
    const base = ctx.budget.overfitSteps;
    const maxSteps = MAX_BUDGET_FACTOR * base;
    let initialLoss = Number.NaN;
    const fitted = (loss: number, accuracy: number | null) =>
      classification && accuracy !== null && achievable !== null
        ? accuracy >= achievable - 1e-9
        : loss <= OVERFIT_TARGET_RATIO * initialLoss;
    const result = await trainUntil(model, optimizer, ctx.data, {
      chunk: Math.min(CHUNK, base),
      baseSteps: base,
      maxSteps,
      batchSize: ids.length,
      seed: ctx.seed,
      pool: ids,
      classWeights: ctx.classWeights ?? undefined,
      evaluate: inferenceEvaluation(model, ctx.data, ids, ids.length, subSeed(ctx.seed, 'overfit-bn'), () => {
        const e = evaluate(model, ctx.data, ids);
        if (Number.isNaN(initialLoss)) initialLoss = e.loss;
        return e;
      }),
      reached: (c) => c.step > 0 && fitted(c.loss, c.accuracy),
      progressed: (a, b) =>
        headsFor(a, b, OVERFIT_TARGET_RATIO * initialLoss, MIN_CHUNK_PROGRESS, HORIZON_FACTOR * maxSteps),
      // The whole set is one batch with regularization off: the training step already shows a fit.
      stopWhen: (r) => fitted(r.dataLoss, r.accuracy),
      onStep: (s) => ctx.progress(progressFrom + s + 1, 2 * maxSteps),
    });
    return { result, initialLoss, removed };
  } finally {
    disposeModel(model, optimizer);
  }
}

export async function runOverfitProbe(ctx: ProbeContext): Promise<OverfitEvidence> {
  const ids = ctx.pool.slice(0, Math.min(ctx.budget.overfitRecords, ctx.pool.length));
  const achievable = ctx.task.kind === 'classification' ? achievableAccuracy(ctx, ids) : null;
  const maxSteps = MAX_BUDGET_FACTOR * ctx.budget.overfitSteps;
  const own = await fitRecords(ctx, ids, achievable, undefined, 0);
  // Only in doubt: the setup did not memorize the records within its budget.
  const reference =
    own.result.stopped !== 'target' && !isReference(ctx.optimizer, ctx.learningRate)
      ? await fitRecords(ctx, ids, achievable, tf.train.adam(REFERENCE_LR), maxSteps)
      : null;
  const final = own.result.checkpoints[own.result.checkpoints.length - 1];
  const refFinal = reference?.result.checkpoints[reference.result.checkpoints.length - 1];
  return {
    records: ids.length,
    steps: own.result.steps,
    loss: {
      steps: own.result.records.map((r) => r.step),
      values: own.result.records.map((r) => r.dataLoss),
    },
    initialLoss: own.initialLoss,
    finalLoss: final.loss,
    finalAccuracy: final.accuracy,
    removed: own.removed,
    maxSteps,
    stopped: own.result.stopped,
    achievableAccuracy: achievable,
    checkpoints: own.result.checkpoints,
    ...(reference && refFinal
      ? {
          reference: {
            optimizer: 'Adam',
            learningRate: REFERENCE_LR,
            steps: reference.result.steps,
            fitted: reference.result.stopped === 'target',
            finalLoss: refFinal.loss,
            finalAccuracy: refFinal.accuracy,
          },
        }
      : {}),
  };
}
