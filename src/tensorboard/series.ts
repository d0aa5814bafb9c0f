// Per-step series from logged values: ordered by step, one value per step (a step written twice,
// e.g. by a resumed run, keeps the value written last), and aligned across step units.
import type { Series } from '../core/evidence.ts';

/** Indices of `steps` ordered by step; for a repeated step only the last-written index is kept. */
export function stepOrder(steps: ArrayLike<number>): number[] {
  const last = new Map<number, number>();
  for (let i = 0; i < steps.length; i++) last.set(steps[i], i);
  return [...last.entries()].sort((a, b) => a[0] - b[0]).map(([, i]) => i);
}

export function toSeries(logged: { steps: ArrayLike<number>; values: ArrayLike<number> }): Series {
  const order = stepOrder(logged.steps);
  return { steps: order.map((i) => logged.steps[i]), values: order.map((i) => logged.values[i]) };
}

/** First step whose value is NaN/±Inf, else null. */
export function firstNonFinite(series: Series): number | null {
  const i = series.values.findIndex((v) => !Number.isFinite(v));
  return i < 0 ? null : series.steps[i];
}

/**
 * Re-expresses a coarse series (e.g. validation loss per epoch) in the step unit of a finer one
 * (training loss per batch) through wall time: each coarse point takes the step of the last fine
 * point written at or before it (the first fine step when none was). Both inputs are as logged.
 */
export function alignByWallTime(
  coarse: { steps: ArrayLike<number>; values: ArrayLike<number>; wallTimes: ArrayLike<number> },
  fine: { steps: ArrayLike<number>; wallTimes: ArrayLike<number> },
): Series {
  const fineOrder = stepOrder(fine.steps);
  const times = fineOrder.map((i) => fine.wallTimes[i]);
  const steps = fineOrder.map((i) => fine.steps[i]);
  // Wall time running maximum, so the search works even if the clock stepped back.
  for (let i = 1; i < times.length; i++) if (times[i] < times[i - 1]) times[i] = times[i - 1];
  const out: { step: number; value: number }[] = [];
  for (const i of stepOrder(coarse.steps)) {
    const t = coarse.wallTimes[i];
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    out.push({ step: steps[Math.max(0, lo - 1)] ?? coarse.steps[i], value: coarse.values[i] });
  }
  return toSeries({ steps: out.map((p) => p.step), values: out.map((p) => p.value) });
}

/** Looks up logged values by step: exactly, or the latest at or before a step. */
export class StepIndex {
  private readonly steps: number[];
  private readonly indices: number[];

  constructor(logged: ArrayLike<number>) {
    const order = stepOrder(logged);
    this.steps = order.map((i) => logged[i]);
    this.indices = order;
  }

  get size(): number {
    return this.steps.length;
  }

  /** Index (into the logged arrays) of the value at `step`, or -1. */
  exact(step: number): number {
    const j = this.search(step);
    return j >= 0 && this.steps[j] === step ? this.indices[j] : -1;
  }

  /** Index of the value at `step`, else the latest before it, else the first; -1 when empty. */
  atOrBefore(step: number): number {
    if (this.steps.length === 0) return -1;
    const j = this.search(step);
    return this.indices[Math.max(j, 0)];
  }

  /** Position of the last sorted step ≤ `step`, or -1. */
  private search(step: number): number {
    let lo = 0;
    let hi = this.steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.steps[mid] <= step) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}
