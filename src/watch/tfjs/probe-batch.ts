// The probe batch: a fixed batch of inputs whose hidden activations are measured on the schedule,
// in one forward pass with the model's output, so that the first measurement also gives the
// initial loss (labels given, fresh model). It owns its tensors until `dispose()`.
import * as tf from '@tensorflow/tfjs';
import { hiddenOutputs } from '../../tfjs/activations.ts';
import { lossFunctionOf } from '../../tfjs/trainer.ts';
import type { TrainingLog } from '../training-log.ts';
import { activationStats, activationSums, type ProbeLayer } from './device-stats.ts';
import type { ReadbackQueue } from './readback-queue.ts';

/** Records of the probe batch used at most (dead-relu needs ≥ 256 to fail). */
export const PROBE_RECORDS = 256;

export type ProbeOption = tf.Tensor | { x: tf.Tensor; y?: tf.Tensor };

export class ProbeBatch {
  private constructor(
    private readonly model: tf.LayersModel,
    /** The probe model: the hidden layers' outputs, then (when it could join) the model's output. */
    private readonly probeModel: tf.LayersModel,
    private readonly layers: ProbeLayer[],
    private readonly x: tf.Tensor,
    /** Labels, float32 as fit feeds them; null without labels or without the model's output. */
    private readonly y: tf.Tensor | null,
  ) {}

  /** The probe batch of `option` (its first PROBE_RECORDS records), or null without inputs or hidden layers. */
  static of(model: tf.LayersModel, option: ProbeOption | undefined): ProbeBatch | null {
    const probeX = option instanceof tf.Tensor ? option : option?.x;
    const probeY = option instanceof tf.Tensor ? undefined : option?.y;
    if (!probeX) return null;
    const hidden = hiddenOutputs(model);
    if (!hidden) return null;
    const n = Math.min(PROBE_RECORDS, probeX.shape[0]);
    // The hidden layers' outputs and the model's output in one forward pass: the initial loss
    // comes with the first activation measurement, not from a second pass.
    let both: tf.LayersModel = hidden.probeModel;
    try {
      both = tf.model({ inputs: model.inputs, outputs: [...hidden.probeModel.outputs, model.outputs[0]] });
    } catch {
      // a model whose output cannot join the probe: activations only
    }
    const x = tf.keep(probeX.slice(0, n));
    // float32 as fit feeds it (TF.js losses floor sparse labels, which int32 cannot be).
    const y = probeY && both !== hidden.probeModel ? tf.tidy(() => probeY.slice(0, n).toFloat()) : null;
    return new ProbeBatch(model, both, hidden.layers, x, y);
  }

  /** Measures the activations (and the loss, when asked and labels are there) and queues their readback into `log`. */
  measure(queue: ReadbackQueue, log: TrainingLog, withLoss: boolean): void {
    const lossToo = withLoss && this.y !== null;
    const sums = tf.keep(tf.tidy(() => this.sums(lossToo)));
    queue.read(sums, (v) => {
      log.addActivations(activationStats(v, this.layers, this.x.shape[0]));
      if (lossToo) log.initialLoss = v[v.length - 1];
    });
  }

  dispose(): void {
    tf.dispose(this.y ? [this.x, this.y] : [this.x]);
  }

  private sums(lossToo: boolean): tf.Tensor {
    const out = this.probeModel.predict(this.x);
    const outs = Array.isArray(out) ? out : [out];
    const hidden = activationSums(outs.slice(0, this.layers.length), this.layers);
    if (!lossToo) return hidden;
    const final = outs[this.layers.length];
    const loss = tf.mean(lossFunctionOf(this.model)(this.y as tf.Tensor, final)).reshape([1]);
    return tf.concat([hidden, loss]);
  }
}
