// One run of a fix experiment's arm, as plain data in and out, so that it can run in a worker
// thread: the checkup's instrumented run on a fixed setup, returning its training evidence and the
// raw outputs on the held-out records at each evaluation point (the caller scores them: scoring
// reads the user's loss and target units, which stay in the caller's thread).
import * as tf from '@tensorflow/tfjs';
import type { TrainingEvidence } from '../core/evidence.ts';
import type { TrainingData } from '../tfjs/trainer.ts';
import type { ProbeContext } from './context.ts';
import { runTrainingProbe } from './training-run.ts';

const EVAL_CHUNK = 256;

/** Outputs of `model` for the records, in chunks, record-major. */
export function predict(model: tf.LayersModel, data: TrainingData, ids: Int32Array): Float32Array {
  const size = data.featureShape.reduce((a, b) => a * b, 1);
  const parts: Float32Array[] = [];
  for (let start = 0; start < ids.length; start += EVAL_CHUNK) {
    const chunk = ids.subarray(start, start + EVAL_CHUNK);
    const xb = new Float32Array(chunk.length * size);
    chunk.forEach((id, i) => {
      xb.set(data.x.subarray(id * size, id * size + size), i * size);
    });
    const out = tf.tidy(() => {
      const x = tf.tensor(xb, [chunk.length, ...data.featureShape]);
      const y = model.apply(x, { training: false }) as tf.Tensor;
      return y.reshape([chunk.length, -1]);
    });
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Held-out records an arm's run is scored on: a few along the run, all of them at its end. */
export interface ArmEvalIds {
  curve: Int32Array;
  final: Int32Array;
}

export interface ArmRunOutputs {
  training: TrainingEvidence;
  /** Outputs on `curve` at each evaluation point along the run (its last step trained). */
  curve: { step: number; outputs: Float32Array }[];
  /** Outputs on `final` after the run. */
  final: Float32Array;
}

/** Trains the fixed setup of `ctx` with the checkup's instrumented run and collects its outputs. */
export async function runArmSeed(ctx: ProbeContext, ids: ArmEvalIds): Promise<ArmRunOutputs> {
  const curve: ArmRunOutputs['curve'] = [];
  let final: Float32Array = new Float32Array(0);
  const result = await runTrainingProbe(ctx, {
    onEvaluate(model, step, isFinal) {
      if (isFinal) final = predict(model, ctx.data, ids.final);
      else curve.push({ step, outputs: predict(model, ctx.data, ids.curve) });
    },
  });
  return { training: result.training, curve, final };
}
