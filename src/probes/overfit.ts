// Overfit a handful of records with regularization switched off: a model that cannot memorize
// 50 records has a bug in the model, the loss or the training code.
import type { OverfitEvidence } from '../core/evidence.ts';
import { evaluate, train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';

export async function runOverfitProbe(ctx: ProbeContext): Promise<OverfitEvidence> {
  const { model, optimizer, removed } = await trainableClone(ctx, { withoutRegularization: true });
  try {
    const ids = ctx.pool.slice(0, Math.min(ctx.budget.overfitRecords, ctx.pool.length));
    const initialLoss = evaluate(model, ctx.data, ids).loss;
    const classification = ctx.task.kind === 'classification';
    const result = await train(model, optimizer, ctx.data, {
      steps: ctx.budget.overfitSteps,
      batchSize: ids.length,
      seed: ctx.seed,
      pool: ids,
      onStep: (s) => ctx.progress(s + 1, ctx.budget.overfitSteps),
      // Stop once fitted: every record right (classification) or loss under 1% of the start.
      stopWhen: (r) =>
        classification
          ? r.accuracy === 1 && r.dataLoss < 0.05 * initialLoss
          : r.dataLoss < 0.01 * initialLoss,
    });
    const final = evaluate(model, ctx.data, ids);
    return {
      records: ids.length,
      steps: result.records.length,
      loss: { steps: result.records.map((r) => r.step), values: result.records.map((r) => r.dataLoss) },
      initialLoss,
      finalLoss: final.loss,
      finalAccuracy: final.accuracy,
      removed,
    };
  } finally {
    disposeModel(model, optimizer);
  }
}
