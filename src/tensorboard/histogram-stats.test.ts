import { describe, expect, it } from 'vitest';
import type { BucketCopy } from './histogram.ts';
import {
  deadFraction,
  fractionAtOrBelowZero,
  inferActivation,
  LIVE_ZERO_SHARE,
  saturatedFraction,
} from './histogram-stats.ts';
import { readRun } from './logdir.ts';
import { bufferSource } from './records.ts';
import { normals } from './testing/planted.ts';
import { EventFileWriter, type WriterStyle } from './testing/writers.ts';

const STYLES: WriterStyle[] = ['pytorch', 'keras', 'tfjs'];

/** The histogram of `values` as a writer of `style` logs it and the reader reads it back. */
function histogramOf(style: WriterStyle, values: ArrayLike<number>): BucketCopy {
  const w = new EventFileWriter(style).histogram('h', values, 0);
  const { run } = readRun('.', [{ name: 'f', open: () => bufferSource(w.bytes().bytes) }]);
  const h = run.histograms.get('h')?.first;
  if (!h) throw new Error('no histogram');
  return h;
}

const normal = normals(3);
const relu = (xs: Float64Array) => xs.map((x) => Math.max(x, 0));

describe('fraction of values at or below zero', () => {
  for (const style of STYLES) {
    it(`${style}: ReLU outputs, from healthy (50% zeros) to dead (95%)`, () => {
      for (const [shift, zeros] of [
        [0, 0.5],
        [-0.84, 0.8],
        [-1.645, 0.95],
      ]) {
        const h = histogramOf(style, relu(normal(20_000, 1, shift)));
        expect(fractionAtOrBelowZero(h)).toBeCloseTo(zeros, 1);
      }
    });

    it(`${style}: no zeros at all reads 0; all zeros reads 1`, () => {
      expect(fractionAtOrBelowZero(histogramOf(style, normal(5000, 0.1, 2)))).toBe(0);
      expect(fractionAtOrBelowZero(histogramOf(style, new Float64Array(1000)))).toBe(1);
    });

    it(`${style}: symmetric values read about half`, () => {
      expect(fractionAtOrBelowZero(histogramOf(style, normal(20_000)))).toBeCloseTo(0.5, 1);
    });
  }
});

describe('dead fraction estimate', () => {
  it('reads 0 up to the live-unit zero share, 1 at all zeros, linear between', () => {
    expect(deadFraction(0.5)).toBe(0);
    expect(deadFraction(LIVE_ZERO_SHARE)).toBe(0);
    expect(deadFraction(1)).toBe(1);
    expect(deadFraction(0.85)).toBeCloseTo(0.5, 10);
  });
});

describe('saturation', () => {
  for (const style of STYLES) {
    it(`${style}: tanh of wide pre-activations is saturated, of narrow ones not`, () => {
      const wide = histogramOf(style, normal(20_000, 10).map(Math.tanh));
      const narrow = histogramOf(style, normal(20_000, 0.5).map(Math.tanh));
      // |x| > atanh(0.995) ≈ 2.99: 76.5% of N(0, 10²), none of N(0, 0.5²) in practice.
      expect(saturatedFraction(wide, 'tanh')).toBeGreaterThan(0.6);
      expect(saturatedFraction(narrow, 'tanh')).toBeLessThan(0.05);
    });

    it(`${style}: sigmoid of wide pre-activations is saturated, of narrow ones not`, () => {
      const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
      expect(
        saturatedFraction(histogramOf(style, normal(20_000, 20).map(sigmoid)), 'sigmoid'),
      ).toBeGreaterThan(0.6);
      expect(saturatedFraction(histogramOf(style, normal(20_000, 1).map(sigmoid)), 'sigmoid')).toBeLessThan(
        0.05,
      );
    });
  }
});

describe('activation inferred from the values', () => {
  for (const style of STYLES) {
    it(style, () => {
      expect(inferActivation(histogramOf(style, relu(normal(5000))))).toBe('relu');
      expect(inferActivation(histogramOf(style, normal(5000).map(Math.tanh)))).toBe('tanh');
      expect(
        inferActivation(
          histogramOf(
            style,
            normal(5000).map((x) => 1 / (1 + Math.exp(-x))),
          ),
        ),
      ).toBe('sigmoid');
      expect(inferActivation(histogramOf(style, normal(5000, 3)))).toBe('linear');
    });
  }
});
