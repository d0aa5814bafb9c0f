// Plot `remedy-curves`: the held-out score along the short training run, without the fix, with
// each fix tried (mean over seeds, the band spans the seeds) and with the random fixes, one panel
// per stage of the chain. The numbers the verdicts use (final scores on every held-out record)
// are in the table beside it.
import * as Plot from '@observablehq/plot';
import type { RemedyArm, RemedyMetric } from '../../../core/remedies.ts';
import { METRIC_LABEL } from '../../../core/remedies.ts';
import { type Builder, C, isNum, renderPanel, truncate } from './shared.ts';

interface Row {
  step: number;
  mean: number;
  min: number;
  max: number;
  series: string;
}

/** Mean and range over an arm's runs at each step they share. */
function armRows(arm: RemedyArm, series: string): Row[] {
  const runs = Array.isArray(arm?.runs) ? arm.runs : [];
  const steps = runs[0]?.curve?.steps ?? [];
  return steps.flatMap((step, i) => {
    const values = runs.map((r) => r.curve?.values?.[i]).filter(isNum);
    if (!values.length || !isNum(step)) return [];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return [{ step, mean, min: Math.min(...values), max: Math.max(...values), series }];
  });
}

const lastFix = (arm: RemedyArm) => arm?.fixes?.[arm.fixes.length - 1]?.id ?? '?';
const PALETTE = [C.ok, '#0072b2', '#cc79a7', '#e69f00'];

export const remedyCurves: Builder = (report, document) => {
  const e = report.evidence.remedies;
  if (!e || !Array.isArray(e.stages) || !e.stages.length) return null;
  const metric: RemedyMetric = e.metric;
  const percent = metric !== 'r2';
  const panels: string[] = [];
  for (const [i, stage] of e.stages.entries()) {
    const base = stage.base.length ? `with ${stage.base.join(' + ')}` : 'no fix';
    const lines: Row[] = [
      ...armRows(stage.baseline, base),
      ...stage.candidates.flatMap((c) => armRows(c.arm, `${stage.base.length ? '+ ' : ''}${lastFix(c.arm)}`)),
    ];
    const random = stage.random.flatMap((a, k) => armRows(a, `random ${k + 1}: ${lastFix(a)}`));
    if (!lines.some((r) => isNum(r.mean))) continue;
    const names = [...new Set(lines.map((r) => r.series))];
    const scale = (v: number) => (percent ? v * 100 : v);
    const shown = (rows: Row[]) =>
      rows.map((r) => ({ ...r, mean: scale(r.mean), min: scale(r.min), max: scale(r.max) }));
    panels.push(
      renderPanel(
        document,
        {
          x: { label: 'training step →' },
          y: {
            label: `↑ ${METRIC_LABEL[metric]}${percent ? ' (%)' : ''}${e.stages.length > 1 ? ` · stage ${i + 1}` : ''}`,
            grid: true,
            ...(percent ? { domain: [0, 100] } : {}),
          },
          color: {
            domain: names.map((n) => truncate(n, 28)),
            range: [C.bad, ...PALETTE].slice(0, names.length),
            legend: true,
          },
          marks: [
            Plot.areaY(shown(lines), {
              x: 'step',
              y1: 'min',
              y2: 'max',
              fill: (d: Row) => truncate(d.series, 28),
              fillOpacity: 0.15,
            }),
            Plot.lineY(shown(random), {
              x: 'step',
              y: 'mean',
              z: 'series',
              stroke: C.muted,
              strokeWidth: 1,
              strokeDasharray: '3,3',
            }),
            Plot.lineY(shown(lines), {
              x: 'step',
              y: 'mean',
              stroke: (d: Row) => truncate(d.series, 28),
              strokeWidth: 2,
            }),
          ],
        },
        `Held-out score with and without the fixes, stage ${i + 1}`,
      ),
    );
  }
  if (!panels.length) return null;
  return {
    id: 'remedy-curves',
    title: 'Fixes tried on clones: before and after',
    caption: `The ${METRIC_LABEL[metric]} (on up to 256 held-out records) along the same short training run: without the fix (red), with each fix tried (mean over ${e.seeds} seeds; the band spans the seeds) and with fixes drawn at random (grey dashes, one run each). The verdicts use the final scores on all ${e.heldOut} held-out records.`,
    panels,
    notes: [],
  };
};
