// The fix experiments (verified remedies), the TF.js side: the executor of the remedy search
// (remedies/search.ts decides which fix to try, on which seeds, and when to stop). Each arm's
// fixes are applied to clones of the model (never to the model itself) and trained with the same
// short instrumented run as the checkup's, one run per seed, scored on the held-out records; the
// first run's evidence of a fixed setup is kept for re-checking. Whether a fix counts as verified
// is a pure function of those scores (remedies/verdict.ts).
import * as tf from '@tensorflow/tfjs';
import type { DatasetEvidence, Evidence } from '../core/evidence.ts';
import { normalizeLossName } from '../core/names.ts';
import { subSeed } from '../core/random.ts';
import type { AppliedFix, RemedyEvidence, RemedyMetric, RemedyRun } from '../core/remedies.ts';
import type { CheckResult, Report } from '../core/report.ts';
import { fixById } from '../remedies/catalogue/index.ts';
import { accuracy, balancedAccuracy, labelAccuracy, predictedClasses, rSquared } from '../remedies/score.ts';
import {
  type ArmExecutor,
  type ArmFix,
  DEFAULT_REMEDY_BUDGET,
  type RemedyBudget,
  searchRemedies,
} from '../remedies/search.ts';
import type { Json } from '../remedies/topology.ts';
import { unstandardize } from '../remedies/transforms.ts';
import { describeModel } from '../tfjs/model-info.ts';
import { buildFixedSetup, type FixBase, type FixedSetup, type FixStep } from '../tfjs/patch.ts';
import { outputActivations } from '../tfjs/task.ts';
import { lossFunctionOf, type TrainingData } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, taskEvidence, trainableClone } from './context.ts';
import { datasetStats, type LabelView } from './dataset-stats.ts';
import { runTrainingProbe } from './training-run.ts';

/** How much the experiments may cost (defined with the search policy; exported here for checkup.ts). */
export { DEFAULT_REMEDY_BUDGET, type RemedyBudget };

/** Held-out records scored along a run (for the before/after curves); the final score uses all. */
const CURVE_RECORDS = 256;
const EVAL_CHUNK = 256;

export interface RemedyProbeInput {
  ctx: ProbeContext;
  evidence: Evidence;
  /** The checkup's check results and diagnosis (from the gathered evidence). */
  results: CheckResult[];
  diagnosis: Report['diagnosis'];
  /** The diagnosis of re-checked results, with the checkup's checks' cause ranks. */
  diagnose: (results: CheckResult[]) => Report['diagnosis'];
  /**
   * The checkup's checks, with its selection and thresholds, run again on a fixed setup's evidence
   * (the entry point passes it: probes/ does not import the registry).
   */
  recheck: (evidence: Evidence) => CheckResult[];
  /** The training records (before any validation records) and their label view, for re-checking the data. */
  training: { records: number; source: string; y: Float32Array; yShape: number[] };
  labels: LabelView;
  budget?: Partial<RemedyBudget>;
  progress(label: string, done: number, total: number): void;
}

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

function metricOf(ctx: ProbeContext): RemedyMetric {
  if (ctx.task.kind === 'regression') return 'r2';
  return ctx.task.labelEncoding === 'multi-hot' ? 'label-accuracy' : 'balanced-accuracy';
}

