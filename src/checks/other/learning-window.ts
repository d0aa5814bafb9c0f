// Where in a run the loss still had room to fall. Late in a converged run the gradients vanish
// and every step moves the weights by almost nothing: small updates there are convergence, not a
// learning rate too low (issue 20, class 9: a PyTorch run at loss 1e-5 was told to raise its LR).
// So "learning too slowly" is judged on the steps before the loss settled near its own floor —
// judged against the loss's own progress, with no absolute scale, so it suits any loss.
import type { Series } from '../../core/evidence.ts';
import { mean } from '../../core/stats.ts';
import { minOf } from '../../shared/array.ts';

/** The run is cut into this many consecutive chunks whose mean losses are compared. */
const CHUNKS = 20;
/** Fewer finite loss points than this: too few to tell a settled loss from noise (whole run judged). */
const MIN_POINTS = 20;

export interface LearningWindow {
  /**
   * Steps before this one are where the loss still had room to fall; null when the whole run is
   * (the loss never fell by `minFall` of its start: a flat or still-falling run).
   */
  settledAtStep: number | null;
  /** How far the loss fell from its start (first chunk's mean) to its floor (lowest chunk mean), as a fraction of the start. */
  lossFall: number | null;
  /** Where `settledAtStep` lies in the run, 0 (its first step) to 1 (its last), else null. */
  settledAtFraction: number | null;
}

/**
 * `settledAtStep`: the first step of the first chunk whose mean loss is within `settleFraction` of
 * the whole fall above the floor, when the loss fell by at least `minFall` of its start (a run that
 * learned and converged); null otherwise.
 */
export function learningWindow(loss: Series, minFall: number, settleFraction: number): LearningWindow {
  const points = loss.steps
    .map((step, i) => ({ step, value: loss.values[i] }))
    .filter((p) => Number.isFinite(p.value));
  const none = { settledAtStep: null, settledAtFraction: null };
  if (points.length < MIN_POINTS) return { ...none, lossFall: null };
  const size = Math.ceil(points.length / CHUNKS);
  const chunks: { firstStep: number; mean: number }[] = [];
  for (let i = 0; i < points.length; i += size) {
    const part = points.slice(i, i + size);
    chunks.push({ firstStep: part[0].step, mean: mean(part.map((p) => p.value)) });
  }
  const start = chunks[0].mean;
  const floor = minOf(chunks.map((c) => c.mean));
  if (!(start > 0)) return { ...none, lossFall: null };
  const lossFall = (start - floor) / start;
  if (lossFall < minFall) return { ...none, lossFall };
  const settled = chunks.find((c) => c.mean <= floor + settleFraction * (start - floor));
  if (!settled) return { ...none, lossFall };
  const first = points[0].step;
  const span = points[points.length - 1].step - first;
  return {
    settledAtStep: settled.firstStep,
    settledAtFraction: span > 0 ? (settled.firstStep - first) / span : null,
    lossFall,
  };
}

/** The measurements of one variable that say how fast it learned. */
export interface RatioWindow {
  /** Where the loss settled near its floor (`learningWindow`), else null. */
  settledAtStep: number | null;
  /** The first step whose loss was NaN/Inf, else null: the weights after it are not numbers. */
  nonFiniteStep: number | null;
  /** Measurements always kept (before any NaN), however early the loss settled. */
  minKept: number;
}

/**
 * The update ratios of a run before its loss went NaN/Inf (after it the weights are not numbers,
 * and a logger's ratio of them is not a measurement): all of them, or (`learning: true`) those
 * while the loss still had room to fall — before `settledAtStep`, and at least the first
 * `minKept`, so a run that settled within its first few steps is judged on how it got there.
 */
export function ratiosIn(
  steps: readonly number[],
  ratios: readonly number[],
  window: RatioWindow,
  learning: boolean,
): number[] {
  if (steps.length !== ratios.length) return ratios.slice();
  const { settledAtStep, nonFiniteStep, minKept } = window;
  return ratios.filter((_, i) => {
    if (nonFiniteStep !== null && steps[i] >= nonFiniteStep) return false;
    return !learning || settledAtStep === null || i < minKept || steps[i] < settledAtStep;
  });
}
