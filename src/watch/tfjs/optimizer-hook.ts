// The optimizer hook: the optimizer's `applyGradients` is wrapped (an own property set on the
// optimizer instance: callbacks never see gradients) so that at each scheduled step the gradients
// and the update are reduced on the device to per-variable sums of squares (device-stats.ts), with
// the weight-penalty loss when the model has one, and read back asynchronously. `restore()` deletes
// the own property, or puts back one the optimizer already had. It owns what it wrapped.
import * as tf from '@tensorflow/tfjs';
import type { TrainingLog } from '../training-log.ts';
import { afterStep, beforeStep } from './device-stats.ts';
import type { ReadbackQueue } from './readback-queue.ts';
import type { Schedule } from './schedule.ts';
import type { ThreadTime } from './thread-time.ts';

type GradientArg = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
type ApplyGradients = (gradients: GradientArg) => void;

export interface HookDeps {
  model: tf.LayersModel;
  /** The model's trainable variables, in the training log's order. */
  variables: tf.Variable[];
  schedule: Schedule;
  queue: ReadbackQueue;
  log: TrainingLog;
  time: ThreadTime;
  /** Whether the weight-penalty loss is measured too. */
  hasRegularizers: () => boolean;
}

export class OptimizerHook {
  private hooked: { optimizer: tf.Optimizer; own: ApplyGradients | undefined } | null = null;
  private readonly names: string[];

  constructor(private readonly deps: HookDeps) {
    this.names = deps.variables.map((v) => v.name);
  }

  /** The optimizer's steps are watched (and counted by the hook). */
  get installed(): boolean {
    return this.hooked !== null;
  }

  /** Wraps `optimizer.applyGradients` (once: a second call while installed does nothing). */
  install(optimizer: tf.Optimizer): void {
    if (this.hooked) return;
    const target = optimizer as unknown as { applyGradients: ApplyGradients };
    const own = Object.hasOwn(optimizer, 'applyGradients') ? target.applyGradients : undefined;
    const original = target.applyGradients;
    const hook = this;
    target.applyGradients = function watched(this: tf.Optimizer, gradients: GradientArg) {
      const at = hook.deps.schedule.steps;
      if (!hook.deps.schedule.measuresGradients(at)) {
        hook.deps.schedule.stepDone();
        return original.call(this, gradients);
      }
      hook.measuredStep(at, () => original.call(this, gradients), gradients);
    };
    this.hooked = { optimizer, own };
  }

  /** Puts back what `install` wrapped. */
  restore(): void {
    if (!this.hooked) return;
    const target = this.hooked.optimizer as unknown as Record<string, unknown>;
    if (this.hooked.own) target.applyGradients = this.hooked.own;
    else delete target.applyGradients;
    this.hooked = null;
  }

  /** A scheduled step: Σg² and the weights before it, the step, then Σ(ΔW)² and the weights' sums, queued for readback. */
  private measuredStep(at: number, apply: () => void, gradients: GradientArg): void {
    const { variables, model, schedule, time } = this.deps;
    const began = performance.now();
    const byName = Array.isArray(gradients)
      ? new Map(gradients.map((g) => [g.name, g.tensor] as const))
      : new Map(Object.entries(gradients));
    const { gradSq, before } = beforeStep(variables, (i) => byName.get(this.names[i]));
    time.since(began);
    apply();
    const after = performance.now();
    const sums = afterStep(variables, gradSq, before);
    const regularized = this.deps.hasRegularizers();
    const reg = regularized
      ? tf.tidy(() => tf.addN(model.calculateLosses() as tf.Tensor[]).reshape([1]))
      : null;
    const out = tf.keep(reg ? tf.concat([sums, reg]) : sums);
    if (reg) {
      sums.dispose();
      reg.dispose();
    }
    schedule.stepDone();
    this.readBack(at, out, regularized);
    time.since(after);
  }

  private readBack(at: number, out: tf.Tensor, regularized: boolean): void {
    const V = this.deps.variables.length;
    this.deps.queue.read(out, (v) => {
      this.deps.log.addTelemetry(at, {
        gradSq: v.subarray(0, V),
        updateSq: v.subarray(V, 2 * V),
        weightSq: v.subarray(2 * V, 3 * V),
        weightSum: v.subarray(3 * V, 4 * V),
      });
      if (regularized) this.deps.log.addRegularization(at, v[4 * V]);
    });
  }
}
