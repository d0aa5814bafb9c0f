// LR range test (Smith 2017): one short run whose learning rate grows log-linearly each step;
// the smoothed loss against the LR shows where training works and where it diverges.
import type { LrSweepEvidence } from '../core/evidence.ts';
import { train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';

export const SWEEP_MIN_LR = 1e-6;
export const SWEEP_MAX_LR = 10;
/** Smoothed loss above this multiple of the best so far counts as diverged. */
const DIVERGENCE_FACTOR = 4;
const SMOOTHING = 0.8;

export async function runLrSweepProbe(ctx: ProbeContext): Promise<LrSweepEvidence> {
  const steps = ctx.budget.sweepSteps;
  const lrAt = (step: number) =>
    SWEEP_MIN_LR * (SWEEP_MAX_LR / SWEEP_MIN_LR) ** (step / Math.max(1, steps - 1));
  const { model, optimizer } = await trainableClone(ctx, { learningRate: SWEEP_MIN_LR });
  try {
    let avg = 0;
    let best = Number.POSITIVE_INFINITY;
    const lrs: number[] = [];
    const losses: number[] = [];
    let divergedAtLr: number | null = null;
    await train(model, optimizer, ctx.data, {
      steps,
      batchSize: ctx.batchSize,
      seed: ctx.seed,
      pool: ctx.pool,
      lrAt,
      onStep: (s) => ctx.progress(s + 1, steps),
      stopWhen: (r) => {
        const lr = lrAt(r.step);
        if (!Number.isFinite(r.dataLoss)) {
          divergedAtLr = lr;
          return true;
        }
        avg = SMOOTHING * avg + (1 - SMOOTHING) * r.dataLoss;
        const smoothed = avg / (1 - SMOOTHING ** (r.step + 1));
        lrs.push(lr);
        losses.push(smoothed);
        best = Math.min(best, smoothed);
        if (r.step > 2 && smoothed > DIVERGENCE_FACTOR * best) {
          divergedAtLr = lr;
          return true;
        }
        return false;
      },
    });
    const startLoss = losses[0] ?? Number.NaN;
    const minAt = losses.indexOf(best);
    // One decade under the loss minimum: the usual pick, safely before divergence.
    const suggestedLr = minAt > 0 && best < startLoss ? lrs[minAt] / 10 : null;
    return {
      lrs,
      losses,
      startLoss,
      configuredLr: ctx.learningRate,
      suggestedLr,
      minLoss: best,
      divergedAtLr,
    };
  } finally {
    disposeModel(model, optimizer);
  }
}
