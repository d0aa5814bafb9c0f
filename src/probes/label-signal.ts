// Shuffled-label control: the same setup trained on labels permuted across records, judged on
// held-out records with their real labels. A model that learns no more from the real labels
// than from shuffled ones is getting no signal from them.
//
// Shuffled labels are independent of the features, so that arm's expected held-out result is
// known: chance (the loss of predicting the label frequencies, a balanced accuracy of
// 1/classes). Judged imbalance-aware: on 95/5 data always predicting the majority is 95%
// accurate, so raw accuracy cannot tell real from shuffled labels; the prior-entropy loss and
// the balanced accuracy can. The shuffled arm is trained only when the real arm is close enough
// to chance for the comparison to matter, and not when the setup has learned nothing yet, not
// even its own training records, within fewer steps than it needed on the control corpus (then
// the comparison cannot tell anything and the check says so). When the real labels beat the
// shuffled ones by less than the margins, both arms train on (up to 4× the budget) before the
// verdict: a slow learner is not a model that gets no signal.
import type { LabelArm, LabelSignalEvidence } from '../core/evidence.ts';
import { createRng, permutation, subSeed } from '../core/random.ts';
import { maxOf } from '../shared/array.ts';
import { recalibrateBatchNorm } from '../tfjs/batch-norm.ts';
import { evaluate, train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';

/** inputs/label-signal's default margins: the real arm beats chance clearly beyond these. */
const CLEAR_LOSS_GAIN = 0.1;
const CLEAR_BALANCED_MARGIN = 0.05;
/** The real arm "fitted its own records" when its training loss fell below this fraction of chance. */
const FITTED_RATIO = 0.9;

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

/** Mean per-class recall of held-out predictions (single-label classification), else null. */
export function balancedAccuracy(ctx: ProbeContext, predictions: Int32Array | null): number | null {
  const ids = ctx.data.classIds;
  if (!ids || !predictions || !ctx.heldOut.length) return null;
  const hit = new Map<number, number>();
  const total = new Map<number, number>();
  ctx.heldOut.forEach((r, i) => {
    total.set(ids[r], (total.get(ids[r]) ?? 0) + 1);
    if (predictions[i] === ids[r]) hit.set(ids[r], (hit.get(ids[r]) ?? 0) + 1);
  });
  let sum = 0;
  for (const [c, n] of total) sum += (hit.get(c) ?? 0) / n;
  return sum / total.size;
}

export interface RealArm {
  loss: number;
  accuracy: number | null;
  predictions: Int32Array | null;
  /** The run's loss on its own training records after training, inference mode. */
  trainLoss: number | null;
}

export async function runLabelSignalProbe(
  ctx: ProbeContext,
  realRun: RealArm,
  chanceLoss: number,
  controlLearnedAtStep: number | null | undefined,
): Promise<LabelSignalEvidence> {
  const classes = ctx.task.labelEncoding === 'multi-hot' ? null : ctx.task.classes;
  const chanceBalanced = ctx.data.classIds && classes ? 1 / classes : null;
  const real: LabelSignalEvidence['real'] = {
    heldOutLoss: realRun.loss,
    heldOutAccuracy: realRun.accuracy,
    balancedAccuracy: balancedAccuracy(ctx, realRun.predictions),
    trainLoss: realRun.trainLoss,
  };
  const base = {
    steps: ctx.budget.trainSteps,
    real,
    chanceLoss,
    chanceAccuracy: majorityShare(ctx),
    chanceBalancedAccuracy: chanceBalanced,
    ...(controlLearnedAtStep !== undefined ? { controlLearnedAtStep } : {}),
  };
  const clear =
    realRun.loss <= (1 - CLEAR_LOSS_GAIN) * chanceLoss ||
    (real.balancedAccuracy !== null &&
      real.balancedAccuracy !== undefined &&
      chanceBalanced !== null &&
      real.balancedAccuracy >= chanceBalanced + CLEAR_BALANCED_MARGIN);
  if (clear) return { ...base, shuffled: null, shuffledSkipped: 'clear-signal' };
  const fitted = realRun.trainLoss !== null && realRun.trainLoss < FITTED_RATIO * chanceLoss;
  const learnsInBudget =
    controlLearnedAtStep === undefined ||
    (controlLearnedAtStep !== null && controlLearnedAtStep <= ctx.budget.trainSteps);
  if (!fitted && !learnsInBudget) return { ...base, shuffled: null, shuffledSkipped: 'nothing-learned' };
  const shuffledRun = await Arm.start(ctx, shuffledTargets(ctx));
  try {
    await shuffledRun.train(ctx.budget.trainSteps, 0);
    const shuffled = shuffledRun.measure();
    if (verdictOf(real, shuffled, chanceLoss, chanceBalanced) !== 'doubt') return { ...base, shuffled };
    // In doubt: real labels beat the null by a little. Both arms train on, in step, up to 4× the
    // budget, until the signal is clear; slow learners (recurrent layers) need the steps.
    const realRun = await Arm.start(ctx, ctx.data.targets);
    try {
      let steps = 0;
      let arms = { real, shuffled };
      while (steps < EXTENDED_FACTOR * ctx.budget.trainSteps) {
        await realRun.train(ctx.budget.trainSteps, steps);
        if (steps > 0) await shuffledRun.train(ctx.budget.trainSteps, steps);
        steps += ctx.budget.trainSteps;
        const measured = realRun.measure();
        arms = { real: { ...measured, trainLoss: realRun.trainLoss() }, shuffled: shuffledRun.measure() };
        if (verdictOf(arms.real, arms.shuffled, chanceLoss, chanceBalanced) !== 'doubt') break;
      }
      return { ...base, steps, real: arms.real, shuffled: arms.shuffled, extended: true };
    } finally {
      realRun.dispose();
    }
  } finally {
    shuffledRun.dispose();
  }
}

/** Clear signal, clearly none, or in between (real beats the null, but by less than the margins). */
function verdictOf(
  real: LabelArm,
  shuffled: LabelArm,
  chanceLoss: number,
  chanceBalanced: number | null,
): 'signal' | 'none' | 'doubt' {
  const reference = Math.min(shuffled.heldOutLoss, chanceLoss);
  const gain = reference > 0 ? 1 - real.heldOutLoss / reference : 0;
  const balancedRef =
    chanceBalanced !== null ? Math.max(chanceBalanced, shuffled.balancedAccuracy ?? chanceBalanced) : null;
  const margin =
    real.balancedAccuracy != null && balancedRef !== null ? real.balancedAccuracy - balancedRef : null;
  if (!Number.isFinite(real.heldOutLoss)) return 'none';
  if (gain >= CLEAR_LOSS_GAIN || (margin !== null && margin >= CLEAR_BALANCED_MARGIN)) return 'signal';
  return gain > 0 || (margin !== null && margin > 0) ? 'doubt' : 'none';
}

const EXTENDED_FACTOR = 4;

/** One arm of the control: a clone trained on given targets, continued chunk by chunk. */
class Arm {
  private constructor(
    private readonly ctx: ProbeContext,
    private readonly model: Awaited<ReturnType<typeof trainableClone>>['model'],
    private readonly optimizer: Awaited<ReturnType<typeof trainableClone>>['optimizer'],
    private readonly targets: Float32Array,
  ) {}

  static async start(ctx: ProbeContext, targets: Float32Array): Promise<Arm> {
    const { model, optimizer } = await trainableClone(ctx);
    return new Arm(ctx, model, optimizer, targets);
  }

  async train(steps: number, from: number): Promise<void> {
    const ctx = this.ctx;
    await train(this.model, this.optimizer, ctx.data, {
      steps,
      batchSize: ctx.batchSize,
      seed: subSeed(ctx.seed, `labels-${from}`),
      pool: ctx.pool,
      classWeights: ctx.classWeights ?? undefined,
      targets: this.targets,
      onStep: (s) => ctx.progress(from + s + 1, EXTENDED_FACTOR * ctx.budget.trainSteps),
    });
    const calibration = ctx.pool.subarray(0, Math.min(256, ctx.pool.length));
    recalibrateBatchNorm(
      this.model,
      { ...ctx.data, targets: this.targets },
      calibration,
      ctx.batchSize,
      subSeed(ctx.seed, `labels-bn-${from}`),
    );
  }

  /** Held-out results against the real labels. */
  measure(): LabelArm {
    const e = evaluate(this.model, this.ctx.data, this.ctx.heldOut);
    return {
      heldOutLoss: e.loss,
      heldOutAccuracy: e.accuracy,
      balancedAccuracy: balancedAccuracy(this.ctx, e.predictions),
    };
  }

  /** Loss on its own training records (with the targets it trained on). */
  trainLoss(): number {
    const ids = this.ctx.pool.subarray(0, Math.min(256, this.ctx.pool.length));
    return evaluate(this.model, { ...this.ctx.data, targets: this.targets }, ids).loss;
  }

  dispose(): void {
    disposeModel(this.model, this.optimizer);
  }
}

/** Accuracy of always predicting the most common held-out class. */
function majorityShare(ctx: ProbeContext): number | null {
  const ids = ctx.data.classIds;
  if (!ids || !ctx.heldOut.length) return null;
  const counts = new Map<number, number>();
  for (const i of ctx.heldOut) counts.set(ids[i], (counts.get(ids[i]) ?? 0) + 1);
  return maxOf(counts.values()) / ctx.heldOut.length;
}
