import { describe, expect, it } from 'vitest';
import { loadMnist, MNIST_PIXEL_SCALE } from './mnist.ts';

function range(a: Float32Array): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

describe('loadMnist', () => {
  it('reads the first 100 training records, scaled to [0, 1]', () => {
    const ds = loadMnist('train', 100);
    expect(ds.xShape).toEqual([100, 28, 28, 1]);
    expect(ds.x.length).toBe(100 * 784);
    expect(ds.yShape).toEqual([100]);
    expect(ds.source).toBe('mnist');
    const [lo, hi] = range(ds.x);
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    const [ylo, yhi] = range(ds.y);
    expect(ylo).toBe(0);
    expect(yhi).toBe(9);
    for (const v of ds.y) expect(Number.isInteger(v)).toBe(true);
    expect(ds.y[0]).toBe(5); // the well-known first training label
    expect(new Set(ds.y).size).toBe(10);
  });

  it('returns raw 0..255 pixels with { raw: true }', () => {
    const scaled = loadMnist('train', 5);
    const raw = loadMnist('train', 5, { raw: true });
    expect(range(raw.x)).toEqual([0, 255]);
    for (let i = 0; i < raw.x.length; i += 37)
      expect(scaled.x[i]).toBeCloseTo(raw.x[i] / MNIST_PIXEL_SCALE, 6);
    for (const v of raw.x) expect(Number.isInteger(v)).toBe(true);
  });

  it('reads the test split (first label 7) and caps the limit at the split size', () => {
    const ds = loadMnist('test', 2);
    expect(ds.y[0]).toBe(7);
    expect(loadMnist('test', 0).xShape).toEqual([0, 28, 28, 1]);
    const all = loadMnist('test', 1_000_000);
    expect(all.xShape[0]).toBe(10000);
  });

  it('rejects a bad limit', () => {
    expect(() => loadMnist('train', -1)).toThrow(RangeError);
    expect(() => loadMnist('train', 1.5)).toThrow(RangeError);
  });
});
