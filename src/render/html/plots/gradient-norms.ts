// Plot `gradient-norms`: gradient L2 norm per layer and step (or a per-layer summary).
import * as Plot from '@observablehq/plot';
import { layerPoints, MAX_LINES, summaryMarks, telemetry, uniqueNames } from './layers.ts';
import {
  type Builder,
  C,
  isNum,
  layerColors,
  logScale,
  markerLabel,
  positive,
  renderPanel,
  seriesPoints,
} from './shared.ts';

export const gradientNorms: Builder = (report, document) => {
  const list = telemetry(report, 'gradNorm');
  const t = report.evidence.training;
  const names = uniqueNames(list);
  const points = layerPoints(list);
  const global = seriesPoints(t?.gradNorm, 'global norm', positive);
  if (!points.some((p) => isNum(p.value)) && !global.some((p) => isNum(p.value))) return null;
  const notes: string[] = [];
  const starved = list
    .filter((s) => s.values.length > 0 && !s.values.some((v) => isNum(v) && v > 0))
    .map((s) => s.layer);
  if (starved.length)
    notes.push(
      `No gradient at any step (zero or missing, so not drawn on the log axis): ${starved.join(', ')}.`,
    );
  const noGradient = t?.noGradient ?? [];
  if (noGradient.length) notes.push(`Variables with no path to the loss: ${noGradient.join(', ')}.`);
  const colors = layerColors(names);
  const useLines = names.length <= MAX_LINES;
  let svg: string;
  if (useLines) {
    const domain = global.length ? [...names, 'global norm'] : names;
    const marks: Plot.Markish[] = [
      Plot.lineY(global, { x: 'step', y: 'value', stroke: 'series', strokeWidth: 3, strokeOpacity: 0.35 }),
      Plot.lineY(points, { x: 'step', y: 'value', stroke: 'layer', strokeWidth: 1.6 }),
    ];
    if (isNum(t?.nonFiniteStep)) {
      marks.push(
        Plot.ruleX([t.nonFiniteStep], { stroke: C.bad, strokeWidth: 1.5 }),
        markerLabel(t.nonFiniteStep, 'NaN/Inf', C.bad, 'end'),
      );
    }
    svg = renderPanel(
      document,
      {
        x: { label: 'training step →' },
        y: logScale(
          [...points.map((p) => p.value), ...global.map((p) => p.value)],
          '↑ gradient L2 norm (log scale)',
        ),
        color: { domain, range: global.length ? [...colors, C.total] : colors, legend: true },
        marks,
      },
      'Gradient norm per layer and step',
    );
  } else {
    const s = summaryMarks(list, names, colors);
    svg = renderPanel(
      document,
      {
        x: s.x,
        y: logScale(
          s.rows.flatMap((r) => [r.lo, r.hi]),
          '↑ gradient L2 norm (log scale)',
        ),
        color: s.color,
        marks: s.marks,
        marginBottom: 70,
      },
      'Gradient norm per layer: median and 10–90% range',
    );
  }
  return {
    id: 'gradient-norms',
    title: 'Gradient norms per layer',
    caption: `L2 norm of each kernel's gradient ${useLines ? 'at every step of the instrumented run (the wide grey line is the global norm)' : 'over the instrumented run: median dot, 10–90% range bar'}. Healthy: every layer gets gradient, within a few orders of magnitude of the others, and no line climbs steadily (exploding) or sinks towards 0 (vanishing).`,
    panels: [svg],
    notes,
  };
};
