// Fresh model or trained checkpoint? People save models after training, and a trained
// checkpoint is the usual `--model` input. The checklist's "at initialization" items (initial
// loss vs chance, initial weight scale and symmetry, activation scale through depth) mean
// nothing on trained weights (a checkpoint's loss of 0.13 is not a wrong ln 10), and the
// experiments ask whether the *setup* learns, which a converged checkpoint cannot show (its loss
// is already flat). So for a checkpoint every experiment and every at-initialization check runs
// on a re-initialized clone of the same architecture (its layers' own initializers; frozen
// layers keep their weights), and the checkpoint itself is measured as it is: its loss on the
// data and its units' activations (dead or saturated units in the trained model).
//
// The weights count as trained when any of these holds (model-info.ts gives the first three):
// a kernel's std is off its initializer's by more than 2×; most entries of a constant-initialized
// bias moved off the constant; batch-norm moving statistics moved off 0/1; or the model's loss
// on the data is below half the loss of knowing only the label frequencies (a fresh model sits
// near that chance level).
import type * as tf from '@tensorflow/tfjs';
import type { CheckpointEvidence, ModelEvidence } from '../core/evidence.ts';
import { subSeed } from '../core/random.ts';
import { fmt } from '../shared/format.ts';
import { activationProbe } from '../tfjs/activations.ts';
import { cloneModel, reinitializedClone } from '../tfjs/clone.ts';
import { batchTensors, evaluate } from '../tfjs/trainer.ts';
import { priorChanceLoss } from './chance.ts';
import type { ProbeContext } from './context.ts';

/** Below this fraction of the chance loss the model has learned something: trained. */
const TRAINED_LOSS_RATIO = 0.5;
const RECORDS = 256;

export interface CheckpointAssessment {
  /** Evidence about the checkpoint as given; null when the weights look fresh. */
  checkpoint: CheckpointEvidence | null;
  /** The model the experiments run on: a re-initialized clone for a checkpoint, else null (the model). */
  reinitialized: tf.LayersModel | null;
}

export async function assessCheckpoint(
  ctx: ProbeContext,
  model: ModelEvidence,
): Promise<CheckpointAssessment> {
  const ids = ctx.pool.subarray(0, Math.min(RECORDS, ctx.pool.length));
  // The user's model may not be compiled (a loss given by flag): evaluate a compiled copy.
  const { model: copy } = await cloneModel(ctx.model);
  let loss: number;
  let accuracy: number | null;
  let activations: CheckpointEvidence['activations'] = [];
  try {
    copy.compile({ loss: ctx.loss as never, optimizer: 'sgd' });
    ({ loss, accuracy } = evaluate(copy, ctx.data, ids));
    const signals = [...(model.trainedSignals ?? [])];
    const chance = priorChanceLoss(ctx.task.loss, ctx.data, ids);
    if (chance !== null && chance > 0 && loss < TRAINED_LOSS_RATIO * chance)
      signals.push(`its loss on your data, ${fmt(loss)}, is below half the chance loss ${fmt(chance)}`);
    if (!signals.length) return { checkpoint: null, reinitialized: null };
    const probe = activationProbe(copy);
    if (probe) {
      const { x, y } = batchTensors(ctx.data, ids);
      try {
        activations = probe.measure(x);
      } finally {
        x.dispose();
        y.dispose();
      }
    }
    return {
      checkpoint: {
        signals,
        records: ids.length,
        loss,
        accuracy,
        chanceLoss: chance,
        activations,
        kernels: model.kernels,
      },
      reinitialized: await reinitializedClone(ctx.model, subSeed(ctx.seed, 'reinitialize')),
    };
  } finally {
    copy.dispose();
  }
}
