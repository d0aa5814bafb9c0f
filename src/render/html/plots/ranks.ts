// Plot `ranks`: the ranks of a data-parallel job side by side — the training loss of each rank per
// step, and the spread of the replicas' weight norms per step ((max − min) / median across ranks,
// the worst parameter at each step), where replica divergence is judged.
import * as Plot from '@observablehq/plot';
import { fmtNumber } from '../../../shared/format.ts';
import {
  type Builder,
  C,
  isNum,
  layerColors,
  logScale,
  markerLabel,
  plotLine,
  renderPanel,
  seriesPoints,
  thin,
} from './shared.ts';

export const ranks: Builder = (report, document) => {
  const d = report.evidence.distributed;
  if (!d || d.ranks.length < 2) return null;
  const names = d.ranks.map(
    (r) => `rank ${r.rank}${/^(rank|worker)[_-]?\d+$/i.test(r.label) ? '' : ` (${r.label})`}`,
  );
  const colors = layerColors(names);
  const panels: string[] = [];
  const notes: string[] = [];
  const loss = d.ranks.flatMap((r, i) => seriesPoints(r.loss, names[i], (v) => (isNum(v) ? v : Number.NaN)));
  if (loss.some((p) => isNum(p.value))) {
    const marks: Plot.Markish[] = [
      Plot.lineY(loss, { x: 'step', y: 'value', stroke: 'series', strokeWidth: 1.6 }),
    ];
    for (const [i, r] of d.ranks.entries()) {
      if (!r.nonFinite) continue;
      marks.push(
        Plot.ruleX([r.nonFinite.step], { stroke: C.bad, strokeWidth: 1.5 }),
        markerLabel(r.nonFinite.step, `${names[i]}: NaN/Inf`, C.bad, 'end'),
      );
    }
    panels.push(
      renderPanel(
        document,
        {
          x: { label: 'training step →' },
          y: { label: '↑ training loss', grid: true },
          color: { domain: names, range: colors, legend: true },
          marks,
        },
        'Training loss per rank and step',
      ),
    );
  } else notes.push('No rank logged a training loss.');
  // Replica spread: at each step logged by every rank, the largest relative spread over parameters.
  const spread = new Map<number, number>();
  const weights = new Set(d.ranks.flatMap((r) => r.weightNorms.map((w) => w.weight)));
  for (const weight of weights) {
    const per = d.ranks.map((r) => {
      const w = r.weightNorms.find((x) => x.weight === weight);
      return new Map((w?.steps ?? []).map((s, i) => [s, w?.values[i] ?? Number.NaN]));
    });
    for (const step of per[0].keys()) {
      const values = per.map((m) => m.get(step));
      if (!values.every(isNum)) continue;
      const sorted = (values as number[]).slice().sort((a, b) => a - b);
      const median = sorted[sorted.length >> 1];
      const s = (sorted[sorted.length - 1] - sorted[0]) / Math.max(Math.abs(median), 1e-12);
      spread.set(step, Math.max(spread.get(step) ?? 0, s));
    }
  }
  const fail = plotLine(report, 'distributed/replica-divergence', 'ranks', 'replicaSpreadFail');
  if (spread.size > 0) {
    const floor = 1e-9; // identical replicas (spread 0) drawn at the floor of the log axis
    const points = thin(
      [...spread].sort((a, b) => a[0] - b[0]).map(([step, v]) => ({ step, value: Math.max(v, floor) })),
    );
    panels.push(
      renderPanel(
        document,
        {
          x: { label: 'training step →' },
          y: logScale(
            [...points.map((p) => p.value), ...(fail === null ? [] : [fail])],
            '↑ replica spread of weight norms (log scale)',
          ),
          marks: [
            ...(fail === null ? [] : [Plot.ruleY([fail], { stroke: C.bad, strokeDasharray: '4 3' })]),
            Plot.lineY(points, { x: 'step', y: 'value', stroke: C.total, strokeWidth: 1.6 }),
          ],
        },
        'Replica spread of weight norms per step',
      ),
    );
  } else notes.push('No weight norms logged on every rank: replica spread not drawn.');
  if (panels.length === 0) return null;
  return {
    id: 'ranks',
    title: `Ranks side by side (${d.ranks.length})`,
    caption: `Training loss of each rank, and the largest (max − min) / median of one parameter’s weight norm across ranks at each step (${fail === null ? '' : `dashed: the fail threshold ${fmtNumber(fail)}; `}identical replicas sit at the floor, 1e-9). Healthy: the ranks’ losses overlap within batch noise, and the replica spread stays at the floor.`,
    panels,
    notes,
  };
};
