// Dataset statistics: framework-free, one pass over the records.
import type { LabelView } from '../core/dataset.ts';
import type { DatasetEvidence, TargetRange } from '../core/evidence.ts';

// The type lives in core/ (tfjs/ reads labels too, and does not import probes/).
export type { LabelView };

export function datasetStats(
  x: Float32Array,
  xShape: number[],
  y: Float32Array,
  labels: LabelView,
  source: string,
): DatasetEvidence {
  const records = xShape[0];
  const features = records ? x.length / records : 0;
  const featureSum = new Float64Array(features);
  const featureCount = new Float64Array(features);
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let nonFiniteFeatures = 0;
  for (let r = 0, i = 0; r < records; r++) {
    for (let f = 0; f < features; f++, i++) {
      const v = x[i];
      if (!Number.isFinite(v)) {
        nonFiniteFeatures++;
        continue;
      }
      featureSum[f] += v;
      featureCount[f]++;
      sum += v;
      sumSq += v * v;
      n++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const mean = n ? sum / n : 0;
  const std = n ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : 0;
  let absMeans = 0;
  for (let f = 0; f < features; f++)
    absMeans += featureCount[f] ? Math.abs(featureSum[f] / featureCount[f]) : 0;
  let nonFiniteLabels = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) nonFiniteLabels++;

  let classCounts: number[] | null = null;
  if (labels.classIds && labels.classes) {
    classCounts = new Array(labels.classes).fill(0);
    for (const c of labels.classIds) if (c >= 0 && c < labels.classes) classCounts[c]++;
  } else if (labels.multiHot && labels.classes) {
    const width = labels.classes;
    classCounts = new Array(width).fill(0);
    for (let i = 0; i < labels.multiHot.length; i++) if (labels.multiHot[i] > 0.5) classCounts[i % width]++;
  }
  // A constant predictor's MSE: the per-output target variance, averaged over outputs.
  let targetVariance: number | null = null;
  let targetScale: DatasetEvidence['targetScale'] = null;
  let targetMeanSquare: number | null = null;
  if (labels.targets && records > 0) {
    const width = labels.targets.length / records;
    let total = 0;
    let squares = 0;
    for (let k = 0; k < width; k++) {
      let s = 0;
      let s2 = 0;
      let m = 0;
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let r = 0; r < records; r++) {
        const v = labels.targets[r * width + k];
        if (!Number.isFinite(v)) continue;
        s += v;
        s2 += v * v;
        m++;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const variance = m ? Math.max(0, s2 / m - (s / m) ** 2) : 0;
      total += variance;
      squares += m ? s2 / m : 0;
      const mean = m ? s / m : 0;
      const rms = Math.sqrt(mean * mean + variance);
      if (m && (!targetScale || rms > targetScale.rms))
        targetScale = { output: k, mean, std: Math.sqrt(variance), min: lo, max: hi, rms };
    }
    targetVariance = total / width;
    targetMeanSquare = squares / width;
  }
  return {
    source,
    records,
    featureShape: xShape.slice(1),
    features,
    mean,
    std,
    min: n ? min : 0,
    max: n ? max : 0,
    meanAbsFeatureMean: features ? absMeans / features : 0,
    nonFiniteFeatures,
    nonFiniteLabels,
    classCounts,
    targetVariance,
    ...(labels.targets
      ? { targetScale, targetMeanSquare, targetRange: targetRange(labels.targets, records) }
      : {}),
  };
}

/**
 * How far a record's targets may sum from 1 and still be shares of a whole: four shares rounded
 * to two decimals can be off by 0.02.
 */
const SUM_TOLERANCE = 0.02;

/** The pooled range of regression targets and the spread of each record's sum (see TargetRange). */
export function targetRange(targets: Float32Array, records: number): TargetRange | null {
  if (records === 0) return null;
  const width = targets.length / records;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let n = 0;
  let below = 0;
  let above = 0;
  let outside = 0;
  let rowSumMin = Number.POSITIVE_INFINITY;
  let rowSumMax = Number.NEGATIVE_INFINITY;
  let offOne = 0;
  let rows = 0;
  let total = 0;
  for (let r = 0; r < records; r++) {
    let sum = 0;
    let finite = true;
    for (let k = 0; k < width; k++) {
      const v = targets[r * width + k];
      if (!Number.isFinite(v)) {
        finite = false;
        continue;
      }
      n++;
      sum += v;
      total += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v < 0) below++;
      if (v > 1) above++;
      if (v < -1 || v > 1) outside++;
    }
    if (!finite) continue;
    rows++;
    if (sum < rowSumMin) rowSumMin = sum;
    if (sum > rowSumMax) rowSumMax = sum;
    if (Math.abs(sum - 1) > SUM_TOLERANCE + 1e-6) offOne++;
  }
  if (n === 0 || rows === 0) return null;
  return {
    outputs: width,
    mean: total / n,
    min,
    max,
    belowZero: below / n,
    aboveOne: above / n,
    outsideUnit: outside / n,
    rowSumMin,
    rowSumMax,
    rowSumOffOne: offOne / rows,
  };
}