/** Outputs of `model` for the records, in chunks, record-major. */
function predict(model: tf.LayersModel, data: TrainingData, ids: Int32Array): Float32Array {
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

interface Scorer {
  metric: RemedyMetric;
  /** The user's loss function, on the original targets. */
  loss: LossFn;
  /** The original data (targets in the user's units). */
  data: TrainingData;
}

/** The held-out score, loss and accuracy of a (fixed) model; predictions are mapped back to the original target units. */
function score(
  scorer: Scorer,
  model: tf.LayersModel,
  fixed: FixedSetup,
  ids: Int32Array,
  withLoss: boolean,
): { score: number; loss: number; accuracy: number | null } {
  const outputs = predict(model, fixed.data, ids);
  if (fixed.targets) unstandardize(outputs, fixed.targets);
  const { data } = scorer;
  const width = data.targetShape.reduce((a, b) => a * b, 1);
  const units = Math.max(1, Math.round(outputs.length / Math.max(1, ids.length)));
  const truth = new Float32Array(ids.length * width);
  ids.forEach((id, i) => {
    truth.set(data.targets.subarray(id * width, id * width + width), i * width);
  });
  let loss = Number.NaN;
  if (withLoss) {
    const l = tf.tidy(() =>
      tf.mean(
        scorer.loss(
          tf.tensor(truth, [ids.length, ...data.targetShape]),
          tf.tensor(outputs, [ids.length, units]),
        ),
      ),
    );
    loss = l.dataSync()[0];
    l.dispose();
  }
  if (scorer.metric === 'r2') return { score: rSquared(outputs, truth, width), loss, accuracy: null };
  if (scorer.metric === 'label-accuracy') {
    const acc = labelAccuracy(outputs, truth);
    return { score: acc, loss, accuracy: acc };
  }
  const classIds = data.classIds as Int32Array;
  const truthIds = Int32Array.from(ids, (id) => classIds[id]);
  const predicted = predictedClasses(outputs, units);
  return { score: balancedAccuracy(predicted, truthIds), loss, accuracy: accuracy(predicted, truthIds) };
}

/** Resolves an arm's fixes for the adapter: catalogue ids to their fixes; fixes applied before stay as they are. */
function fixSteps(fixes: ArmFix[]): FixStep[] {
  return fixes.map((f) => {
    if ('changes' in f) return f;
    const fix = fixById(f.id);
    if (!fix) throw new Error(`unknown fix '${f.id}'`);
    return { fix, params: f.params };
  });
}

/** What the executor trains from: the checkup's setup and input, and the scorer of every run. */
interface ExecutorBase {
  input: RemedyProbeInput;
  base: FixBase;
  scorer: Scorer;
  /** Held-out records scored along a run. */
  curveIds: Int32Array;
}

/** One run of a fixed setup with one seed: the checkup's instrumented run, scored on the held-out records. */
async function runSeed(
  b: ExecutorBase,
  fixed: FixedSetup,
  seed: number,
  initSeed: number,
  progressLabel: string,
): Promise<{ run: RemedyRun; armCtx: ProbeContext; training: NonNullable<Evidence['training']> }> {
  const { ctx } = b.input;
  const armCtx: ProbeContext = {
    ...ctx,
    model: fixed.model,
    loss: fixed.loss,
    learningRate: fixed.setup.learningRate,
    classWeights: fixed.setup.classWeights
      ? Float32Array.from(fixed.setup.classWeights)
      : (ctx.classWeights ?? null),
    clipNorm: fixed.clipNorm,
    data: fixed.data,
    pool: fixed.pool,
    seed,
    task: { ...ctx.task, loss: fixed.setup.loss },
    progress: (done, total) => b.input.progress(progressLabel, done, total),
  };
  const curve = { steps: [] as number[], values: [] as number[] };
  let final = { score: Number.NaN, loss: Number.NaN, accuracy: null as number | null };
  const result = await runTrainingProbe(armCtx, {
    onEvaluate(model, step, isFinal) {
      if (isFinal) final = score(b.scorer, model, fixed, ctx.heldOut, true);
      else {
        curve.steps.push(step);
        curve.values.push(score(b.scorer, model, fixed, b.curveIds, false).score);
      }
    },
  });
  const run: RemedyRun = {
    seed,
    initSeed,
    score: final.score,
    loss: final.loss,
    accuracy: final.accuracy,
    curve,
    nonFinite: result.training.nonFiniteStep !== null,
  };
  return { run, armCtx, training: result.training };
}

/** The TF.js executor: builds each arm's fixed clones (never touching the model) and trains them, one seed after the other. */
function tfjsExecutor(b: ExecutorBase): ArmExecutor {
  return {
    async setupWith(chain) {
      const onTop = await buildFixedSetup(b.base, chain, subSeed(b.input.ctx.seed, 'remedy-init'));
      const topology = onTop.model.toJSON(null, false) as unknown as Json;
      onTop.model.dispose();
      return { setup: onTop.setup, topology };
    },
    async runArm(job) {
      const runs: RemedyRun[] = [];
      let applied: AppliedFix[] = [];
      let evidence: Evidence | undefined;
      const steps = fixSteps(job.fixes);
      for (const [k, seed] of job.seeds.entries()) {
        const initSeed = subSeed(seed, 'remedy-init');
        // The first seed resolves the fixes (fitting any data transform); the others reuse them.
        const fixed = await buildFixedSetup(b.base, k === 0 ? steps : applied, initSeed);
        if (k === 0) applied = fixed.applied;
        try {
          const label = `${job.label} ${k + 1}/${job.seeds.length}`;
          const { run, armCtx, training } = await runSeed(b, fixed, seed, initSeed, label);
          runs.push(run);
          if (k === 0 && job.withEvidence) evidence = fixedEvidence(b.input, fixed, armCtx, training);
        } finally {
          fixed.model.dispose();
        }
      }
      return { arm: { fixes: applied, runs }, evidence };
    },
  };
}

export async function runRemedyProbe(input: RemedyProbeInput): Promise<RemedyEvidence> {
  const { ctx } = input;
  const metric = metricOf(ctx);
  const scorer: Scorer = { metric, loss: await userLossFunction(ctx), data: ctx.data };
  const base: FixBase = {
    model: ctx.model,
    setup: {
      optimizer: ctx.optimizer.getClassName(),
      learningRate: ctx.learningRate,
      loss: normalizeLossName(ctx.task.loss),
      classWeights: ctx.classWeights ? Array.from(ctx.classWeights) : null,
    },
    loss: ctx.loss,
    data: ctx.data,
    pool: ctx.pool,
  };
  const curveIds = ctx.heldOut.subarray(0, Math.min(CURVE_RECORDS, ctx.heldOut.length));
  const outcome = await searchRemedies(
    {
      seed: ctx.seed,
      budget: { ...DEFAULT_REMEDY_BUDGET, ...input.budget },
      evidence: input.evidence,
      results: input.results,
      diagnosis: input.diagnosis,
      // The checks on a fixed setup's evidence (experiments other than its training run are not re-run).
      recheck: input.recheck,
      diagnose: input.diagnose,
    },
    tfjsExecutor({ input, base, scorer, curveIds }),
  );
  return {
    metric,
    seeds: outcome.seeds.length,
    steps: ctx.budget.trainSteps,
    heldOut: ctx.heldOut.length,
    stages: outcome.stages,
    findings: outcome.findings,
    ended: outcome.ended,
  };
}

/** The user's loss function (a compiled clone's), for scoring every arm in the same units. */
async function userLossFunction(ctx: ProbeContext): Promise<LossFn> {
  const { model, optimizer } = await trainableClone(ctx);
  try {
    return lossFunctionOf(model);
  } finally {
    disposeModel(model, optimizer);
  }
}

/** Evidence of the fixed setup: its model at the start, its data, its training run. */
function fixedEvidence(
  input: RemedyProbeInput,
  fixed: FixedSetup,
  armCtx: ProbeContext,
  training: NonNullable<Evidence['training']>,
): Evidence {
  const { evidence } = input;
  const task = { ...taskEvidence(armCtx), outputActivations: outputActivations(fixed.model) };
  const model = { ...describeModel(fixed.model), name: evidence.model?.name ?? fixed.model.name };
  return {
    source: 'tfjs',
    task,
    model,
    ...(evidence.dataset ? { dataset: fixedDataset(input, fixed, evidence.dataset) } : {}),
    training,
    unavailable: {},
  };
}

/** The dataset statistics after the fixes' data transforms (the training records only). */
function fixedDataset(
  input: RemedyProbeInput,
  fixed: FixedSetup,
  original: DatasetEvidence,
): DatasetEvidence {
  const changed = fixed.applied.some((f) => f.changes.inputs || f.changes.targets);
  let stats = original;
  if (changed) {
    const n = input.training.records;
    const size = fixed.data.featureShape.reduce((a, b) => a * b, 1);
    const width = fixed.data.targetShape.reduce((a, b) => a * b, 1);
    const labels: LabelView = input.labels.targets
      ? { ...input.labels, targets: fixed.data.targets.subarray(0, n * width) }
      : input.labels;
    stats = {
      ...datasetStats(
        fixed.data.x.subarray(0, n * size),
        [n, ...fixed.data.featureShape],
        input.training.y,
        labels,
        input.training.source,
      ),
      ...(original.inputKind ? { inputKind: original.inputKind } : {}),
    };
  }
  const counts = fixed.applied.find((f) => f.changes.oversampledCounts)?.changes.oversampledCounts;
  return counts ? { ...stats, classCounts: counts } : stats;
}
