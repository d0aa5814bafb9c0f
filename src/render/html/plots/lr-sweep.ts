// Plot `lr-sweep`: the learning-rate range test, configured and suggested LR marked.
import * as Plot from '@observablehq/plot';
import { fmtNumber } from '../../../shared/format.ts';
import {
  type Builder,
  C,
  extent,
  finite,
  isNum,
  lineLabel,
  logScale,
  lossLabel,
  markerLabel,
  positive,
  renderPanel,
} from './shared.ts';

export const lrSweep: Builder = (report, document) => {
  const l = report.evidence.lrSweep;
  if (!l || !Array.isArray(l.lrs) || !Array.isArray(l.losses)) return null;
  const points = l.lrs
    .map((lr, i) => ({ lr: positive(lr), loss: finite(l.losses[i]) }))
    .filter((p) => isNum(p.lr));
  const ok = points.filter((p) => isNum(p.loss));
  if (ok.length === 0) return null;
  const minLoss = Math.min(...ok.map((p) => p.loss));
  const top = Math.max(isNum(l.startLoss) ? l.startLoss * 1.6 : 0, minLoss * 3);
  const bottom = Math.max(0, minLoss - (top - minLoss) * 0.08);
  const [lrLo, lrHi] = extent(points.map((p) => p.lr)) ?? [1e-6, 1];
  const marks: Plot.Markish[] = [];
  const notes: string[] = [];
  if (isNum(l.divergedAtLr)) {
    marks.push(
      Plot.rectX([{ x1: l.divergedAtLr, x2: lrHi * 1.12 }], {
        x1: 'x1',
        x2: 'x2',
        fill: C.bad,
        fillOpacity: 0.07,
      }),
      markerLabel(lrHi, `diverges ≥ ${fmtNumber(l.divergedAtLr)}`, C.bad, 'end', 34),
    );
  }
  const nonFinite = points.filter((p) => !isNum(p.loss)).length;
  if (nonFinite > 0)
    notes.push(`${nonFinite} of ${points.length} sweep points had a NaN/infinite loss and are not drawn.`);
  marks.push(
    Plot.lineY(ok, { x: 'lr', y: 'loss', stroke: C.data, strokeWidth: 1.8, clip: true }),
    Plot.dot(ok, { x: 'lr', y: 'loss', fill: C.data, r: 1.8, clip: true }),
  );
  if (isNum(l.startLoss)) {
    marks.push(
      Plot.ruleY([l.startLoss], { stroke: C.muted, strokeDasharray: '2,3' }),
      lineLabel(l.startLoss, `start ${fmtNumber(l.startLoss)}`, C.muted, 12),
    );
  }
  if (isNum(l.suggestedLr) && l.suggestedLr > 0) {
    marks.push(
      Plot.ruleX([l.suggestedLr], { stroke: C.ok, strokeWidth: 2 }),
      markerLabel(l.suggestedLr, `suggested ${fmtNumber(l.suggestedLr)}`, C.ok, 'start', 0),
    );
  }
  if (isNum(l.configuredLr) && l.configuredLr > 0) {
    marks.push(
      Plot.ruleX([l.configuredLr], { stroke: C.total, strokeWidth: 2, strokeDasharray: '5,3' }),
      markerLabel(l.configuredLr, `configured ${fmtNumber(l.configuredLr)}`, C.total, 'end', 17),
    );
  }
  const xs = [lrLo, lrHi, l.configuredLr, l.suggestedLr].filter((v): v is number => isNum(v) && v > 0);
  const svg = renderPanel(
    document,
    {
      x: { ...logScale(xs, 'learning rate (log scale) →'), grid: false },
      y: { label: `↑ smoothed ${lossLabel(report)}`, grid: true, domain: [bottom, top] },
      marks,
    },
    'LR range test: loss against learning rate',
  );
  return {
    id: 'lr-sweep',
    title: 'Learning-rate range test',
    caption:
      'Smoothed loss after each step of a sweep that raises the learning rate log-evenly. Healthy: the configured LR (dashed) sits in the falling stretch, near the suggested LR (green), well left of where the loss blows up (shaded).',
    panels: [svg],
    notes,
  };
};
