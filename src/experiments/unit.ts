// The scheduler's unit of work as plain data: what an experiment needs to rebuild its probe
// context in another thread — the model's topology and weights, the optimizer's class and config,
// the loss's name, the training settings, and the data (in SharedArrayBuffers: every worker reads
// the same memory, nothing is copied per worker).
import * as tf from '@tensorflow/tfjs';
import type { Budget, ProbeContext, ProbeTask } from '../probes/context.ts';
import { zeroInitializers } from '../tfjs/initializers.ts';
import type { TrainingData } from '../tfjs/trainer.ts';

export interface ExperimentUnit {
  /** `model.toJSON()` with zero initializers (the weights overwrite them). */
  topology: unknown;
  weights: { shape: number[]; dtype: tf.DataType; values: Float32Array | Int32Array | Uint8Array }[];
  optimizer: { className: string; config: tf.serialization.ConfigDict };
  loss: string;
  learningRate: number | null;
  batchSize: number;
  seed: number;
  budget: Budget;
  task: ProbeTask;
  data: TrainingData;
  pool: Int32Array;
  heldOut: Int32Array;
  classWeights: Float32Array | null;
  clipNorm?: number;
}

/** A copy of `array` in shared memory. */
function shared<T extends Float32Array | Int32Array>(array: T): T {
  const Ctor = array.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(array.length * Ctor.BYTES_PER_ELEMENT));
  out.set(array);
  return out;
}

/** The training data in SharedArrayBuffers (copied once; workers then share it). */
export function sharedData(data: TrainingData): TrainingData {
  return {
    ...data,
    x: shared(data.x),
    targets: shared(data.targets),
    classIds: data.classIds ? shared(data.classIds) : null,
  };
}

/**
 * The context as a unit of work, or null when part of it cannot leave this thread (a loss given as
 * a function): then its experiments run here.
 */
export function unitOf(ctx: ProbeContext, data: TrainingData): ExperimentUnit | null {
  if (typeof ctx.loss !== 'string') return null;
  return {
    topology: zeroInitializers(ctx.model.toJSON(null, false)),
    weights: ctx.model.getWeights().map((w) => ({
      shape: w.shape,
      dtype: w.dtype,
      values: w.dataSync() as Float32Array | Int32Array | Uint8Array,
    })),
    optimizer: { className: ctx.optimizer.getClassName(), config: ctx.optimizer.getConfig() },
    loss: ctx.loss,
    learningRate: ctx.learningRate,
    batchSize: ctx.batchSize,
    seed: ctx.seed,
    budget: ctx.budget,
    task: ctx.task,
    data,
    pool: ctx.pool,
    heldOut: ctx.heldOut,
    classWeights: ctx.classWeights ?? null,
    ...(ctx.clipNorm !== undefined ? { clipNorm: ctx.clipNorm } : {}),
  };
}

/** Rebuilds the probe context of a unit (in a worker): a model with the unit's weights and an optimizer template. */
export async function contextOf(
  unit: ExperimentUnit,
  progress: ProbeContext['progress'],
): Promise<{ ctx: ProbeContext; dispose(): void }> {
  const model = await tf.models.modelFromJSON({ modelTopology: unit.topology } as tf.io.ModelJSON as never);
  const weights = unit.weights.map((w) => tf.tensor(w.values, w.shape, w.dtype));
  try {
    model.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[unit.optimizer.className];
  if (!entry) {
    model.dispose();
    throw new Error(`cannot recreate optimizer ${unit.optimizer.className}`);
  }
  const optimizer = entry[1](entry[0], unit.optimizer.config) as tf.Optimizer;
  const { topology: _t, weights: _w, optimizer: _o, ...settings } = unit;
  const ctx: ProbeContext = { ...settings, model, optimizer, progress };
  return {
    ctx,
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}
