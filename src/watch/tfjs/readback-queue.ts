// The asynchronous read-back queue: tensors kept on the device are read with `data()` (never
// `dataSync()` on the training path), their values handed on, and the tensors freed. It owns the
// readbacks in flight: `settle()` waits for them, `close()` drops whatever arrives after it.
import type * as tf from '@tensorflow/tfjs';

export class ReadbackQueue {
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  /** `afterRead(urgent)` runs after each readback's values were used; urgent when asked or when a value is not finite. */
  constructor(private readonly afterRead: (urgent: boolean) => void) {}

  /** Reads a kept tensor back without blocking, then hands its values on and frees it. */
  read(t: tf.Tensor, use: (values: Float32Array) => void, urgent = false): void {
    this.track(
      (t.data() as Promise<Float32Array>).then(
        (values) => {
          t.dispose();
          if (this.closed) return;
          use(values);
          this.afterRead(urgent || values.some((v) => !Number.isFinite(v)));
        },
        () => t.dispose(),
      ),
    );
  }

  /** Waits for the readbacks in flight, including those queued while waiting. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Values read back from now on are dropped (their tensors are still freed). */
  close(): void {
    this.closed = true;
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    p.finally(() => this.pending.delete(p)).catch(() => {});
  }
}
