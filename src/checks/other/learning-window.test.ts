import { describe, expect, it } from 'vitest';
import { learningWindow, ratiosWhileLearning } from './learning-window.ts';

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
    ).toEqual({ settledAtStep: null, lossFall: null });
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

describe('ratiosWhileLearning', () => {
  it('keeps the ratios before the settled step, and at least the first few', () => {
    const steps = [0, 10, 20, 30, 40];
    const ratios = [1, 2, 3, 4, 5];
    expect(ratiosWhileLearning(steps, ratios, 25, 1)).toEqual([1, 2, 3]);
    expect(ratiosWhileLearning(steps, ratios, 5, 2)).toEqual([1, 2]);
    expect(ratiosWhileLearning(steps, ratios, null, 2)).toEqual(ratios);
  });
});
