// Plot `activations`: dead/saturated fractions and activation std per layer, start and end of run.
import * as Plot from '@observablehq/plot';
import { fmtNumber } from '../../../shared/format.ts';
import { type Builder, C, finite, isNum, logScale, plotLine, renderPanel, truncate } from './shared.ts';

const RELU = /relu|elu|selu|gelu|swish|silu/i;
const SQUASH = /tanh|sigmoid|softsign|hard_sigmoid|hardsigmoid/i;

type Report = Parameters<Builder>[0];
type Doc = Parameters<Builder>[1];
type Activations = NonNullable<NonNullable<Report['evidence']['training']>['activations']>;
type Row = {
  layer: string;
  phase: string;
  depth: number;
  std: number;
  dead: number;
  saturated: number;
  activation: string;
};
/** The rows of both snapshots, and what the two panels share: layer order, phases and colours. */
interface Frame {
  rows: Row[];
  layers: string[];
  phaseDomain: string[];
  phaseColors: string[];
}
/** A panel and the note that explains its marks. */
type Drawn = { panel: string; note: string | null } | null;

const PHASES: ['start' | 'end', string][] = [
  ['start', 'start of run'],
  ['end', 'end of run'],
];

function frameOf(a: Activations): Frame | null {
  const rows: Row[] = [];
  for (const [key, label] of PHASES) {
    for (const s of a[key] ?? []) {
      rows.push({
        layer: s.layer,
        phase: label,
        depth: finite(s.depth),
        std: finite(s.std),
        dead: finite(s.fractionDead),
        saturated: finite(s.fractionSaturated),
        activation: String(s.activation ?? ''),
      });
    }
  }
  if (rows.length === 0) return null;
  const order = [
    ...new Map([...rows].sort((x, y) => x.depth - y.depth).map((r) => [r.layer, r.activation])).entries(),
  ];
  const layers = order.map(([name]) => name);
  const phaseDomain = PHASES.map(([, l]) => l).filter((l) => rows.some((r) => r.phase === l));
  const phaseColors = phaseDomain.map((l) => (l === 'start of run' ? C.start : C.end));
  return { rows, layers, phaseDomain, phaseColors };
}

/** Dead (ReLU family) or saturated (tanh/sigmoid family) fraction per layer. */
function fractionPanel(
  report: Report,
  document: Doc,
  { rows, layers, phaseDomain, phaseColors }: Frame,
): Drawn {
  const frac = rows
    .filter((r) => RELU.test(r.activation) || SQUASH.test(r.activation) || r.dead > 0 || r.saturated > 0)
    .map((r) => {
      const dead = RELU.test(r.activation) || r.dead > 0;
      return { ...r, metric: dead ? 'dead' : 'saturated', fraction: dead ? r.dead : r.saturated };
    });
  if (!frac.some((r) => isNum(r.fraction))) return null;
  const fracLayers = layers.filter((l) => frac.some((r) => r.layer === l));
  const kind = new Map(frac.map((r) => [r.layer, r.metric]));
  const fail = plotLine(report, 'activations/dead-relu', 'activations', 'deadFail');
  const warnDead = plotLine(report, 'activations/dead-relu', 'activations', 'deadWarn');
  const warnSat = plotLine(report, 'activations/saturation', 'activations', 'saturatedWarn');
  const maxY = Math.max((fail ?? 0) * 120, ...frac.map((r) => r.fraction * 115).filter(isNum));
  const panel = renderPanel(
    document,
    {
      fx: {
        label: null,
        domain: fracLayers,
        tickFormat: (d: string) => `${truncate(d, 14)} (${kind.get(d)})`,
        padding: 0.15,
      },
      x: { axis: null, domain: phaseDomain, padding: 0.1 },
      y: { label: '↑ units dead / saturated (%)', domain: [0, Math.min(100, maxY)], grid: true },
      color: { domain: phaseDomain, range: phaseColors, legend: true },
      marks: [
        Plot.barY(frac, {
          fx: 'layer',
          x: 'phase',
          y: (d: { fraction: number }) => d.fraction * 100,
          fill: 'phase',
          title: (d: Row & { fraction: number; metric: string }) =>
            `${d.layer}, ${d.phase}: ${fmtNumber(d.fraction * 100)}% ${d.metric}`,
        }),
        Plot.text(frac, {
          fx: 'layer',
          x: 'phase',
          y: (d: { fraction: number }) => d.fraction * 100,
          text: (d: { fraction: number }) => `${fmtNumber(d.fraction * 100)}%`,
          dy: -7,
          fill: C.total,
        }),
        ...(fail === null ? [] : [Plot.ruleY([fail * 100], { stroke: C.bad, strokeDasharray: '6,3' })]),
        Plot.ruleY([0]),
      ],
    },
    'Fraction of dead or saturated units per layer',
  );
  const warnings = [
    warnDead === null ? '' : `${fmtNumber(warnDead * 100)}% dead (ReLU family)`,
    warnSat === null ? '' : `${fmtNumber(warnSat * 100)}% saturated (tanh/sigmoid)`,
  ].filter(Boolean);
  const note =
    fail !== null || warnings.length
      ? [
          fail === null ? '' : `Dashed line: fail at ${fmtNumber(fail * 100)}% of a layer's units`,
          warnings.length ? `warnings start at ${warnings.join(' or ')}` : '',
        ]
          .filter(Boolean)
          .join('; ')
          .concat('.')
      : null;
  return { panel, note };
}

