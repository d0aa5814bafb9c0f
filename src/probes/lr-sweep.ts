// LR range test (Smith 2017): one short run whose learning rate grows log-linearly each step;
// the smoothed loss against the LR shows where training works and where it diverges.
import type { LrSweepEvidence } from '../core/evidence.ts';
import { hasRecurrentLayer } from '../tfjs/model-info.ts';
import { train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';

export const SWEEP_MIN_LR = 1e-6;
export const SWEEP_MAX_LR = 10;
/** Smoothed loss above this multiple of the best so far counts as diverged. */
const DIVERGENCE_FACTOR = 4;
const SMOOTHING = 0.8;
/**
 * Recurrent nets take more steps at a rate before their loss moves (gates saturate, gradients
 * pass through every time step): at the base budget (~9 steps per decade) an LSTM that Adam 1e-3
 * trains well showed no rate doing better. The sweep still stops once it passed divergence.
 */
export const RECURRENT_SWEEP_FACTOR = 3;

/** Steps of the sweep for this model: the base budget, more for recurrent nets. */
export function sweepSteps(ctx: Pick<ProbeContext, 'model' | 'budget'>): number {
  return ctx.budget.sweepSteps * (hasRecurrentLayer(ctx.model) ? RECURRENT_SWEEP_FACTOR : 1);
}

export async function runLrSweepProbe(ctx: ProbeContext): Promise<LrSweepEvidence> {
  const steps = sweepSteps(ctx);
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
