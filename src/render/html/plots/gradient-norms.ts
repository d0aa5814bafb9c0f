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
  // Zero and non-finite norms have no place on a log axis, yet a zero gradient is the very evidence
  // of a dead layer: they are drawn as × on a floor line under the smallest positive norm.
  const off = offAxis(list);
  if (!points.some((p) => isNum(p.value)) && !global.some((p) => isNum(p.value)) && !off.length) return null;
  const smallest = Math.min(...[...points, ...global].map((p) => p.value).filter((v) => isNum(v) && v > 0));
  const floor = Number.isFinite(smallest) ? smallest / 10 : 1e-6;
  const notes: string[] = [];
  const starved = list
    .filter((s) => s.values.length > 0 && !s.values.some((v) => isNum(v) && v > 0))
    .map((s) => s.layer);
  if (starved.length)
    notes.push(
      `No gradient at any step (zero or missing: drawn as × on the floor line): ${starved.join(', ')}.`,
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
    if (off.length) {
      marks.push(
        Plot.ruleY([floor], { stroke: C.bad, strokeDasharray: '3,3', strokeOpacity: 0.6 }),
        Plot.dot(
          off.map((o) => ({ ...o, value: floor })),
          { x: 'step', y: 'value', stroke: 'layer', symbol: 'times', r: 3.5 },
        ),
        Plot.text([floor], {
          y: (v: number) => v,
          text: () => '0 / NaN',
          frameAnchor: 'left',
          dx: 4,
          dy: -7,
          fill: C.bad,
        }),
      );
    }
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
          [...points.map((p) => p.value), ...global.map((p) => p.value), ...(off.length ? [floor] : [])],
          off.length
            ? '↑ gradient L2 norm (log scale; × on the floor: 0 or NaN/Inf)'
            : '↑ gradient L2 norm (log scale)',
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
  // The user's own run when read from logs; the checkup's short training run otherwise.
  const run = report.evidence.source === 'tensorboard' ? 'the logged run' : 'the instrumented run';
  return {
    id: 'gradient-norms',
    title: 'Gradient norms per layer',
    caption: `L2 norm of each ${report.evidence.framework === 'pytorch' ? 'weight' : 'kernel'}'s gradient ${useLines ? `at every logged step of ${run} (the wide grey line is the global norm)` : `over ${run}: median dot, 10–90% range bar`}. Healthy: every layer gets gradient, within a few orders of magnitude of the others, and no line climbs steadily (exploding) or sinks towards 0 (vanishing).`,
    panels: [svg],
    notes,
  };
};

/** Steps where a layer's gradient norm was 0 or not finite (NaN/Inf, also as saved in JSON). */
function offAxis(list: ReturnType<typeof telemetry>): { step: number; layer: string }[] {
  return list.flatMap((s) =>
    s.values.flatMap((v, i) => {
      const zero = v === 0;
      const nonFinite =
        (typeof v === 'number' && !Number.isFinite(v)) ||
        v === 'NaN' ||
        v === 'Infinity' ||
        v === '-Infinity';
      if (!zero && !nonFinite) return [];
      return [{ step: isNum(s.steps[i]) ? (s.steps[i] as number) : i, layer: s.layer }];
    }),
  );
}
