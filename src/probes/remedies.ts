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
import type { RemedyEvidence, RemedyMetric, RemedyRun } from '../core/remedies.ts';
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
import { Lanes } from '../shared/lanes.ts';
import { describeModel } from '../tfjs/model-info.ts';
import { buildFixedSetup, type FixBase, type FixedSetup, type FixStep } from '../tfjs/patch.ts';
import { outputActivations } from '../tfjs/task.ts';
import { lossFunctionOf, type TrainingData } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, taskEvidence, trainableClone } from './context.ts';
import { datasetStats, type LabelView } from './dataset-stats.ts';
import { type ArmEvalIds, type ArmRunOutputs, runArmSeed } from './remedy-run.ts';

/** How much the experiments may cost (defined with the search policy; exported here for checkup.ts). */
export { DEFAULT_REMEDY_BUDGET, type RemedyBudget };

/** Held-out records scored along a run (for the before/after curves); the final score uses all. */
const CURVE_RECORDS = 256;

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
  /**
   * Trains a seed's run in a worker thread (the checkup's pool): the arms' runs then train side
   * by side, `remotes` there and one here. Absent: one after the other, here.
   */
  runElsewhere?: ArmSeedRunner;
  remotes?: number;
}

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

function metricOf(ctx: ProbeContext): RemedyMetric {
  if (ctx.task.kind === 'regression') return 'r2';
  return ctx.task.labelEncoding === 'multi-hot' ? 'label-accuracy' : 'balanced-accuracy';
}

interface Scorer {
  metric: RemedyMetric;
  /** The user's loss function, on the original targets. */
  loss: LossFn;
  /** The original data (targets in the user's units). */
  data: TrainingData;
}

/** The held-out score, loss and accuracy of a (fixed) model's outputs, mapped back to the original target units. */
function score(
  scorer: Scorer,
  outputs: Float32Array,
  fixed: FixedSetup,
  ids: Int32Array,
  withLoss: boolean,
): { score: number; loss: number; accuracy: number | null } {
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
  /** Where each seed's run trains. */
  lanes: Lanes<{ ctx: ProbeContext; ids: ArmEvalIds }, ArmRunOutputs>;
  base: FixBase;
  scorer: Scorer;
  /** Held-out records scored along a run. */
  curveIds: Int32Array;
}

/** Where an arm's runs train: here, one at a time, and in worker threads when the checkup has them. */
export type ArmSeedRunner = (ctx: ProbeContext, ids: ArmEvalIds) => Promise<ArmRunOutputs>;

/** The context of one run of a fixed setup with one seed: the checkup's instrumented run on it. */
function armContext(b: ExecutorBase, fixed: FixedSetup, seed: number, progressLabel: string): ProbeContext {
  const { ctx } = b.input;
  return {
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
}

/** One run of a fixed setup with one seed, scored on the held-out records. */
async function runSeed(
  b: ExecutorBase,
  fixed: FixedSetup,
  armCtx: ProbeContext,
  initSeed: number,
): Promise<{ run: RemedyRun; training: NonNullable<Evidence['training']> }> {
  const ids: ArmEvalIds = { curve: b.curveIds, final: b.input.ctx.heldOut };
  const out = await b.lanes.run({ ctx: armCtx, ids });
  const final = score(b.scorer, out.final, fixed, ids.final, true);
  const curve = {
    steps: out.curve.map((c) => c.step),
    values: out.curve.map((c) => score(b.scorer, c.outputs, fixed, ids.curve, false).score),
  };
  const run: RemedyRun = {
    seed: armCtx.seed,
    initSeed,
    score: final.score,
    loss: final.loss,
    accuracy: final.accuracy,
    curve,
    nonFinite: out.training.nonFiniteStep !== null,
  };
  return { run, training: out.training };
}

/** Every result in order once all have settled; else the first failure. */
async function allOrFirstError<T>(runs: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
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
      const steps = fixSteps(job.fixes);
      const initSeeds = job.seeds.map((seed) => subSeed(seed, 'remedy-init'));
      // The first seed resolves the fixes (fitting any data transform); the others reuse them.
      // All are built before any trains, so that the seeds can train side by side.
      const fixedSetups: FixedSetup[] = [];
      try {
        for (const [k, initSeed] of initSeeds.entries())
          fixedSetups.push(await buildFixedSetup(b.base, k === 0 ? steps : fixedSetups[0].applied, initSeed));
        const contexts = fixedSetups.map((fixed, k) =>
          armContext(b, fixed, job.seeds[k], `${job.label} ${k + 1}/${job.seeds.length}`),
        );
        // Settled, not raced: a failed seed must not dispose models the others still train.
        const done = await allOrFirstError(
          fixedSetups.map((fixed, k) => runSeed(b, fixed, contexts[k], initSeeds[k])),
        );
        const evidence = job.withEvidence
          ? fixedEvidence(b.input, fixedSetups[0], contexts[0], done[0].training)
          : undefined;
        return { arm: { fixes: fixedSetups[0].applied, runs: done.map((d) => d.run) }, evidence };
      } finally {
        for (const fixed of fixedSetups) fixed.model.dispose();
      }
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
    tfjsExecutor({
      input,
      base,
      scorer,
      curveIds,
      lanes: new Lanes(
        (job) => runArmSeed(job.ctx, job.ids),
        input.runElsewhere ? (job) => (input.runElsewhere as ArmSeedRunner)(job.ctx, job.ids) : null,
        input.runElsewhere ? (input.remotes ?? 1) : 0,
      ),
    }),
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
