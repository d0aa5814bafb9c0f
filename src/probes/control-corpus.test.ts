// The synthetic control corpus has the model's shapes, the loss's target layout, and labels a
// plain linear read-out of region means separates (it is learnable by construction).
import { describe, expect, it } from 'vitest';
import { type CorpusSpec, syntheticCorpus } from './control-corpus.ts';

const spec = (over: Partial<CorpusSpec>): CorpusSpec => ({
  featureShape: [20],
  kind: 'classification',
  outputs: 3,
  multiLabel: false,
  targetWidth: 1,
  vocabulary: null,
  ...over,
});

describe('syntheticCorpus', () => {
  it.each([
    ['linear', (t: number[]) => Math.min(...t) < -0.5 && Math.max(...t) > 0.5],
    ['relu', (t: number[]) => Math.min(...t) === 0 && Math.max(...t) > 1],
    ['sigmoid', (t: number[]) => t.every((v) => v > 0 && v < 1)],
    ['tanh', (t: number[]) => t.every((v) => v > -1 && v < 1) && Math.min(...t) < 0],
  ])('regression targets lie in the range a %s output can produce', (activation, inRange) => {
    const d = syntheticCorpus(
      spec({ kind: 'regression', outputs: 2, targetWidth: 2, outputActivation: activation }),
      300,
      3,
    );
    expect(inRange(Array.from(d.targets))).toBe(true);
    // Still spread out: a monotone map of a learnable target, not a constant.
    const t = Array.from(d.targets);
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    expect(t.reduce((a, b) => a + (b - mean) ** 2, 0) / t.length).toBeGreaterThan(0.01);
  });

  it('regression targets under a softmax output sum to 1 per record', () => {
    const d = syntheticCorpus(
      spec({ kind: 'regression', outputs: 3, targetWidth: 3, outputActivation: 'softmax' }),
      100,
      4,
    );
    for (let r = 0; r < 100; r++) {
      const row = Array.from(d.targets.subarray(r * 3, r * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(Math.min(...row)).toBeGreaterThan(0);
    }
  });

  it('classification with class ids: balanced classes, class means apart', () => {
    const d = syntheticCorpus(spec({}), 600, 1);
    expect(d.x).toHaveLength(600 * 20);
    expect(d.targetShape).toEqual([1]);
    const counts = [0, 0, 0];
    for (const c of d.classIds ?? []) counts[c]++;
    expect(Math.min(...counts)).toBeGreaterThan(150);
    // Per class, the mean of the first region's features differs between some pair by ≥ 1.
    const regionMean = (c: number) => {
      let s = 0;
      let n = 0;
      d.classIds?.forEach((id, r) => {
        if (id !== c) return;
        for (let f = 0; f < 2; f++) s += d.x[r * 20 + f];
        n += 2;
      });
      return s / n;
    };
    const means = [0, 1, 2].map(regionMean);
    expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(1);
  });

  it('one-hot, multi-hot and regression layouts', () => {
    const oneHot = syntheticCorpus(spec({ targetWidth: 3 }), 50, 2);
    expect(oneHot.targets).toHaveLength(150);
    for (let r = 0; r < 50; r++) expect(oneHot.targets[r * 3 + (oneHot.classIds?.[r] ?? -1)]).toBe(1);
    const multi = syntheticCorpus(spec({ outputs: 4, targetWidth: 4, multiLabel: true }), 50, 3);
    expect(multi.multiLabel).toBe(true);
    expect(multi.classIds).toBeNull();
    expect(new Set(multi.targets)).toEqual(new Set([0, 1]));
    const regression = syntheticCorpus(spec({ kind: 'regression', outputs: 2, targetWidth: 2 }), 400, 4);
    const first = Array.from({ length: 400 }, (_, r) => regression.targets[r * 2]);
    const mean = first.reduce((a, b) => a + b, 0) / 400;
    const variance = first.reduce((a, b) => a + (b - mean) ** 2, 0) / 400;
    expect(mean).toBeCloseTo(0, 5);
    expect(variance).toBeCloseTo(1, 3);
  });

  it('image-shaped inputs keep their shape', () => {
    const d = syntheticCorpus(spec({ featureShape: [8, 8, 3] }), 10, 5);
    expect(d.x).toHaveLength(10 * 192);
    expect(d.featureShape).toEqual([8, 8, 3]);
  });

  it('token inputs: ids within the vocabulary, never 0, each record carries its class keywords', () => {
    const d = syntheticCorpus(spec({ featureShape: [12], vocabulary: 500 }), 200, 6);
    for (const v of d.x) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThan(500);
    }
    for (let r = 0; r < 200; r++) {
      const c = d.classIds?.[r] ?? -1;
      const keywords = [1, 2, 3, 4].map((k) => c * 4 + k);
      expect(Array.from(d.x.subarray(r * 12, r * 12 + 12)).some((v) => keywords.includes(v))).toBe(true);
    }
  });

  it('reconstruction of the inputs: on/off regions in {0, 1}, the targets are the records', () => {
    const d = syntheticCorpus(
      spec({
        featureShape: [28, 28, 1],
        kind: 'regression',
        outputs: 784,
        targetWidth: 784,
        reconstruction: 'inputs',
      }),
      200,
      3,
    );
    expect(d.targets).toBe(d.x);
    expect(new Set(d.x)).toEqual(new Set([0, 1]));
    // 8 regions per record, each on or off: a record is constant within each band of rows.
    const first = d.x.subarray(0, 784);
    expect(first[0]).toBe(first[97]);
    const on = d.x.reduce((a, b) => a + b, 0) / d.x.length;
    expect(on).toBeGreaterThan(0.4);
    expect(on).toBeLessThan(0.6);
  });

  it('continuous reconstruction of another width: the region values laid over the outputs', () => {
    const d = syntheticCorpus(
      spec({
        featureShape: [64],
        kind: 'regression',
        outputs: 32,
        targetWidth: 32,
        reconstruction: 'continuous',
      }),
      100,
      4,
    );
    expect(d.targets).toHaveLength(100 * 32);
    expect(d.targets).not.toBe(d.x);
    // Output k of record r is the value of its region: input position 2k of the same record.
    for (let r = 0; r < 100; r++)
      for (let k = 0; k < 32; k++) expect(d.targets[r * 32 + k]).toBe(d.x[r * 64 + 2 * k]);
  });
});
