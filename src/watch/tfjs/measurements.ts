// What is measured after each step, as the schedule says: the step's loss (and accuracy), queued
// on the device and read back in one batch every `every` steps; the probe batch's activations;
// the validation records. It owns the losses not yet read back.
import * as tf from '@tensorflow/tfjs';
import type { TrainingLog } from '../training-log.ts';
import type { ProbeBatch } from './probe-batch.ts';
import type { ReadbackQueue } from './readback-queue.ts';
import type { Schedule } from './schedule.ts';
import type { ThreadTime } from './thread-time.ts';

export type StepValue = tf.Tensor | number | undefined;

export class Measurements {
  private pendingLoss: { step: number; loss: tf.Tensor; acc: tf.Tensor | null }[] = [];

  constructor(
    private readonly model: tf.LayersModel,
    private readonly schedule: Schedule,
    private readonly queue: ReadbackQueue,
    private readonly log: TrainingLog,
    private readonly time: ThreadTime,
    private readonly probe: ProbeBatch | null,
    private readonly validation: { x: tf.Tensor; y: tf.Tensor } | undefined,
  ) {}

  /** After the step whose index is `at`: the loss is queued, scheduled measurements run. */
  afterStep(at: number, loss: StepValue, acc: StepValue): void {
    this.time.time(() => {
      if (loss !== undefined) {
        const keep = (t: tf.Tensor | number) => tf.keep(t instanceof tf.Tensor ? t.clone() : tf.scalar(t));
        this.pendingLoss.push({ step: at, loss: keep(loss), acc: acc === undefined ? null : keep(acc) });
        if (this.pendingLoss.length >= this.schedule.every) this.flushLoss();
      }
      if (this.schedule.measuresActivations(at)) this.activations(false);
      if (this.schedule.measuresValidation(at)) this.validate(at);
    });
  }

  /** Activations of the probe batch; with the initial loss when asked (at the start of a fresh model's run). */
  activations(withLoss: boolean): void {
    this.probe?.measure(this.queue, this.log, withLoss);
  }

  /** Reads back the losses queued so far, in one readback. */
  flushLoss(): void {
    if (this.pendingLoss.length === 0) return;
    const batch = this.pendingLoss;
    this.pendingLoss = [];
    const withAcc = batch.every((p) => p.acc !== null);
    const stacked = tf.tidy(() =>
      tf.stack(
        batch.flatMap((p) =>
          withAcc ? [p.loss.reshape([]), (p.acc as tf.Tensor).reshape([])] : [p.loss.reshape([])],
        ),
      ),
    );
    tf.dispose(batch.flatMap((p) => (p.acc ? [p.loss, p.acc] : [p.loss])));
    const width = withAcc ? 2 : 1;
    this.queue.read(tf.keep(stacked), (v) => {
      batch.forEach((p, i) => {
        this.log.addLoss(p.step, v[i * width], withAcc ? v[i * width + 1] : undefined);
      });
    });
  }

  private validate(at: number): void {
    const v = this.validation;
    if (!v) return;
    const out = tf.keep(
      tf.tidy(() => {
        const r = this.model.evaluate(v.x, v.y.dtype === 'float32' ? v.y : v.y.toFloat(), { batchSize: 256 });
        const list = Array.isArray(r) ? r : [r];
        return tf.stack(list.map((s) => s.reshape([])));
      }),
    );
    this.queue.read(out, (vals) =>
      this.log.addValidation(at, vals[0], vals.length > 1 ? vals[1] : undefined),
    );
  }
}
