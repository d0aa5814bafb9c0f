// Scalars and gradient/update histograms → TrainingEvidence.
//
//   training loss (the finest step unit)  → loss, nonFiniteStep
//   validation loss                       → valLoss, in the training loss's step unit: per-epoch
//                                           values go to the training step written just before
//                                           them (by wall time) when the units differ
//   accuracy, lr, reg/data loss           → accuracy, learningRate (first value), regLoss, dataLoss
//   gradient histograms                   → weights[].gradNorm = √sum_squares per step, and
//                                           gradNorm = √Σ sum_squares over weights per step (or
//                                           the logged global norm)
//   update histograms / ratio scalars     → weights[].updateRatio = ‖ΔW‖/‖W‖ (NaN at a step
//                                           where it was not measured)
//   weight histograms                     → weights[].weightNorm / weightStd at those steps
//
// A parameter with neither gradients nor updates logged gets no weights[] entry (the gradient
// checks then say "not logged"). Consecutive weight histograms are not turned into update ratios:
// they bound ‖ΔW‖ only from below, which would read as "learning too slowly". noGradient stays
// empty: a parameter without a gradient histogram may be frozen, or simply not logged.
import type { ActivationStats, Series, TrainingEvidence, WeightTelemetry } from '../core/evidence.ts';
import { minOf } from '../shared/array.ts';
import { type Collected, markUsed, type ScalarCandidate, scalarsOf } from './collect.ts';
import { meanVariance } from './histogram.ts';
import type { LayerTable } from './layers.ts';
import type { HistogramSeries } from './run-data.ts';
import { alignByWallTime, firstNonFinite, StepIndex, stepOrder, toSeries } from './series.ts';
import type { Granularity, Phase } from './tags.ts';

const GRANULARITY_RANK = { batch: 0, none: 1, epoch: 2 } as const;
const rank = (g: Granularity | null) => GRANULARITY_RANK[g ?? 'none'];
const maxStep = (s: { steps: ArrayLike<number> }) => {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < s.steps.length; i++) m = Math.max(m, s.steps[i]);
  return m;
};

/** The candidate to use: explicit --map first, then `like`'s step unit, the finest unit, the longest. */
function pick(cands: ScalarCandidate[], like?: ScalarCandidate): ScalarCandidate | undefined {
  return [...cands].sort(
    (a, b) =>
      Number(b.explicit) - Number(a.explicit) ||
      (like ? Number(b.granularity === like.granularity) - Number(a.granularity === like.granularity) : 0) ||
      rank(a.granularity) - rank(b.granularity) ||
      b.logged.steps.length - a.logged.steps.length,
  )[0];
}

/**
 * The sum of a loss's named terms (YOLO's box + cls + dfl, the TF Object Detection API's
 * classification + localization) at the steps where every term was logged: the objective the
 * optimizer minimizes when no total is logged. Terms are summed within one run and one step
 * unit; the group with the most terms wins, then the finest unit.
 */
export function sumOfTerms(parts: ScalarCandidate[]): ScalarCandidate | undefined {
  const groups = new Map<string, Map<string, ScalarCandidate>>();
  for (const c of parts) {
    const key = `${c.run.name}\u0000${c.granularity ?? 'none'}`;
    const byPart = groups.get(key) ?? new Map<string, ScalarCandidate>();
    const name = c.part ?? c.tag;
    const had = byPart.get(name);
    if (!had || c.logged.steps.length > had.logged.steps.length) byPart.set(name, c);
    groups.set(key, byPart);
  }
  const best = [...groups.values()]
    .map((g) => [...g.values()])
    .sort((a, b) => b.length - a.length || rank(a[0].granularity) - rank(b[0].granularity))[0];
  if (!best || best.length === 0) return undefined;
  const series = best.map((c) => toSeries(c.logged));
  const wall = new Map<number, number>();
  const first = best[0].logged;
  for (let i = 0; i < first.steps.length; i++) wall.set(first.steps[i], first.wallTimes[i]);
  const steps = series[0].steps.filter((step) => series.every((s) => s.steps.includes(step)));
  const valueAt = (s: { steps: number[]; values: number[] }, step: number) => s.values[s.steps.indexOf(step)];
  const values = steps.map((step) => series.reduce((sum, s) => sum + valueAt(s, step), 0));
  return {
    run: best[0].run,
    tag: best.map((c) => c.tag).join(' + '),
    logged: {
      steps: Float64Array.from(steps),
      values: Float64Array.from(values),
      wallTimes: Float64Array.from(steps, (step) => wall.get(step) ?? 0),
    },
    granularity: best[0].granularity,
    explicit: best.some((c) => c.explicit),
    sources: best.map((c) => ({ run: c.run, tag: c.tag })),
  };
}

