// Per-layer telemetry shared by the gradient-norm and update-ratio plots: the kernel series in
// depth order, their points, and the median/range summary drawn when there are too many layers.
import * as Plot from '@observablehq/plot';
import type { Report } from '../../../core/report.ts';
import { fmtNumber } from '../../../shared/format.ts';
import { isNum, positive, quantile, thin, truncate } from './shared.ts';

export interface LayerSeries {
  layer: string;
  depth: number;
  steps: unknown[];
  values: unknown[];
}

/** Kernel telemetry (all variables when no kernel is marked), one entry per series in depth order. */
export function telemetry(report: Report, field: 'gradNorm' | 'updateRatio'): LayerSeries[] {
  const weights = report.evidence.training?.weights;
  if (!Array.isArray(weights) || weights.length === 0) return [];
  const kernels = weights.filter((w) => w.kind === 'kernel');
  const chosen = kernels.length > 0 ? kernels : weights;
  // Series are named by layer, or by variable when a layer owns several of them (RNN kernels).
  const byWeight = kernels.length === 0 || new Set(chosen.map((w) => w.layer)).size !== chosen.length;
  return chosen
    .map((w) => ({
      layer: byWeight ? w.weight : w.layer,
      depth: isNum(w.depth) ? w.depth : 0,
      steps: Array.isArray(w.steps) ? w.steps : [],
      values: Array.isArray(w[field]) ? (w[field] as unknown[]) : [],
    }))
    .sort((a, b) => a.depth - b.depth);
}

export function uniqueNames(items: { layer: string }[]): string[] {
  return [...new Set(items.map((i) => i.layer))];
}

export interface LayerPoint {
  step: number;
  value: number;
  layer: string;
}

export function layerPoints(list: LayerSeries[]): LayerPoint[] {
  return list.flatMap((s) =>
    thin(
      s.values.map((v, i) => ({
        step: isNum(s.steps[i]) ? (s.steps[i] as number) : i,
        value: positive(v),
        layer: s.layer,
      })),
      300,
    ),
  );
}

export const MAX_LINES = 12;

/** Per-layer median with a 10–90% range: readable for any number of layers. */
export function summaryMarks(list: LayerSeries[], names: string[], colors: string[]) {
  const rows = list.map((s) => {
    const v = s.values
      .map(positive)
      .filter(isNum)
      .sort((a, b) => a - b);
    return { layer: s.layer, lo: quantile(v, 0.1), median: quantile(v, 0.5), hi: quantile(v, 0.9) };
  });
  return {
    rows,
    marks: [
      Plot.ruleX(rows, {
        x: 'layer',
        y1: 'lo',
        y2: 'hi',
        stroke: 'layer',
        strokeWidth: 3,
        strokeOpacity: 0.5,
      }),
      Plot.dot(rows, {
        x: 'layer',
        y: 'median',
        fill: 'layer',
        r: 4,
        title: (d: { layer: string; median: number }) => `${d.layer}: median ${fmtNumber(d.median)}`,
      }),
    ],
    x: {
      label: null,
      domain: names,
      tickFormat: (d: string) => truncate(d, 14),
      tickRotate: names.length > 6 ? -35 : 0,
    },
    color: { domain: names, range: colors },
  };
}
