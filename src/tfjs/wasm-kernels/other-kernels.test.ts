import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  compareKernel,
  host,
  randomHost,
  randomValues,
  relativeError,
  rng,
  runKernelOn,
  TOLERANCE,
  useBackend,
} from './testing.ts';

describe('UnsortedSegmentSum on wasm matches cpu', () => {
  const ids = (n: number, max: number, seed: number) => {
    const next = rng(seed);
    return host(
      Array.from({ length: n }, () => Math.floor(next() * max)),
      [n],
      'int32',
    );
  };
  const cases: { name: string; x: number[]; numSegments: number; idRange: number }[] = [
    { name: 'rows, many duplicates (embedding gradient)', x: [40, 8], numSegments: 10, idRange: 10 },
    { name: 'vector data', x: [25], numSegments: 7, idRange: 7 },
    { name: 'rank-3 data, empty segments', x: [12, 3, 5], numSegments: 30, idRange: 30 },
    { name: 'single segment', x: [9, 4], numSegments: 1, idRange: 1 },
  ];
  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const { error, wasm } = await compareKernel(
        'UnsortedSegmentSum',
        { x: randomHost(c.x, 900 + i), segmentIds: ids(c.x[0], c.idRange, 950 + i) },
        { numSegments: c.numSegments },
      );
      expect(wasm.shape).toEqual([c.numSegments, ...c.x.slice(1)]);
      expect(error).toBeLessThan(TOLERANCE);
    });
  }

  it('drops ids outside [0, numSegments) like cpu', async () => {
    const { error, wasm } = await compareKernel(
      'UnsortedSegmentSum',
      { x: randomHost([6, 3], 990), segmentIds: host([1, -1, 5, 0, 3, 1], [6], 'int32') },
      { numSegments: 4 },
    );
    expect(wasm.shape).toEqual([4, 3]);
    expect(error).toBeLessThan(TOLERANCE);
  });

  it('sums int32 data', async () => {
    const { error, wasm } = await compareKernel(
      'UnsortedSegmentSum',
      { x: host([1, 2, 3, 4, 5, 6, 7, 8], [4, 2], 'int32'), segmentIds: host([2, 0, 2, 1], [4], 'int32') },
      { numSegments: 3 },
    );
    expect(Array.from(wasm.values)).toEqual([3, 4, 7, 8, 6, 8]);
    expect(error).toBe(0);
  });

  it('accepts rank-2 ids with TensorFlow semantics (the cpu kernel does not)', async () => {
    const wasm = await runKernelOn(
      'wasm',
      'UnsortedSegmentSum',
      {
        x: host([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]),
        segmentIds: host([0, 2, 1, 2, 0, 3], [2, 3], 'int32'),
      },
      { numSegments: 4 },
    );
    expect(wasm.shape).toEqual([4, 2]);
    expect(Array.from(wasm.values)).toEqual([10, 12, 5, 6, 10, 12, 11, 12]);
  });
});

describe('BatchMatMul on wasm (transposes and batches on the fast path) matches cpu', () => {
  const cases: { name: string; a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [
    { name: 'plain', a: [37, 53], b: [53, 29], tA: false, tB: false },
    {
      name: 'plain, wide right operand (computed flipped)',
      a: [8, 300],
      b: [300, 200],
      tA: false,
      tB: false,
    },
    { name: 'transposeA (dense dW)', a: [33, 70], b: [33, 41], tA: true, tB: false },
    { name: 'transposeB (dense dx)', a: [17, 64], b: [300, 64], tA: false, tB: true },
    { name: 'transposeB, wide left', a: [300, 64], b: [17, 64], tA: false, tB: true },
    { name: 'both transposed', a: [45, 31], b: [27, 45], tA: true, tB: true },
    { name: 'batched 3, transposeA', a: [3, 40, 50], b: [3, 40, 30], tA: true, tB: false },
    { name: 'batched, broadcast a', a: [1, 40, 50], b: [4, 50, 33], tA: false, tB: false },
    { name: 'batched, broadcast b, transposeB', a: [2, 3, 40, 50], b: [60, 50], tA: false, tB: true },
    { name: 'small batched (native path)', a: [5, 4, 3], b: [5, 3, 2], tA: false, tB: false },
  ];
  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const { error, cpu, wasm } = await compareKernel(
        'BatchMatMul',
        { a: randomHost(c.a, 1000 + i), b: randomHost(c.b, 1100 + i) },
        { transposeA: c.tA, transposeB: c.tB },
      );
      expect(wasm.shape).toEqual(cpu.shape);
      expect(error).toBeLessThan(TOLERANCE);
    });
  }
});

