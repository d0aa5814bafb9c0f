// Training until a target is reached, with a cap: the budget that tells "slow" from "broken".
//
// An experiment trains in chunks and evaluates after each one (inference mode, batch norm
// recalibrated). It stops as soon as the target is met; after its base budget it goes on only
// while the last chunk still made progress, up to a cap. So a setup that learns fast costs less
// than a fixed budget, a setup that learns slowly gets more steps, and one that has stopped
// learning is not trained further. Within a chunk, a probe may ask for an evaluation as soon as
// the training loss says the target may be met (`probeWhen`), so a run stops within a few steps
// of learning instead of at the end of its chunk. The checkpoints record the progress rate a check reports.
import type * as tf from '@tensorflow/tfjs';
import { subSeed } from '../core/random.ts';
import { recalibrateBatchNorm } from '../tfjs/batch-norm.ts';
import { type StepRecord, type TrainingData, train } from '../tfjs/trainer.ts';

export interface Checkpoint {
  step: number;
  loss: number;
  accuracy: number | null;
}

export interface UntilOptions {
  /** Steps between evaluations. */
  chunk: number;
  /** Steps always granted (unless the target is met earlier). */
  baseSteps: number;
  /** Hard cap on steps. */
  maxSteps: number;
  batchSize: number;
  seed: number;
  pool: Int32Array;
  classWeights?: Float32Array;
  /** Inference-mode evaluation of the model (after batch-norm recalibration). */
  evaluate: () => Checkpoint;
  /** The target: stop here. */
  reached: (c: Checkpoint) => boolean;
  /** Whether the last chunk made enough progress to be worth another one past the base budget. */
  progressed: (previous: Checkpoint, current: Checkpoint) => boolean;
  /** Ends a chunk early (e.g. the training batch already shows the target); evaluation follows. */
  stopWhen?: (record: StepRecord) => boolean;
  /**
   * A hint that the target may already be met (e.g. the training loss reached it): evaluate now,
   * between two steps, at most once every `probeGap` steps. When the evaluation meets the target
   * the run stops there; otherwise it is discarded and the chunk goes on with the same batches, so
   * the run is the one it would have been without the hint, only stopped sooner.
   */
  probeWhen?: (record: StepRecord) => boolean;
  /** Steps between two evaluations, at least (default 1). */
  probeGap?: number;
  onStep?: (step: number) => void;
}

export interface UntilResult {
  /** Evaluations after each chunk, the first at step 0 (before training). */
  checkpoints: Checkpoint[];
  steps: number;
  /** Training step after which the target was first met, else null. */
  reachedAt: number | null;
  stopped: 'target' | 'plateau' | 'cap' | 'non-finite';
  /** Per-step records of every chunk, steps numbered from 0 across chunks. */
  records: StepRecord[];
}

export async function trainUntil(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: TrainingData,
  options: UntilOptions,
): Promise<UntilResult> {
  const checkpoints: Checkpoint[] = [{ ...options.evaluate(), step: 0 }];
  const records: StepRecord[] = [];
  let steps = 0;
  let stopped: UntilResult['stopped'] = 'cap';
  if (options.reached(checkpoints[0])) {
    return { checkpoints, steps, reachedAt: 0, stopped: 'target', records };
  }
  const probeGap = Math.max(1, options.probeGap ?? 1);
  let sinceEvaluation = 0;
  for (let k = 0; steps < options.maxSteps; k++) {
    const n = Math.min(options.chunk, options.maxSteps - steps);
    const at = steps;
    let early = null as Checkpoint | null;
    const result = await train(model, optimizer, data, {
      steps: n,
      batchSize: options.batchSize,
      seed: subSeed(options.seed, `chunk-${k}`),
      pool: options.pool,
      classWeights: options.classWeights,
      stopWhen: (r) => {
        if (options.stopWhen?.(r)) return true;
        sinceEvaluation++;
        // Called every step: a hint may keep a window of recent losses.
        const hint = options.probeWhen?.(r) ?? false;
        if (!hint || sinceEvaluation < probeGap) return false;
        sinceEvaluation = 0;
        const c = { ...options.evaluate(), step: at + r.step + 1 };
        if (!options.reached(c)) return false;
        early = c;
        return true;
      },
      onStep: (s) => options.onStep?.(at + s),
    });
    for (const r of result.records) records.push({ ...r, step: at + r.step });
    steps += result.records.length;
    if (early) {
      checkpoints.push(early);
      return { checkpoints, steps, reachedAt: steps, stopped: 'target', records };
    }
    sinceEvaluation = 0;
    if (result.records.some((r) => !Number.isFinite(r.loss))) {
      stopped = 'non-finite';
      checkpoints.push({ step: steps, loss: Number.NaN, accuracy: null });
      break;
    }
    const current = { ...options.evaluate(), step: steps };
    const previous = checkpoints[checkpoints.length - 1];
    checkpoints.push(current);
    if (options.reached(current)) {
      return { checkpoints, steps, reachedAt: steps, stopped: 'target', records };
    }
    if (steps >= options.baseSteps && !options.progressed(previous, current)) {
      stopped = 'plateau';
      break;
    }
  }
  return { checkpoints, steps, reachedAt: null, stopped, records };
}

/**
 * Whether the stretch from `a` to `b` still heads for `target` fast enough to be worth more steps:
 * the loss fell by at least `minShare` of its value and, at the rate of that stretch, would reach
 * the target within `horizon` steps. A setup that inches along (Adam at 1e-6: the loss moves,
 * but would need a million steps) has stopped learning for every practical purpose.
 */
export function headsFor(
  a: Checkpoint,
  b: Checkpoint,
  target: number,
  minShare: number,
  horizon: number,
): boolean {
  const drop = a.loss - b.loss;
  if (!(drop > 0) || drop < minShare * a.loss) return false;
  const perStep = drop / Math.max(1, b.step - a.step);
  return (b.loss - target) / perStep <= horizon;
}

/** An evaluation function that first recalibrates batch norm on `calibration` records. */
export function inferenceEvaluation(
  model: tf.LayersModel,
  data: TrainingData,
  calibration: Int32Array,
  batchSize: number,
  seed: number,
  measure: () => Omit<Checkpoint, 'step'>,
): () => Checkpoint {
  return () => {
    recalibrateBatchNorm(model, data, calibration, batchSize, seed);
    const { loss, accuracy } = measure();
    return { step: 0, loss, accuracy };
  };
}