/** Activation std per layer, start and end. */
function stdPanel(document: Doc, { rows, layers, phaseDomain, phaseColors }: Frame): Drawn {
  const stds = rows.filter((r) => isNum(r.std));
  if (stds.length === 0) return null;
  const positives = stds.map((r) => r.std).filter((v) => v > 0);
  const floor = positives.length ? Math.min(...positives) / 20 : 1e-6;
  const drawn = stds.map((r) => ({ ...r, y: r.std > 0 ? r.std : floor, zero: r.std <= 0 }));
  const zeros = drawn.filter((r) => r.zero);
  const panel = renderPanel(
    document,
    {
      x: {
        label: null,
        domain: layers,
        tickFormat: (d: string) => truncate(d, 16),
        tickRotate: layers.length > 6 ? -35 : 0,
        padding: 0.4,
      },
      y: logScale(
        drawn.map((r) => r.y),
        '↑ activation std (log scale)',
      ),
      color: { domain: phaseDomain, range: phaseColors, legend: true },
      marginBottom: layers.length > 6 ? 70 : 42,
      marks: [
        Plot.lineY(drawn, { x: 'layer', y: 'y', stroke: 'phase', z: 'phase', strokeWidth: 1.6 }),
        Plot.dot(drawn, {
          x: 'layer',
          y: 'y',
          fill: 'phase',
          r: 4.5,
          title: (d: Row) => `${d.layer}, ${d.phase}: std ${fmtNumber(d.std)}`,
        }),
        Plot.text(zeros, {
          x: 'layer',
          y: 'y',
          text: () => '= 0',
          dy: -12,
          fill: C.bad,
          fontWeight: 700,
        }),
      ],
    },
    'Activation standard deviation per layer',
  );
  const note = zeros.length
    ? `Std 0 (constant output) is drawn at the bottom of the std axis and marked “= 0”.`
    : null;
  return { panel, note };
}

export const activations: Builder = (report, document) => {
  const a = report.evidence.training?.activations;
  if (!a) return null;
  const frame = frameOf(a);
  if (!frame) return null;
  const drawn = [fractionPanel(report, document, frame), stdPanel(document, frame)].filter(
    (d): d is NonNullable<Drawn> => d !== null,
  );
  const panels = drawn.map((d) => d.panel);
  const notes = drawn.flatMap((d) => (d.note ? [d.note] : []));
  if (panels.length === 0) return null;
  return {
    id: 'activations',
    title: 'Activations per layer',
    caption:
      'On a batch of records, at the start and the end of the instrumented run. Left: share of ReLU units that are never active (dead) or tanh/sigmoid units stuck at ±1 (saturated). Right: std of each layer’s output; healthy when it stays within about 10× from first to last hidden layer.',
    panels,
    notes,
  };
};
