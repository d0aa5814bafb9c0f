// Plot `weight-variance`: kernel weight variance by depth, measured against fan-based expectation.
import * as Plot from '@observablehq/plot';
import { fmtNumber } from '../../../shared/format.ts';
import { type Builder, C, isNum, logScale, positive, renderPanel, truncate } from './shared.ts';

export const weightVariance: Builder = (report, document) => {
  const m = report.evidence.model;
  const kernels = Array.isArray(m?.kernels) ? [...m.kernels].sort((a, b) => a.depth - b.depth) : [];
  if (kernels.length === 0) return null;
  // One point per kernel: by layer name, or by variable name when a layer owns several kernels (RNNs).
  const byWeight = new Set(kernels.map((k) => k.layer)).size !== kernels.length;
  const label = (k: { layer: string; weight: string }) => (byWeight ? k.weight : k.layer);
  const unique = [...new Set(kernels.map(label))];
  const last = new Map<string, number>();
  for (const w of report.evidence.training?.weights ?? []) {
    if (w.kind !== 'kernel' || !Array.isArray(w.weightStd)) continue;
    const std = [...w.weightStd].reverse().find(isNum);
    if (std !== undefined) last.set(label(w), std * std);
  }
  type Row = { layer: string; variance: number; series: string; zero: boolean };
  const rows: Row[] = [];
  for (const k of kernels) {
    const v = isNum(k.variance) ? k.variance : isNum(k.std) ? k.std * k.std : Number.NaN;
    rows.push({ layer: label(k), variance: v, series: 'at initialization', zero: v === 0 });
    if (isNum(k.expectedStd))
      rows.push({
        layer: label(k),
        variance: k.expectedStd ** 2,
        series: 'expected (fan-based init)',
        zero: false,
      });
    const after = last.get(label(k));
    if (after !== undefined)
      rows.push({ layer: label(k), variance: after, series: 'after the run', zero: after === 0 });
  }
  const positives = rows.map((r) => r.variance).filter((v) => isNum(v) && v > 0);
  if (positives.length === 0 && !rows.some((r) => r.zero)) return null;
  const floor = positives.length ? Math.min(...positives) / 20 : 1e-8;
  const drawn = rows.map((r) => ({ ...r, y: r.zero ? floor : positive(r.variance) }));
  const domain = ['at initialization', 'expected (fan-based init)', 'after the run'].filter((s) =>
    rows.some((r) => r.series === s),
  );
  const colors: Record<string, string> = {
    'at initialization': C.data,
    'expected (fan-based init)': C.muted,
    'after the run': C.reg,
  };
  const zeros = drawn.filter((r) => r.zero);
  const svg = renderPanel(
    document,
    {
      x: {
        label: null,
        domain: unique,
        tickFormat: (d: string) => truncate(d, 16),
        tickRotate: unique.length > 6 ? -35 : 0,
        padding: 0.4,
      },
      y: logScale(
        drawn.map((r) => r.y),
        '↑ kernel weight variance (log scale)',
      ),
      color: { domain, range: domain.map((d) => colors[d]), legend: true },
      marginBottom: unique.length > 6 ? 70 : 42,
      marks: [
        Plot.lineY(
          drawn.filter((r) => r.series === 'expected (fan-based init)'),
          { x: 'layer', y: 'y', stroke: 'series', strokeDasharray: '5,3' },
        ),
        Plot.lineY(
          drawn.filter((r) => r.series !== 'expected (fan-based init)'),
          { x: 'layer', y: 'y', z: 'series', stroke: 'series', strokeWidth: 1.6 },
        ),
        Plot.dot(drawn, {
          x: 'layer',
          y: 'y',
          stroke: 'series',
          fill: (d: Row) => (d.series === 'expected (fan-based init)' ? 'white' : d.series),
          r: 4.5,
          title: (d: Row) => `${d.layer} — ${d.series}: ${fmtNumber(d.variance)}`,
        }),
        Plot.text(zeros, { x: 'layer', y: 'y', text: () => '= 0', dy: -12, fill: C.bad, fontWeight: 700 }),
      ],
    },
    'Kernel weight variance by depth, measured and expected',
  );
  const notes = zeros.length
    ? [
        `Zero variance (every weight identical) is drawn at the bottom of the axis and marked “= 0”: ${[...new Set(zeros.map((z) => z.layer))].join(', ')}.`,
      ]
    : [];
  return {
    id: 'weight-variance',
    title: 'Weight variance vs depth',
    caption:
      'Variance of each kernel at initialization (and after the run) against the variance a fan-based initializer (Glorot/He for its activation) would give. Healthy: measured follows expected; a gap of 10× or more, or a variance of 0, means a broken initialization.',
    panels: [svg],
    notes,
  };
};