/**
 * The loss of a phase, by the documented precedence (scalar-tags.ts): explicit --map, a total,
 * the sum of its terms, a data loss, a loss function logged under its own name.
 */
function lossOf(
  collected: Collected,
  phase: Phase,
  like?: ScalarCandidate,
): { cand: ScalarCandidate; how: 'total' | 'terms' | 'data' | 'metric' } | undefined {
  const total = pick(scalarsOf(collected, phase, 'loss'), like);
  const terms = sumOfTerms(scalarsOf(collected, phase, 'loss_part'));
  const data = pick(scalarsOf(collected, phase, 'data_loss'), like);
  const metric = pick(scalarsOf(collected, phase, 'loss_metric'), like);
  if (total && (total.explicit || !terms?.explicit)) return { cand: total, how: 'total' };
  if (terms) return { cand: terms, how: 'terms' };
  if (data) return { cand: data, how: 'data' };
  if (metric) return { cand: metric, how: 'metric' };
  return undefined;
}

function sqrtOrNaN(x: number): number {
  return x >= 0 ? Math.sqrt(x) : Number.NaN;
}

/** √sum_squares of a histogram series at each of `steps` (exact step, else the latest before). */
function alignedNorms(h: HistogramSeries | undefined, steps: number[]): number[] {
  if (!h || h.steps.length === 0) return [];
  const index = new StepIndex(h.steps);
  return steps.map((s) => sqrtOrNaN(h.sumSquares[index.atOrBefore(s)]));
}

function alignedStd(h: HistogramSeries | undefined, steps: number[]): number[] | undefined {
  if (!h || h.steps.length === 0) return undefined;
  const index = new StepIndex(h.steps);
  return steps.map((s) => {
    const i = index.atOrBefore(s);
    return Math.sqrt(meanVariance({ num: h.num[i], sum: h.sum[i], sumSquares: h.sumSquares[i] }).variance);
  });
}

function weightTelemetry(collected: Collected, table: LayerTable): WeightTelemetry[] {
  const trainable = table.trainable();
  const out: WeightTelemetry[] = [];
  for (const d of collected.params) {
    const stepsOf = d.grad ?? d.gradScalar ?? d.update ?? d.ratioScalar;
    if (!stepsOf) continue;
    const steps = toSeries({ steps: stepsOf.steps, values: stepsOf.steps }).steps;
    let gradNorm: (number | null)[] = [];
    if (d.grad) {
      const h = d.grad;
      gradNorm = stepOrder(h.steps).map((i) => sqrtOrNaN(h.sumSquares[i]));
    } else if (d.gradScalar) gradNorm = toSeries(d.gradScalar).values;
    const weightNorm = alignedNorms(d.value, steps);
    let updateRatio: number[] = [];
    if (d.update) {
      const h = d.update;
      const index = new StepIndex(h.steps);
      updateRatio = steps.map((s, j) => {
        const i = index.exact(s);
        if (i < 0 || weightNorm.length === 0) return Number.NaN;
        const w = weightNorm[j];
        const u = sqrtOrNaN(h.sumSquares[i]);
        return w > 0 ? u / w : u > 0 ? Number.POSITIVE_INFINITY : 0;
      });
    } else if (d.ratioScalar) {
      const r = d.ratioScalar;
      const index = new StepIndex(r.steps);
      updateRatio = steps.map((s) => {
        const i = index.exact(s);
        return i < 0 ? Number.NaN : r.values[i];
      });
    }
    const telemetry: WeightTelemetry = {
      layer: d.param.layer,
      weight: d.param.weight,
      kind: d.param.kind,
      depth: Math.max(0, trainable.indexOf(d.param.layer)),
      steps,
      gradNorm,
      updateRatio,
      weightNorm,
    };
    const weightStd = alignedStd(d.value, steps);
    if (weightStd) telemetry.weightStd = weightStd;
    out.push(telemetry);
  }
  return out;
}

/** The logged global gradient norm, else √Σ sum_squares of the gradient histograms per step. */
function globalGradNorm(collected: Collected): Series | undefined {
  const logged = pick(scalarsOf(collected, 'train', 'grad_norm'));
  if (logged) {
    markUsed(collected, logged);
    return toSeries(logged.logged);
  }
  const sums = new Map<number, number>();
  for (const d of collected.params) {
    if (!d.grad) continue;
    for (const i of stepOrder(d.grad.steps)) {
      const s = d.grad.steps[i];
      sums.set(s, (sums.get(s) ?? 0) + d.grad.sumSquares[i]);
    }
  }
  if (sums.size === 0) return undefined;
  const steps = [...sums.keys()].sort((a, b) => a - b);
  return { steps, values: steps.map((s) => sqrtOrNaN(sums.get(s) as number)) };
}

