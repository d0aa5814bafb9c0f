import { describe, expect, it } from 'vitest';
import { learningWindow, ratiosIn } from './learning-window.ts';

const series = (n: number, f: (step: number) => number) => {
  const steps = Array.from({ length: n }, (_, i) => i);
  return { steps, values: steps.map(f) };
};

describe('learningWindow', () => {
  it('a converged loss settles at the first chunk near its floor', () => {
    // 100 steps, chunks of 5: exp(-s/10) is within 10% of its fall above the floor from ≈ step 23.
    const w = learningWindow(
      series(100, (s) => Math.exp(-s / 10)),
      0.5,
      0.1,
    );
    expect(w.settledAtStep).toBe(25);
    expect(w.lossFall).toBeCloseTo(1, 2);
  });

  it('a loss that fell by less than the convergence fall is judged whole', () => {
    const w = learningWindow(
      series(100, (s) => 1 - 0.004 * s),
      0.5,
      0.1,
    );
    expect(w.settledAtStep).toBeNull();
    expect(w.lossFall).toBeCloseTo(0.38, 1);
  });

  it('NaN losses are ignored; too few points judge the whole run', () => {
    expect(
      learningWindow(
        series(10, (s) => Math.exp(-s)),
        0.5,
        0.1,
      ),
    ).toEqual({ settledAtStep: null, settledAtFraction: null, lossFall: null });
    const withNaN = series(100, (s) => (s % 7 === 0 ? Number.NaN : Math.exp(-s / 10)));
    expect(learningWindow(withNaN, 0.5, 0.1).settledAtStep).toBeGreaterThan(0);
  });

  it('a loss that is zero or negative from the start is judged whole', () => {
    expect(
      learningWindow(
        series(100, () => -1),
        0.5,
        0.1,
      ).settledAtStep,
    ).toBeNull();
  });
});

describe('ratiosIn', () => {
  const steps = [0, 10, 20, 30, 40];
  const ratios = [1, 2, 3, 4, 5];
  const window = (settledAtStep: number | null, nonFiniteStep: number | null, minKept: number) => ({
    settledAtStep,
    nonFiniteStep,
    minKept,
  });

  it('while learning: the ratios before the settled step, and at least the first few', () => {
    expect(ratiosIn(steps, ratios, window(25, null, 1), true)).toEqual([1, 2, 3]);
    expect(ratiosIn(steps, ratios, window(5, null, 2), true)).toEqual([1, 2]);
    expect(ratiosIn(steps, ratios, window(null, null, 2), true)).toEqual(ratios);
    expect(ratiosIn(steps, ratios, window(5, null, 2), false)).toEqual(ratios);
  });

  it('never a ratio at or after the loss went NaN/Inf, even among the first few', () => {
    expect(ratiosIn(steps, ratios, window(null, 20, 3), true)).toEqual([1, 2]);
    expect(ratiosIn(steps, ratios, window(30, 10, 3), false)).toEqual([1]);
  });
});
