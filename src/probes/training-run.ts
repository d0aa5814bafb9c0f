// The instrumented run: the user's setup trained for a short budget, measuring per step the
// data and regularization losses, each variable's gradient norm and update ratio, and the
// hidden layers' activations before and after. Its held-out evaluation is reused as the
// "real labels" arm of the label-signal control and the "plain" arm of the rebalancing A/B.
import type * as tf from '@tensorflow/tfjs';
import type { ActivationStats, Series, TrainingEvidence, WeightTelemetry } from '../core/evidence.ts';
import { subSeed } from '../core/random.ts';
import { activationProbe } from '../tfjs/activations.ts';
import { batchNormLayers, recalibrateBatchNorm } from '../tfjs/batch-norm.ts';
import { kernelWeightName } from '../tfjs/model-info.ts';
import { batchTensors, evaluate, NO_GRADIENT, type StepRecord, train } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';

const VAL_RECORDS = 256;
const VAL_POINTS = 10;

export interface TrainingRunResult {
  training: TrainingEvidence;
  /** The training records `initialLoss`/`finalLoss` were measured on (inference mode). */
  evalIds: Int32Array;
  /** Held-out evaluation of the trained clone (null without held-out records). */
  heldOut: { loss: number; accuracy: number | null; predictions: Int32Array | null } | null;
}

function series(records: StepRecord[], pick: (r: StepRecord) => number): Series {
  return { steps: records.map((r) => r.step), values: records.map(pick) };
}

function measureActivations(ctx: ProbeContext, probe: ReturnType<typeof activationProbe>): ActivationStats[] {
  if (!probe) return [];
  const n = Math.min(ctx.budget.activationRecords, ctx.pool.length);
  const { x, y } = batchTensors(ctx.data, ctx.pool.subarray(0, n));
  try {
    return probe.measure(x);
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Looks at the model while it trains (the fix experiments score it on held-out records). */
export interface TrainingRunHooks {
  /**
   * After batch-norm recalibration, at each held-out loss point of the run (`final` false) and
   * once after the run (`final` true); `step` is the last step trained.
   */
  onEvaluate?(model: tf.LayersModel, step: number, final: boolean): void;
}

export async function runTrainingProbe(
  ctx: ProbeContext,
  hooks: TrainingRunHooks = {},
): Promise<TrainingRunResult> {
  const { model, optimizer } = await trainableClone(ctx);
  try {
    const probe = activationProbe(model);
    const initialIds = ctx.pool.subarray(
      0,
      Math.min(ctx.pool.length, Math.max(128, ctx.budget.activationRecords)),
    );
    // Inference-mode measurements see batch norm as training does (see tfjs/batch-norm.ts).
    const hasBatchNorm = batchNormLayers(model).length > 0;
    let calibrations = 0;
    const calibrate = () => {
      if (hasBatchNorm)
        recalibrateBatchNorm(
          model,
          ctx.data,
          initialIds,
          ctx.batchSize,
          subSeed(ctx.seed, `bn-${calibrations++}`),
        );
    };
    calibrate();
    const start = measureActivations(ctx, probe);
    const initialLoss = evaluate(model, ctx.data, initialIds).loss;

    // Held-out loss at ~10 points of the run (cheap: inference on ≤ 256 records) for loss/overfitting.
    const valIds = ctx.heldOut.subarray(0, Math.min(VAL_RECORDS, ctx.heldOut.length));
    const valEvery = Math.max(1, Math.round(ctx.budget.trainSteps / VAL_POINTS));
    const valLoss: Series = { steps: [], values: [] };
    const result = await train(model, optimizer, ctx.data, {
      steps: ctx.budget.trainSteps,
      batchSize: ctx.batchSize,
      seed: ctx.seed,
      pool: ctx.pool,
      classWeights: ctx.classWeights ?? undefined,
      clipNorm: ctx.clipNorm,
      instrument: true,
      onStep: (s) => {
        if (valIds.length && (s + 1) % valEvery === 0) {
          calibrate();
          valLoss.steps.push(s);
          valLoss.values.push(evaluate(model, ctx.data, valIds).loss);
          hooks.onEvaluate?.(model, s, false);
        }
        ctx.progress(s + 1, ctx.budget.trainSteps);
      },
    });
    calibrate();
    hooks.onEvaluate?.(model, result.records.length - 1, true);
    const end = measureActivations(ctx, probe);
    probe?.dispose();
    const finalLoss = evaluate(model, ctx.data, initialIds).loss;
    const records = result.records;

    const weights: WeightTelemetry[] = [];
    const layerDepth = new Map<string, number>();
    for (const v of result.variables) if (!layerDepth.has(v.layer)) layerDepth.set(v.layer, layerDepth.size);
    result.variables.forEach((v, i) => {
      weights.push({
        layer: v.layer,
        weight: v.name,
        kind: kernelWeightName(v.shortName) ? 'kernel' : /bias/.test(v.shortName) ? 'bias' : 'other',
        depth: layerDepth.get(v.layer) ?? 0,
        steps: records.map((r) => r.step),
        gradNorm: records.map((r) => (r.gradNorms?.[i] === NO_GRADIENT ? null : (r.gradNorms?.[i] ?? null))),
        updateRatio: records.map((r) => {
          const u = r.updateNorms?.[i] ?? 0;
          const w = r.weightNorms?.[i] ?? 0;
          return w > 0 ? u / w : u > 0 ? Number.POSITIVE_INFINITY : 0;
        }),
        weightNorm: records.map((r) => r.weightNorms?.[i] ?? 0),
        weightStd: records.map((r) => r.weightStds?.[i] ?? 0),
      });
    });
    const firstBad = records.find((r) => !Number.isFinite(r.loss) || !Number.isFinite(r.dataLoss));
    const classification = ctx.task.kind === 'classification';
    const training: TrainingEvidence = {
      optimizer: ctx.optimizer.getClassName(),
      learningRate: ctx.learningRate,
      batchSize: ctx.batchSize,
      loss: series(records, (r) => r.loss),
      dataLoss: series(records, (r) => r.dataLoss),
      regLoss: series(records, (r) => r.regLoss),
      ...(classification ? { accuracy: series(records, (r) => r.accuracy ?? Number.NaN) } : {}),
      ...(valLoss.steps.length ? { valLoss } : {}),
      initialLoss,
      finalLoss,
      nonFiniteStep: firstBad ? firstBad.step : null,
      gradNorm: series(records, (r) => r.globalGradNorm ?? Number.NaN),
      weights,
      noGradient: result.noGradient,
      ...(start.length ? { activations: { start, end } } : {}),
    };
    const heldOut = ctx.heldOut.length ? evaluate(model, ctx.data, ctx.heldOut) : null;
    return { training, heldOut, evalIds: initialIds };
  } finally {
    disposeModel(model, optimizer);
  }
}
