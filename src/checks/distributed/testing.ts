// Evidence builders for the distributed checks' tests: ranks with a loss every step written at a
// steady pace, and per-parameter weight norms.
import type { Evidence, RankTelemetry } from '../../core/evidence.ts';

export interface RankSpec {
  loss?: number[];
  /** Seconds per step (default 0.1) and start offset in seconds. */
  pace?: number;
  startS?: number;
  /** Step offset: the rank's loss is logged at steps stepOffset, stepOffset+1… */
  stepOffset?: number;
  nonFinite?: { step: number; tag: string } | null;
  norms?: Record<string, number[]>;
  label?: string;
}

export const T0 = 1_800_000_000;

export function rank(i: number, spec: RankSpec = {}): RankTelemetry {
  const loss =
    spec.loss ?? Array.from({ length: 40 }, (_, k) => 2 * Math.exp(-k / 15) + 0.01 * Math.sin(k + i));
  const offset = spec.stepOffset ?? 0;
  const steps = loss.map((_, k) => k + offset);
  const pace = spec.pace ?? 0.1;
  return {
    rank: i,
    label: spec.label ?? `rank_${i}`,
    loss: { steps, values: loss },
    lossWallTimes: loss.map((_, k) => T0 + (spec.startS ?? 0) + k * pace),
    nonFinite: spec.nonFinite ?? null,
    weightNorms: Object.entries(spec.norms ?? {}).map(([weight, values]) => ({
      weight,
      layer: weight.replace(/\.[^.]+$/, ''),
      steps: values.map((_, k) => k * 4),
      values,
    })),
  };
}

export function ranks(...specs: RankSpec[]): Evidence {
  return { source: 'tensorboard', distributed: { layout: 'runs', ranks: specs.map((s, i) => rank(i, s)) } };
}

/** Ranks that logged no loss (only weights or histograms): nothing to compare step by step. */
export function ranksWithoutLoss(n: number): Evidence {
  const all = Array.from({ length: n }, (_, i) => {
    const { loss: _loss, lossWallTimes: _times, ...rest } = rank(i);
    return rest;
  });
  return { source: 'tensorboard', distributed: { layout: 'runs', ranks: all } };
}