/** Training evidence, or undefined when the logs hold nothing for it. */
export function trainingEvidence(
  collected: Collected,
  table: LayerTable,
  activations: { start: ActivationStats[]; end: ActivationStats[] } | undefined,
): TrainingEvidence | undefined {
  const weights = weightTelemetry(collected, table);
  const gradNorm = globalGradNorm(collected);
  const train = lossOf(collected, 'train');
  const trainLoss = train?.how === 'data' ? undefined : train?.cand;
  const trainDataLoss = pick(scalarsOf(collected, 'train', 'data_loss'), trainLoss);
  const lossCandidate = train?.cand;
  const rlLosses = collected.summary.reinforcement ? scalarsOf(collected, 'train', 'rl_loss') : [];
  if (!lossCandidate && weights.length === 0 && !activations && !gradNorm && rlLosses.length === 0)
    return undefined;
  markUsed(collected, lossCandidate);
  if (train?.how === 'terms') {
    collected.summary.notes.push(
      `training loss = ${lossCandidate?.tag} (the sum of its logged terms: no total loss is logged)`,
    );
  } else if (train?.how === 'metric') {
    collected.summary.notes.push(
      `training loss = '${lossCandidate?.tag}' (a loss function logged under its own name: no tag named loss is logged)`,
    );
  }

  const loss = lossCandidate ? toSeries(lossCandidate.logged) : { steps: [], values: [] };
  const lr = pick(scalarsOf(collected, 'train', 'lr'));
  markUsed(collected, lr);
  const lrSeries = lr ? toSeries(lr.logged) : null;
  const training: TrainingEvidence = {
    optimizer: null,
    learningRate: lrSeries && lrSeries.values.length > 0 ? lrSeries.values[0] : null,
    batchSize: null,
    loss,
    nonFiniteStep: firstNonFinite(loss),
    weights,
    noGradient: [],
  };
  if (rlLosses.length > 0) {
    // RL objectives are not learning curves, but a NaN in them is still a NaN.
    const steps = rlLosses.map((c) => firstNonFinite(toSeries(c.logged))).filter((s) => s !== null);
    if (steps.length > 0) training.nonFiniteStep = minOf(steps as number[]);
    for (const c of rlLosses) markUsed(collected, c);
  }
  if (trainLoss && trainDataLoss && trainDataLoss !== trainLoss) {
    training.dataLoss = toSeries(trainDataLoss.logged);
    markUsed(collected, trainDataLoss);
  }
  const regLoss = pick(scalarsOf(collected, 'train', 'reg_loss'), lossCandidate);
  if (regLoss) {
    training.regLoss = toSeries(regLoss.logged);
    markUsed(collected, regLoss);
  }
  const accuracy = pick(scalarsOf(collected, 'train', 'accuracy'), lossCandidate);
  if (accuracy) {
    training.accuracy = toSeries(accuracy.logged);
    markUsed(collected, accuracy);
  }
  const valAccuracy = pick(scalarsOf(collected, 'val', 'accuracy'), lossCandidate);
  if (valAccuracy) {
    training.valAccuracy = toSeries(valAccuracy.logged);
    markUsed(collected, valAccuracy);
  }
  const valLoss = lossOf(collected, 'val', lossCandidate)?.cand;
  if (valLoss) {
    markUsed(collected, valLoss);
    const coarser =
      lossCandidate !== undefined &&
      valLoss.logged.steps.length < lossCandidate.logged.steps.length &&
      ((valLoss.granularity === 'epoch' && lossCandidate.granularity !== 'epoch') ||
        (valLoss.granularity === lossCandidate.granularity &&
          4 * maxStep(valLoss.logged) < maxStep(lossCandidate.logged)));
    training.valLoss = coarser
      ? alignByWallTime(valLoss.logged, lossCandidate.logged)
      : toSeries(valLoss.logged);
    if (valLoss.sources) collected.summary.notes.push(`validation loss = ${valLoss.tag}`);
    if (coarser) {
      const key = `${valLoss.run.name}: ${valLoss.tag}`;
      const note = `placed at the steps of '${lossCandidate.tag}' by wall time`;
      if (collected.summary.tags[key] !== undefined) collected.summary.tags[key] += `, ${note}`;
      else collected.summary.notes.push(`validation loss ${note}`);
    }
  }
  if (gradNorm) training.gradNorm = gradNorm;
  if (activations) training.activations = activations;
  return training;
}
