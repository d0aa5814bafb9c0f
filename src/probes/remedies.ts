// The fix experiments (verified remedies). For the findings of a failing checkup, candidate fixes
// from the catalogue are applied to clones of the model (never to the model itself) and trained
// with the same short instrumented run as the checkup's, over several seeds, next to the setup as
// it is and next to fixes drawn at random from the catalogue; every run is scored on the held-out
// records. Whether a fix counts as verified is a pure function of those scores
// (remedies/verdict.ts). When a verified fix leaves another check failing (the checks re-run on
// the fixed setup's evidence), the next fix is tried on top of it, up to a bound.
import * as tf from '@tensorflow/tfjs';
import type { DatasetEvidence, Evidence } from '../core/evidence.ts';
import { normalizeLossName } from '../core/names.ts';
import { createRng, subSeed } from '../core/random.ts';
import type {
  AppliedFix,
  RemedyArm,
  RemedyEvidence,
  RemedyMetric,
  RemedyRun,
  RemedyStage,
} from '../core/remedies.ts';
import type { CheckResult, Report } from '../core/report.ts';
import {
  applicableFixes,
  type Candidate,
  candidatesFor,
  drawFixes,
  findingsToFix,
} from '../remedies/candidates.ts';
import { CATALOGUE, fixById } from '../remedies/catalogue/index.ts';
import { accuracy, balancedAccuracy, labelAccuracy, predictedClasses, rSquared } from '../remedies/score.ts';
import type { Json } from '../remedies/topology.ts';
import { unstandardize } from '../remedies/transforms.ts';
import type { FixContext, Setup } from '../remedies/types.ts';
import { judgeFix, randomBaselineFor } from '../remedies/verdict.ts';
import { describeModel } from '../tfjs/model-info.ts';
import { buildFixedSetup, type FixBase, type FixedSetup, type FixStep } from '../tfjs/patch.ts';
import { outputActivations } from '../tfjs/task.ts';
import { lossFunctionOf, type TrainingData } from '../tfjs/trainer.ts';
import { disposeModel, type ProbeContext, trainableClone } from './context.ts';
import { datasetStats, type LabelView } from './dataset-stats.ts';
import { runTrainingProbe } from './training-run.ts';

/** How much the experiments may cost. */
export interface RemedyBudget {
  /** Runs per arm (seeds). */
  seeds: number;
  /** Random-fix runs per stage (each a fix drawn at random, one seed). */
  randomDraws: number;
  /** Candidate fixes tried per stage. */
  candidates: number;
  /** Fixes chained on top of each other, at most. */
  stages: number;
}

export const DEFAULT_REMEDY_BUDGET: RemedyBudget = { seeds: 3, randomDraws: 3, candidates: 3, stages: 3 };

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

/** What a fix may read: the evidence, the check results and the setup it starts from. */
function fixContext(evidence: Evidence, results: CheckResult[], setup: Setup, topology: Json): FixContext {
  return {
    task: evidence.task as NonNullable<Evidence['task']>,
    model: evidence.model,
    dataset: evidence.dataset,
    training: evidence.training,
    lrSweep: evidence.lrSweep,
    rebalancing: evidence.rebalancing,
    results: new Map(results.map((r) => [r.id, r])),
    setup,
    topology,
  };
}

interface ArmOutcome {
  arm: RemedyArm;
  /** The first run's evidence of the fixed setup, for re-checking. */
  evidence?: Evidence;
}

