import { describe, expect, it } from 'vitest';
import type { TrainingData } from '../tfjs/trainer.ts';
import { priorChanceLoss } from './chance.ts';

const ids = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('priorChanceLoss', () => {
  it('95/5 binary labels: the prior entropy 0.199, not ln 2', () => {
    const classIds = Int32Array.from({ length: 100 }, (_, i) => (i < 95 ? 0 : 1));
    const data: TrainingData = {
      x: new Float32Array(100),
      featureShape: [1],
      targets: Float32Array.from(classIds),
      targetShape: [1],
      classIds,
    };
    expect(priorChanceLoss('binaryCrossentropy', data, ids(100))).toBeCloseTo(0.1985, 3);
    expect(priorChanceLoss('hinge', data, ids(100))).toBeNull();
  });

  it('regression: the squared error of predicting the training mean', () => {
    const data: TrainingData = {
      x: new Float32Array(4),
      featureShape: [1],
      targets: Float32Array.from([1, 3, 10, 10]),
      targetShape: [1],
      classIds: null,
    };
    expect(priorChanceLoss('mse', data, Int32Array.from([0, 1]))).toBeCloseTo(1);
    // Held-out records [2, 3] judged with the mean of [0, 1] (= 2): (10 − 2)² = 64.
    expect(priorChanceLoss('mse', data, Int32Array.from([2, 3]), Int32Array.from([0, 1]))).toBeCloseTo(64);
  });

  it('multi-label: mean binary entropy of the label rates', () => {
    const data: TrainingData = {
      x: new Float32Array(4),
      featureShape: [1],
      targets: Float32Array.from([1, 0, 1, 0, 0, 0, 1, 0]),
      targetShape: [2],
      classIds: null,
      multiLabel: true,
    };
    // Label 0 is on in 3 of 4 records (entropy 0.562), label 1 never (0): mean 0.281.
    const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(priorChanceLoss('binary_crossentropy', data, ids(4))).toBeCloseTo(h / 2, 3);
  });

  it('reconstruction under binary cross-entropy: per output, the cross-entropy of its mean (not the variance)', () => {
    // Two outputs: the first always 0 (an always-black pixel), the second 0.2, 0.6 (mean 0.4).
    const data: TrainingData = {
      x: new Float32Array(4),
      featureShape: [2],
      targets: Float32Array.from([0, 0.2, 0, 0.6]),
      targetShape: [2],
      classIds: null,
    };
    const h = (p: number) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    const black = -Math.log(1 - 1e-7);
    expect(priorChanceLoss('binaryCrossentropy', data, ids(2))).toBeCloseTo((black + h(0.4)) / 2, 6);
  });
});
