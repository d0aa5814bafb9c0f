// Plot `update-ratios`: update-to-weight ratio per layer, against the check's bounds.
import * as Plot from '@observablehq/plot';
import { fmtNumber } from '../../../shared/format.ts';
import { layerPoints, MAX_LINES, summaryMarks, telemetry, uniqueNames } from './layers.ts';
import { type Builder, C, isNum, layerColors, lineLabel, logScale, plotLine, renderPanel } from './shared.ts';

export const updateRatios: Builder = (report, document) => {
  const list = telemetry(report, 'updateRatio');
  const names = uniqueNames(list);
  const points = layerPoints(list);
  if (!points.some((p) => isNum(p.value))) return null;
  // The check's bounds as it ran; a report without them (the check not run) draws none.
  const lo = plotLine(report, 'other/update-ratio', 'update-ratios', 'tooSlowBelow');
  const hi = plotLine(report, 'other/update-ratio', 'update-ratios', 'tooFastAbove');
  const values = points.map((p) => p.value).filter(isNum);
  const domain: [number, number] = [
    Math.min(lo === null ? Number.POSITIVE_INFINITY : lo / 5, ...values),
    Math.max(hi === null ? Number.NEGATIVE_INFINITY : hi * 5, ...values),
  ];
  const colors = layerColors(names);
  const bounds: Plot.Markish[] = [];
  if (lo !== null)
    bounds.push(
      Plot.rectY([{ y1: domain[0], y2: lo }], { y1: 'y1', y2: 'y2', fill: C.bad, fillOpacity: 0.06 }),
      Plot.ruleY([lo], { stroke: C.bad, strokeDasharray: '6,3' }),
      lineLabel(lo, `${fmtNumber(lo)}: learning too slowly below`, C.bad, 12),
    );
  if (hi !== null)
    bounds.push(
      Plot.rectY([{ y1: hi, y2: domain[1] }], { y1: 'y1', y2: 'y2', fill: C.warn, fillOpacity: 0.06 }),
      Plot.ruleY([hi], { stroke: C.warn, strokeDasharray: '6,3' }),
      lineLabel(hi, `${fmtNumber(hi)}: too fast above`, C.warn),
    );
  const useLines = names.length <= MAX_LINES;
  let svg: string;
  if (useLines) {
    svg = renderPanel(
      document,
      {
        x: { label: 'training step →' },
        y: logScale(domain, '↑ ‖ΔW‖ / ‖W‖ per step (log scale)'),
        color: { domain: names, range: colors, legend: true },
        marks: [...bounds, Plot.lineY(points, { x: 'step', y: 'value', stroke: 'layer', strokeWidth: 1.6 })],
      },
      'Update to weight ratio per layer and step',
    );
  } else {
    const s = summaryMarks(list, names, colors);
    svg = renderPanel(
      document,
      {
        x: s.x,
        y: logScale(domain, '↑ ‖ΔW‖ / ‖W‖ (log scale)'),
        color: s.color,
        marks: [...bounds, ...s.marks],
        marginBottom: 70,
      },
      'Update to weight ratio per layer: median and 10–90% range',
    );
  }
  const notes: string[] = [];
  const zero = list
    .filter((s) => s.values.length > 0 && !s.values.some((v) => isNum(v) && v > 0))
    .map((s) => s.layer);
  if (zero.length)
    notes.push(
      `Never updated (ratio 0 or undefined at every step, not drawn on the log axis): ${zero.join(', ')}.`,
    );
  return {
    id: 'update-ratios',
    title: 'Update / weight ratio per layer',
    caption: `Size of each step's weight update relative to the weights, per kernel. Healthy: between ${fmtNumber(lo)} and ${fmtNumber(hi)} (around 1e-3 is typical); below, the layer learns too slowly; above, updates are too large to settle.`,
    panels: [svg],
    notes,
  };
};