export async function runRemedyProbe(input: RemedyProbeInput): Promise<RemedyEvidence> {
  const { ctx } = input;
  const budget = { ...DEFAULT_REMEDY_BUDGET, ...input.budget };
  const metric = metricOf(ctx);
  const userLoss = await userLossFunction(ctx);
  const scorer: Scorer = { metric, loss: userLoss, data: ctx.data };
  const seeds = Array.from({ length: budget.seeds }, (_, k) =>
    k === 0 ? ctx.seed : subSeed(ctx.seed, `remedy-seed-${k}`),
  );
  const curveIds = ctx.heldOut.subarray(0, Math.min(CURVE_RECORDS, ctx.heldOut.length));
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

  /** Trains the setup with `steps` applied, once per seed; the first run's evidence is kept when asked. */
  const runArm = async (
    steps: FixStep[],
    armSeeds: number[],
    label: string,
    recheck: boolean,
  ): Promise<ArmOutcome> => {
    const runs: RemedyRun[] = [];
    let applied: AppliedFix[] = [];
    let evidence: Evidence | undefined;
    for (const [k, seed] of armSeeds.entries()) {
      const initSeed = subSeed(seed, 'remedy-init');
      const fixed = await buildFixedSetup(base, k === 0 ? steps : applied, initSeed);
      if (k === 0) applied = fixed.applied;
      try {
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
          task: { ...ctx.task, learningRate: fixed.setup.learningRate, loss: fixed.setup.loss },
          progress: (done, total) => input.progress(`${label} ${k + 1}/${armSeeds.length}`, done, total),
        };
        const curve = { steps: [] as number[], values: [] as number[] };
        let final = { score: Number.NaN, loss: Number.NaN, accuracy: null as number | null };
        const result = await runTrainingProbe(armCtx, {
          onEvaluate(model, step, isFinal) {
            if (isFinal) final = score(scorer, model, fixed, ctx.heldOut, true);
            else {
              curve.steps.push(step);
              curve.values.push(score(scorer, model, fixed, curveIds, false).score);
            }
          },
        });
        runs.push({
          seed,
          initSeed,
          score: final.score,
          loss: final.loss,
          accuracy: final.accuracy,
          curve,
          nonFinite: result.training.nonFiniteStep !== null,
        });
        if (k === 0 && recheck) evidence = fixedEvidence(input, fixed, armCtx, result.training);
      } finally {
        fixed.model.dispose();
      }
    }
    return { arm: { fixes: applied, runs }, evidence };
  };

  const stages: RemedyStage[] = [];
  const chain: AppliedFix[] = [];
  let findings = findingsToFix(input.diagnosis, new Map(input.results.map((r) => [r.id, r])));
  const firstFindings = findings;
  let stageEvidence = input.evidence;
  let stageResults = input.results;
  let baseline: RemedyArm | null = null;
  let ended: RemedyEvidence['ended'] = 'bound';
  for (let stage = 1; stage <= budget.stages; stage++) {
    // The setup the candidates start from: the user's, with the fixes verified so far.
    const onTop = await buildFixedSetup(base, chain, subSeed(ctx.seed, 'remedy-init'));
    const topology = onTop.model.toJSON(null, false) as unknown as Json;
    onTop.model.dispose();
    const fixCtx = fixContext(stageEvidence, stageResults, onTop.setup, topology);
    const inChain = excludedBy(chain);
    const candidates = candidatesFor(findings, fixCtx, inChain).slice(0, budget.candidates);
    if (!candidates.length) {
      // Nothing in the catalogue addresses the (remaining) failures.
      ended = 'no-candidate';
      break;
    }
    baseline ??= (await runArm([], seeds, 'no fix', false)).arm;
    const rng = createRng(subSeed(ctx.seed, `remedy-random-${stage}`));
    const draws = drawFixes(applicableFixes(fixCtx, inChain), budget.randomDraws, rng);
    const random: RemedyArm[] = [];
    for (const [r, fix] of draws.entries()) {
      const step = { fix, params: fix.params(fixCtx) };
      random.push((await runArm([...chain, step], [seeds[r % seeds.length]], `random ${fix.id}`, false)).arm);
    }
    const tried: RemedyStage['candidates'] = [];
    let verified: ArmOutcome | null = null;
    let verifiedCandidate: Candidate | null = null;
    for (const c of candidates) {
      const outcome = await runArm([...chain, { fix: c.fix, params: c.params }], seeds, c.fix.id, true);
      const recheck = outcome.evidence ? failingAfter(outcome.evidence, input.recheck) : null;
      tried.push({
        finding: c.finding,
        arm: outcome.arm,
        ...(recheck ? { stillFailing: recheck.failing.map((r) => r.id) } : {}),
      });
      const verdict = judgeFix(
        baseline.runs.map((r) => r.score),
        outcome.arm.runs.map((r) => r.score),
        randomBaselineFor(random, c.fix.id).flatMap((a) => a.runs.map((r) => r.score)),
      );
      if (verdict.verified) {
        verified = outcome;
        verifiedCandidate = c;
        if (recheck) {
          stageResults = recheck.results;
          findings = findingsToFix(
            input.diagnose(recheck.results),
            new Map(recheck.results.map((r) => [r.id, r])),
          );
          findings = findings.filter((id) => recheck.failing.some((r) => r.id === id));
        }
        break;
      }
    }
    stages.push({ base: chain.map((f) => f.id), baseline, random, candidates: tried });
    if (!verified || !verifiedCandidate) {
      ended = 'not-verified';
      break;
    }
    chain.push(verified.arm.fixes[verified.arm.fixes.length - 1]);
    baseline = verified.arm;
    stageEvidence = { ...input.evidence, ...(verified.evidence ?? {}) };
    if (!findings.length) {
      ended = 'resolved';
      break;
    }
  }
  return {
    metric,
    seeds: seeds.length,
    steps: ctx.budget.trainSteps,
    heldOut: ctx.heldOut.length,
    stages,
    findings: firstFindings,
    ended,
  };
}

/** Fixes that cannot go on top of the chain: those in it, and the others of their family (one LR change, one rebalancing…). */
function excludedBy(chain: AppliedFix[]): Set<string> {
  const families = new Set(chain.map((f) => fixById(f.id)?.family));
  return new Set([
    ...chain.map((f) => f.id),
    ...CATALOGUE.filter((f) => families.has(f.family)).map((f) => f.id),
  ]);
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

/** The checks that fail on a fixed setup's evidence (experiments other than its training run are not re-run). */
function failingAfter(
  evidence: Evidence,
  recheck: RemedyProbeInput['recheck'],
): { results: CheckResult[]; failing: CheckResult[] } {
  const results = recheck(evidence);
  return { results, failing: results.filter((r) => r.status === 'fail') };
}

/** Evidence of the fixed setup: its model at the start, its data, its training run. */
function fixedEvidence(
  input: RemedyProbeInput,
  fixed: FixedSetup,
  armCtx: ProbeContext,
  training: NonNullable<Evidence['training']>,
): Evidence {
  const { evidence } = input;
  const task = {
    ...armCtx.task,
    outputActivations: outputActivations(fixed.model),
    ...(fixed.setup.classWeights ? { classWeights: fixed.setup.classWeights } : {}),
  };
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
