// Activation histograms → training.activations: statistics of each layer's outputs at the start
// (first histogram) and the end (last histogram) of the run. The activation function comes from
// the tag or --map, else from the values (histogram-stats.ts).
import type { ActivationStats } from '../core/evidence.ts';
import type { ActivationData } from './collect.ts';
import { type BucketCopy, meanVariance } from './histogram.ts';
import {
  deadFraction,
  fractionAtOrBelowZero,
  inferActivation,
  saturatedFraction,
} from './histogram-stats.ts';

function stats(a: ActivationData, copy: BucketCopy, depth: number, units: number): ActivationStats {
  const fn = a.fn ?? inferActivation(copy);
  const family = fn.toLowerCase().replace(/[\s_-]+/g, '');
  const { mean, variance } = meanVariance(copy);
  const out: ActivationStats = {
    layer: a.layer,
    activation: fn,
    depth,
    units,
    // Records per unit when the unit count is known; else the number of values measured (the
    // sample size behind the estimate).
    records: units > 0 ? Math.round(copy.num / units) : copy.num,
    mean,
    std: Math.sqrt(variance),
    fractionDead: family === 'relu' || family === 'relu6' ? deadFraction(fractionAtOrBelowZero(copy)) : 0,
    fractionSaturated: family === 'tanh' || family === 'sigmoid' ? saturatedFraction(copy, family) : 0,
    histogramValues: copy.num,
  };
  if (copy.k > 0) {
    const d = copy.toData();
    out.histogram = { edges: [d.left[0] as number, ...Array.from(d.right)], counts: Array.from(d.count) };
  }
  return out;
}

/** Start/end statistics per layer; `unitsOf` gives a layer's output units (0 when unknown). */
export function activationEvidence(
  activations: ActivationData[],
  unitsOf: (layer: string) => number,
): { start: ActivationStats[]; end: ActivationStats[] } | undefined {
  if (activations.length === 0) return undefined;
  const snapshot = (which: 'start' | 'end') =>
    activations.flatMap((a, depth) => {
      const copy = which === 'start' ? a.hist.first : (a.hist.last ?? a.hist.first);
      return copy ? [stats(a, copy, depth, unitsOf(a.layer))] : [];
    });
  return { start: snapshot('start'), end: snapshot('end') };
}