describe('BatchMatMul on wasm with a right operand used again', () => {
  // The first product runs flipped (packing the wide operand costs more than the product), the
  // second packs it for the products to come (upstream's cache): both must be the same product.
  it('the same weights twice give the cpu result both times', async () => {
    const a = randomHost([8, 300], 1200);
    const b = randomHost([300, 200], 1201);
    const cpu = await runKernelOn('cpu', 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    await useBackend('wasm');
    const [first, second] = tf.tidy(() => {
      const ta = tf.tensor(a.values, a.shape);
      const tb = tf.tensor(b.values, b.shape);
      return [tf.matMul(ta, tb).dataSync(), tf.matMul(ta, tb).dataSync()];
    });
    expect(relativeError(first, cpu.values)).toBeLessThan(TOLERANCE);
    expect(relativeError(second, cpu.values)).toBeLessThan(TOLERANCE);
  });
});

describe('pooling gradients on wasm (replacements) match cpu', () => {
  const cases: {
    name: string;
    x: [number, number, number, number];
    filterSize: number | [number, number];
    strides: number | [number, number];
    pad: 'same' | 'valid' | number;
    values?: 'ties' | 'negative';
  }[] = [
    { name: '2×2 s2 valid', x: [2, 8, 8, 3], filterSize: 2, strides: 2, pad: 'valid' },
    { name: '2×2 s2 valid, odd size', x: [2, 9, 7, 3], filterSize: 2, strides: 2, pad: 'valid' },
    { name: '2×2 s2 same, odd size', x: [2, 9, 7, 3], filterSize: 2, strides: 2, pad: 'same' },
    { name: '3×3 s2 same (overlapping)', x: [2, 9, 9, 4], filterSize: 3, strides: 2, pad: 'same' },
    { name: '3×3 s1 valid (overlapping)', x: [1, 7, 6, 2], filterSize: 3, strides: 1, pad: 'valid' },
    { name: '2×3 s[1,2] same', x: [2, 6, 7, 2], filterSize: [2, 3], strides: [1, 2], pad: 'same' },
    { name: 'numeric pad 1', x: [1, 6, 6, 2], filterSize: 3, strides: 2, pad: 1 },
    {
      name: 'ties (integer values)',
      x: [2, 8, 8, 3],
      filterSize: 2,
      strides: 2,
      pad: 'valid',
      values: 'ties',
    },
    { name: 'ties, overlapping', x: [1, 9, 9, 2], filterSize: 3, strides: 2, pad: 'same', values: 'ties' },
    {
      name: 'all-negative windows',
      x: [2, 8, 8, 3],
      filterSize: 2,
      strides: 2,
      pad: 'valid',
      values: 'negative',
    },
  ];
  const input = (c: (typeof cases)[number], seed: number) => {
    const size = tf.util.sizeFromShape(c.x);
    const v = randomValues(size, seed);
    if (c.values === 'ties') for (let i = 0; i < size; i++) v[i] = Math.round(v[i] * 2);
    if (c.values === 'negative') for (let i = 0; i < size; i++) v[i] = -Math.abs(v[i]) - 0.5;
    return host(v, [...c.x]);
  };
  for (const [i, c] of cases.entries()) {
    const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
    it(`MaxPoolGrad ${c.name}`, async () => {
      const x = input(c, 1300 + i);
      const y = await runKernelOn(
        'cpu',
        'MaxPool',
        { x },
        { filterSize: c.filterSize, strides: c.strides, pad: c.pad },
      );
      const { error, wasm } = await compareKernel(
        'MaxPoolGrad',
        {
          dy: randomHost(info.outShape, 1400 + i),
          input: x,
          output: host(y.values as Float32Array, y.shape),
        },
        { filterSize: c.filterSize, strides: c.strides, pad: c.pad },
      );
      expect(wasm.shape).toEqual(c.x);
      expect(error).toBeLessThan(TOLERANCE);
    });
    it(`AvgPoolGrad ${c.name}`, async () => {
      const { error, wasm } = await compareKernel(
        'AvgPoolGrad',
        { dy: randomHost(info.outShape, 1500 + i), input: input(c, 1600 + i) },
        { filterSize: c.filterSize, strides: c.strides, pad: c.pad },
      );
      expect(wasm.shape).toEqual(c.x);
      expect(error).toBeLessThan(TOLERANCE);
    });
  }
});
