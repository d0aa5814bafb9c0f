// The report's plots, drawn from report.evidence with Observable Plot into static SVG at render
// time (a jsdom document stands in for the browser's). Each plot exists only when its evidence
// does, and carries the id (core/plots.ts) that a check links to.
//
// Everything here reads numbers defensively: a report read back from JSON has null where the run
// measured NaN or ±Infinity, and a TensorBoard-fed report fills only some evidence keys.
import { createRequire } from 'node:module';
import * as Plot from '@observablehq/plot';
import type { PlotId } from '../../core/plots.ts';
import type { CheckResult, Report } from '../../core/report.ts';
import { fmtNumber } from './format.ts';

/** One drawn plot: one or more SVG panels under a title and a caption (both plain text). */
export interface PlotFigure {
  id: PlotId;
  title: string;
  /** How to read it: what healthy looks like. */
  caption: string;
  /** Panel markup (serialized SVG, or a <figure> holding an SVG and its legend). */
  panels: string[];
  /** Notes about what could not be drawn (e.g. values that are zero on a log axis). */
  notes: string[];
}

type JsdomModule = { JSDOM: new (html?: string) => { window: { document: Document; close(): void } } };

/** A fresh DOM document for Plot; jsdom is CommonJS and ships no types, so it is required. */
export function createDocument(): { document: Document; close(): void } {
  const { JSDOM } = createRequire(import.meta.url)('jsdom') as JsdomModule;
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  return { document: window.document, close: () => window.close() };
}

// ---------------------------------------------------------------------------------------------
// Small numeric helpers

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Finite numbers pass; anything else (null, NaN, ±Infinity) becomes NaN, which Plot leaves as a gap. */
const finite = (v: unknown): number => (isNum(v) ? v : Number.NaN);
/** For log axes: positive finite numbers only. */
const positive = (v: unknown): number => (isNum(v) && v > 0 ? v : Number.NaN);

/** Keeps at most `max` items (evenly strided, last one kept) so long runs stay small in SVG. */
function thin<T>(items: T[], max = 400): T[] {
  if (items.length <= max) return items;
  const stride = Math.ceil(items.length / max);
  const out = items.filter((_, i) => i % stride === 0);
  if ((items.length - 1) % stride !== 0) out.push(items[items.length - 1]);
  return out;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function extent(values: number[]): [number, number] | null {
  const ok = values.filter(isNum);
  if (ok.length === 0) return null;
  return [Math.min(...ok), Math.max(...ok)];
}

/** Log scale when every value is positive and they span more than `ratio`. */
function wantsLog(values: number[], ratio = 30): boolean {
  const ok = values.filter(isNum);
  if (ok.length === 0 || ok.some((v) => v <= 0)) return false;
  const [lo, hi] = extent(ok) ?? [1, 1];
  return hi / lo > ratio;
}

/**
 * A log scale fitted to the values, with readable ticks: powers of ten (and 2×, 5× over short
 * spans) labelled `0.01`, `1e-4`, never SI prefixes such as `200m` that read as units.
 */
function logScale(values: unknown[], label: string): Plot.ScaleOptions {
  const ok = values.filter((v): v is number => isNum(v) && v > 0);
  let [lo, hi] = extent(ok) ?? [1e-3, 1];
  if (hi / lo < 1.5) {
    lo /= 1.5;
    hi *= 1.5;
  }
  const domain: [number, number] = [lo / 1.12, hi * 1.12];
  const first = Math.floor(Math.log10(domain[0]));
  const last = Math.ceil(Math.log10(domain[1]));
  const decades = last - first;
  const inside = (v: number) => v >= domain[0] && v <= domain[1];
  const candidates = (mantissas: number[], every = 1) => {
    const out: number[] = [];
    for (let e = first; e <= last; e += every) for (const m of mantissas) out.push(Number(`${m}e${e}`));
    return out.filter(inside);
  };
  let ticks = decades > 3 ? candidates([1], Math.max(1, Math.ceil(decades / 8))) : candidates([1, 2, 5]);
  if (ticks.length < 3) ticks = candidates([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  return { type: 'log', domain, ticks, tickFormat: (d: number) => fmtNumber(d), label, grid: true };
}

const truncate = (s: string, n = 18): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A threshold of a check as it ran (user overrides applied), else the default. */
function threshold(report: Report, id: string, keys: string[], fallback: number): number {
  const check = report.checks.find((c: CheckResult) => c.id === id);
  for (const key of keys) {
    const v = check?.thresholds?.[key];
    if (isNum(v)) return v;
  }
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Colours: one colour per layer, shared by every per-layer plot (input side first).

const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#8c564b',
  '#7f7f7f',
  '#b8b000',
  '#17becf',
];

function layerColors(layers: string[]): string[] {
  if (layers.length <= PALETTE.length) return PALETTE.slice(0, layers.length);
  // Many layers: a perceptually ordered hue ramp by depth (blue → purple → orange).
  return layers.map(
    (_, i) => `hsl(${Math.round(215 - (i / (layers.length - 1)) * 185)} 70% ${42 + (i % 2) * 8}%)`,
  );
}

const C = {
  total: '#1f2937',
  data: '#0072b2',
  reg: '#e69f00',
  val: '#cc79a7',
  ok: '#067647',
  bad: '#b42318',
  warn: '#b54708',
  muted: '#6b7280',
  start: '#9ca3af',
  end: '#0072b2',
};

// ---------------------------------------------------------------------------------------------
// Rendering

const WIDTH = 600;
const HEIGHT = 290;

/** Rounds coordinates in the SVG to one decimal: the file shrinks, the picture does not change. */
function roundGeometry(root: Element): void {
  const attrs = [
    'd',
    'transform',
    'points',
    'x',
    'y',
    'x1',
    'x2',
    'y1',
    'y2',
    'cx',
    'cy',
    'r',
    'width',
    'height',
    'dx',
    'dy',
  ];
  const nodes = [root, ...Array.from(root.querySelectorAll('*'))];
  for (const node of nodes) {
    for (const name of attrs) {
      const v = node.getAttribute(name);
      if (v === null || !/\d\.\d{2}/.test(v)) continue;
      node.setAttribute(
        name,
        v.replace(/-?\d+\.\d+(?:e[-+]?\d+)?/gi, (m) => {
          const r = Math.round(Number(m) * 10) / 10;
          return String(Object.is(r, -0) ? 0 : r);
        }),
      );
    }
  }
}

type PlotOptions = Plot.PlotOptions;

function renderPanel(document: Document, options: PlotOptions, ariaLabel: string): string {
  const node = Plot.plot({
    document,
    width: WIDTH,
    height: HEIGHT,
    marginLeft: 62,
    marginRight: 24,
    marginBottom: 42,
    style: { fontSize: '12px', background: 'transparent' },
    ...options,
  }) as unknown as Element;
  roundGeometry(node);
  const svg = node.tagName.toLowerCase() === 'svg' ? node : node.querySelector('svg:last-of-type');
  svg?.setAttribute('role', 'img');
  svg?.setAttribute('aria-label', ariaLabel);
  if (node.tagName.toLowerCase() !== 'svg')
    node.setAttribute('class', `${node.getAttribute('class') ?? ''} panel`);
  return node.outerHTML;
}

interface Point {
  step: number;
  value: number;
  series: string;
}

function seriesPoints(
  s: { steps?: unknown; values?: unknown } | undefined,
  name: string,
  map: (v: unknown) => number,
): Point[] {
  if (!s || !Array.isArray(s.values)) return [];
  const steps = Array.isArray(s.steps) ? s.steps : [];
  const points = (s.values as unknown[]).map((v, i) => ({
    step: isNum(steps[i]) ? (steps[i] as number) : i,
    value: map(v),
    series: name,
  }));
  return thin(points);
}

/** A label for a vertical marker, drawn at the top of the frame. */
function markerLabel(x: number, text: string, color: string, anchor: 'start' | 'end' = 'start', dy = 0) {
  return Plot.text([{ x, text }], {
    x: 'x',
    text: 'text',
    frameAnchor: 'top',
    textAnchor: anchor,
    dx: anchor === 'start' ? 4 : -4,
    dy: 6 + dy,
    fill: color,
    fontWeight: 600,
    stroke: 'white',
    strokeWidth: 3,
    paintOrder: 'stroke',
  });
}

/** A label for a horizontal marker, drawn at the right end of the line. */
function lineLabel(y: number, text: string, color: string, dy = -6) {
  return Plot.text([{ y, text }], {
    y: 'y',
    text: 'text',
    frameAnchor: 'right',
    textAnchor: 'end',
    dx: -4,
    dy,
    fill: color,
    fontWeight: 600,
    stroke: 'white',
    strokeWidth: 3,
    paintOrder: 'stroke',
  });
}

function lossLabel(report: Report): string {
  const loss = report.evidence.task?.loss;
  return loss ? loss.replace(/_/g, ' ') : 'loss';
}

// ---------------------------------------------------------------------------------------------
// The plots

type Builder = (report: Report, document: Document) => PlotFigure | null;

const lossCurve: Builder = (report, document) => {
  const t = report.evidence.training;
  if (!t?.loss) return null;
  const parts: Point[] = [
    ...seriesPoints(t.loss, 'total loss', finite),
    ...seriesPoints(t.dataLoss, 'data loss', finite),
    ...seriesPoints(t.regLoss, 'regularization loss', finite),
  ];
  const val = seriesPoints(t.valLoss, 'validation loss', finite);
  const all = [...parts, ...val];
  if (!all.some((p) => isNum(p.value))) return null;
  const notes: string[] = [];
  const regValues = t.regLoss?.values ?? [];
  const regAllZero = regValues.length > 0 && regValues.every((v) => v === 0);
  // Without a regularization loss, total and data loss are the same line: draw it once.
  const dataValues: unknown[] = Array.isArray(t.dataLoss?.values) ? t.dataLoss.values : [];
  const totalValues: unknown[] = Array.isArray(t.loss.values) ? t.loss.values : [];
  const totalIsData =
    dataValues.length === totalValues.length &&
    dataValues.every((v, i) => {
      const w = totalValues[i];
      return !isNum(v) || !isNum(w) || Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(v));
    });
  const lines = parts.filter(
    (p) => !(regAllZero && p.series === 'regularization loss') && !(totalIsData && p.series === 'total loss'),
  );
  if (regAllZero)
    notes.push(
      'The regularization loss is 0 at every step (the model has no regularizers), so total loss = data loss.',
    );
  const shown = [...lines, ...val];
  const classes = report.evidence.task?.kind === 'classification' ? report.evidence.task.classes : null;
  const expectedInitial = isNum(classes) && classes > 1 ? Math.log(classes) : Number.NaN;
  const log = wantsLog(shown.map((p) => p.value));
  const plotted = log ? lines.map((p) => ({ ...p, value: positive(p.value) })) : lines;
  const domain = ['total loss', 'data loss', 'regularization loss', 'validation loss'].filter((name) =>
    shown.some((p) => p.series === name && isNum(p.value)),
  );
  const colors: Record<string, string> = {
    'total loss': C.total,
    'data loss': C.data,
    'regularization loss': C.reg,
    'validation loss': C.val,
  };
  const marks: Plot.Markish[] = [
    Plot.lineY(plotted, { x: 'step', y: 'value', stroke: 'series', strokeWidth: 1.8 }),
    Plot.lineY(val, { x: 'step', y: 'value', stroke: 'series', strokeWidth: 1.8, strokeDasharray: '5,3' }),
    Plot.dot(val, { x: 'step', y: 'value', stroke: 'series', fill: 'white', r: 2.5 }),
  ];
  if (isNum(classes) && classes > 1) {
    marks.push(
      Plot.ruleY([expectedInitial], { stroke: C.muted, strokeDasharray: '2,3' }),
      lineLabel(
        expectedInitial,
        `expected initial loss ln(${classes}) = ${fmtNumber(expectedInitial)}`,
        C.muted,
      ),
    );
  }
  if (isNum(t.initialLoss) && (!log || t.initialLoss > 0)) {
    marks.push(
      Plot.dot([{ step: 0, value: t.initialLoss, label: `initial loss ${fmtNumber(t.initialLoss)}` }], {
        x: 'step',
        y: 'value',
        symbol: 'diamond',
        r: 5,
        fill: C.total,
        title: 'label',
      }),
    );
  }
  if (isNum(t.nonFiniteStep)) {
    marks.push(
      Plot.ruleX([t.nonFiniteStep], { stroke: C.bad, strokeWidth: 1.5 }),
      markerLabel(t.nonFiniteStep, `loss NaN/Inf from step ${t.nonFiniteStep}`, C.bad, 'end'),
    );
    notes.push(`The loss became NaN or infinite at step ${t.nonFiniteStep}; the lines stop there.`);
  }
  const svg = renderPanel(
    document,
    {
      x: { label: 'training step →', nice: true },
      y: log
        ? logScale(
            [...shown.map((p) => p.value), t.initialLoss, expectedInitial],
            `↑ ${lossLabel(report)} (log scale)`,
          )
        : { label: `↑ ${lossLabel(report)}`, grid: true, nice: true },
      color: { domain, range: domain.map((d) => colors[d]), legend: true },
      marks,
    },
    'Loss per training step',
  );
  return {
    id: 'loss-curve',
    title: 'Loss of the instrumented run',
    caption:
      'Total, data and regularization loss per step of the short training run on your setup (validation loss when a validation set exists). Healthy: the data loss falls steadily from about the expected initial loss, and the regularization loss stays well below it.',
    panels: [svg],
    notes,
  };
};

const overfitCurve: Builder = (report, document) => {
  const o = report.evidence.overfit;
  if (!o?.loss) return null;
  const points = seriesPoints(o.loss, 'loss', finite);
  if (!points.some((p) => isNum(p.value))) return null;
  const log = wantsLog(
    points.map((p) => p.value),
    10,
  );
  const ratio = threshold(report, 'inputs/overfit-small', ['maxLossRatio'], 0.05);
  const marks: Plot.Markish[] = [
    Plot.lineY(log ? points.map((p) => ({ ...p, value: positive(p.value) })) : points, {
      x: 'step',
      y: 'value',
      stroke: C.data,
      strokeWidth: 1.8,
    }),
  ];
  if (isNum(o.initialLoss) && o.initialLoss > 0) {
    const target = o.initialLoss * ratio;
    marks.push(
      Plot.ruleY([o.initialLoss], { stroke: C.muted, strokeDasharray: '2,3' }),
      lineLabel(o.initialLoss, `initial ${fmtNumber(o.initialLoss)}`, C.muted, 12),
      Plot.ruleY([target], { stroke: C.ok, strokeDasharray: '6,3' }),
      lineLabel(target, `target: ${fmtNumber(ratio * 100)}% of initial = ${fmtNumber(target)}`, C.ok),
    );
  }
  const svg = renderPanel(
    document,
    {
      x: { label: 'training step →' },
      y: log
        ? logScale(
            [...points.map((p) => p.value), o.initialLoss, o.initialLoss * ratio],
            `↑ ${lossLabel(report)} (log scale)`,
          )
        : { label: `↑ ${lossLabel(report)}`, grid: true },
      marks,
    },
    `Loss while overfitting ${o.records} records`,
  );
  const acc = isNum(o.finalAccuracy) ? `; final train accuracy ${fmtNumber(o.finalAccuracy * 100)}%` : '';
  const removed =
    Array.isArray(o.removed) && o.removed.length
      ? ` Switched off for this run: ${o.removed.join(', ')}.`
      : '';
  return {
    id: 'overfit-curve',
    title: `Overfitting ${o.records} records`,
    caption: `Loss while training on only ${o.records} records with regularization off (final loss ${fmtNumber(o.finalLoss)}${acc}). Healthy: the curve drops below the target line; a model that cannot memorize a handful of records has a bug.${removed}`,
    panels: [svg],
    notes: [],
  };
};

const controlCurve: Builder = (report, document) => {
  const c = report.evidence.control;
  const s = report.evidence.simplified;
  const panels: string[] = [];
  const captions: string[] = [];
  if (c?.loss) {
    const points = seriesPoints(c.loss, 'loss', finite);
    if (points.some((p) => isNum(p.value))) {
      const marks: Plot.Markish[] = [
        Plot.lineY(points, { x: 'step', y: 'value', stroke: C.data, strokeWidth: 1.8 }),
      ];
      if (isNum(c.chanceLoss)) {
        marks.push(
          Plot.ruleY([c.chanceLoss], { stroke: C.bad, strokeDasharray: '4,3' }),
          lineLabel(c.chanceLoss, `chance (constant predictor) ${fmtNumber(c.chanceLoss)}`, C.bad),
        );
      }
      panels.push(
        renderPanel(
          document,
          {
            x: { label: 'training step →' },
            y: {
              label: `↑ ${lossLabel(report)} on the ${c.corpus === 'mnist' ? 'MNIST' : 'synthetic'} control`,
              grid: true,
              zero: true,
            },
            marks,
          },
          'Loss on the control corpus',
        ),
      );
      const acc = isNum(c.finalAccuracy)
        ? ` Held-out accuracy ${fmtNumber(c.finalAccuracy * 100)}% (chance ${fmtNumber((c.chanceAccuracy ?? 0) * 100)}%).`
        : '';
      captions.push(
        `${s?.userLoss && s.simpleLoss ? 'Left: the' : 'The'} same architecture and training code on a known-learnable ${c.corpus === 'mnist' ? 'MNIST' : 'synthetic'} corpus; healthy when the loss falls well under chance.${acc}`,
      );
    }
  }
  if (s?.userLoss && s.simpleLoss) {
    const points = [
      ...seriesPoints(s.userLoss, 'your model', finite),
      ...seriesPoints(s.simpleLoss, 'simple model (dense 64 relu)', finite),
    ];
    if (points.some((p) => isNum(p.value))) {
      panels.push(
        renderPanel(
          document,
          {
            x: { label: 'training step →' },
            y: { label: `↑ ${lossLabel(report)} on your data`, grid: true, zero: true },
            color: {
              domain: ['your model', 'simple model (dense 64 relu)'],
              range: [C.data, C.reg],
              legend: true,
            },
            marks: [Plot.lineY(points, { x: 'step', y: 'value', stroke: 'series', strokeWidth: 1.8 })],
          },
          'Your model against a simple model',
        ),
      );
      captions.push(
        `${panels.length > 1 ? 'Right' : 'Here'}: your model against a deliberately simple one on your data and the same budget; a simple model that learns far better points at the architecture.`,
      );
    }
  }
  if (panels.length === 0) return null;
  return {
    id: 'control-curve',
    title:
      c && panels.length > 1
        ? 'Control corpus and a simple model'
        : c
          ? 'Control corpus'
          : 'Your model against a simple model',
    caption: captions.join(' '),
    panels,
    notes: [],
  };
};

const lrSweep: Builder = (report, document) => {
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

interface LayerSeries {
  layer: string;
  depth: number;
  steps: unknown[];
  values: unknown[];
}

/** Kernel telemetry (all variables when no kernel is marked), one entry per series in depth order. */
function telemetry(report: Report, field: 'gradNorm' | 'updateRatio'): LayerSeries[] {
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

function uniqueNames(items: { layer: string }[]): string[] {
  return [...new Set(items.map((i) => i.layer))];
}

interface LayerPoint {
  step: number;
  value: number;
  layer: string;
}

function layerPoints(list: LayerSeries[]): LayerPoint[] {
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

const MAX_LINES = 12;

/** Per-layer median with a 10–90% range: readable for any number of layers. */
function summaryMarks(list: LayerSeries[], names: string[], colors: string[]) {
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

const gradientNorms: Builder = (report, document) => {
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

const updateRatios: Builder = (report, document) => {
  const list = telemetry(report, 'updateRatio');
  const names = uniqueNames(list);
  const points = layerPoints(list);
  if (!points.some((p) => isNum(p.value))) return null;
  const lo = threshold(report, 'other/update-ratio', ['minRatio', 'failBelow', 'lowRatio', 'min'], 1e-4);
  const hi = threshold(report, 'other/update-ratio', ['maxRatio', 'warnAbove', 'highRatio', 'max'], 1e-1);
  const values = points.map((p) => p.value).filter(isNum);
  const domain: [number, number] = [Math.min(lo / 5, ...values), Math.max(hi * 5, ...values)];
  const colors = layerColors(names);
  const bounds: Plot.Markish[] = [
    Plot.rectY([{ y1: domain[0], y2: lo }], { y1: 'y1', y2: 'y2', fill: C.bad, fillOpacity: 0.06 }),
    Plot.rectY([{ y1: hi, y2: domain[1] }], { y1: 'y1', y2: 'y2', fill: C.warn, fillOpacity: 0.06 }),
    Plot.ruleY([lo], { stroke: C.bad, strokeDasharray: '6,3' }),
    Plot.ruleY([hi], { stroke: C.warn, strokeDasharray: '6,3' }),
    lineLabel(lo, `${fmtNumber(lo)}: learning too slowly below`, C.bad, 12),
    lineLabel(hi, `${fmtNumber(hi)}: too fast above`, C.warn),
  ];
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

const weightVariance: Builder = (report, document) => {
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

const RELU = /relu|elu|selu|gelu|swish|silu/i;
const SQUASH = /tanh|sigmoid|softsign|hard_sigmoid|hardsigmoid/i;

const activations: Builder = (report, document) => {
  const a = report.evidence.training?.activations;
  if (!a) return null;
  const phases: ['start' | 'end', string][] = [
    ['start', 'start of run'],
    ['end', 'end of run'],
  ];
  type Row = {
    layer: string;
    phase: string;
    depth: number;
    std: number;
    dead: number;
    saturated: number;
    activation: string;
  };
  const rows: Row[] = [];
  for (const [key, label] of phases) {
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
  const phaseDomain = phases.map(([, l]) => l).filter((l) => rows.some((r) => r.phase === l));
  const phaseColors = phaseDomain.map((l) => (l === 'start of run' ? C.start : C.end));
  const panels: string[] = [];
  const notes: string[] = [];

  // Dead (ReLU family) or saturated (tanh/sigmoid family) fraction per layer.
  const frac = rows
    .filter((r) => RELU.test(r.activation) || SQUASH.test(r.activation) || r.dead > 0 || r.saturated > 0)
    .map((r) => {
      const dead = RELU.test(r.activation) || r.dead > 0;
      return { ...r, metric: dead ? 'dead' : 'saturated', fraction: dead ? r.dead : r.saturated };
    });
  if (frac.some((r) => isNum(r.fraction))) {
    const fracLayers = layers.filter((l) => frac.some((r) => r.layer === l));
    const kind = new Map(frac.map((r) => [r.layer, r.metric]));
    const fail = threshold(report, 'activations/dead-relu', ['failFraction'], 0.5);
    const warnDead = threshold(report, 'activations/dead-relu', ['warnFraction'], 0.2);
    const warnSat = threshold(report, 'activations/saturation', ['warnFraction'], 0.1);
    const maxY = Math.max(fail * 120, ...frac.map((r) => r.fraction * 115).filter(isNum));
    panels.push(
      renderPanel(
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
            Plot.ruleY([fail * 100], { stroke: C.bad, strokeDasharray: '6,3' }),
            Plot.ruleY([0]),
          ],
        },
        'Fraction of dead or saturated units per layer',
      ),
    );
    notes.push(
      `Dashed line: fail at ${fmtNumber(fail * 100)}% of a layer's units; warnings start at ${fmtNumber(warnDead * 100)}% dead (ReLU family) or ${fmtNumber(warnSat * 100)}% saturated (tanh/sigmoid).`,
    );
  }

  // Activation std per layer, start and end.
  const stds = rows.filter((r) => isNum(r.std));
  if (stds.length) {
    const positives = stds.map((r) => r.std).filter((v) => v > 0);
    const floor = positives.length ? Math.min(...positives) / 20 : 1e-6;
    const drawn = stds.map((r) => ({ ...r, y: r.std > 0 ? r.std : floor, zero: r.std <= 0 }));
    const zeros = drawn.filter((r) => r.zero);
    panels.push(
      renderPanel(
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
      ),
    );
    if (zeros.length)
      notes.push(`Std 0 (constant output) is drawn at the bottom of the std axis and marked “= 0”.`);
  }
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

const classCounts: Builder = (report, document) => {
  const counts = report.evidence.dataset?.classCounts;
  if (!Array.isArray(counts) || counts.length === 0) return null;
  const rows = counts.map((n, i) => ({ cls: String(i), count: finite(n) }));
  const many = rows.length > 24;
  const missing = rows.filter((r) => r.count === 0);
  const panels: string[] = [];
  panels.push(
    renderPanel(
      document,
      {
        x: {
          label: 'class →',
          domain: rows.map((r) => r.cls),
          padding: 0.15,
          ticks: many
            ? rows.filter((_, i) => i % Math.ceil(rows.length / 20) === 0).map((r) => r.cls)
            : undefined,
        },
        y: { label: '↑ records', grid: true, zero: true },
        marks: [
          Plot.barY(rows, {
            x: 'cls',
            y: 'count',
            fill: C.data,
            title: (d: { cls: string; count: number }) => `class ${d.cls}: ${d.count} records`,
          }),
          many
            ? null
            : Plot.text(rows, {
                x: 'cls',
                y: 'count',
                text: (d: { count: number }) => fmtNumber(d.count),
                dy: -7,
                fill: C.total,
              }),
          Plot.text(missing, {
            x: 'cls',
            y: 0,
            text: () => 'missing',
            dy: -20,
            rotate: -90,
            textAnchor: 'start',
            fill: C.bad,
            fontWeight: 700,
          }),
          Plot.ruleY([0]),
        ],
      },
      'Records per class',
    ),
  );
  const r = report.evidence.rebalancing;
  if (r?.plain && Array.isArray(r.plain.recall)) {
    const strategies: [string, { recall: number[] } | undefined][] = [
      ['plain', r.plain],
      ['class weights', r.weighted],
      ['oversampling', r.oversampled],
    ];
    const recall = strategies.flatMap(([name, s]) =>
      (s?.recall ?? []).map((v, i) => ({ cls: String(i), recall: finite(v), strategy: name })),
    );
    const strategyDomain = strategies.map(([n]) => n);
    if (recall.some((x) => isNum(x.recall)) && !many) {
      panels.push(
        renderPanel(
          document,
          {
            fx: { label: 'class →', domain: rows.map((x) => x.cls), padding: 0.1 },
            x: { axis: null, domain: strategyDomain, padding: 0.05 },
            y: { label: '↑ held-out recall (%)', domain: [0, 100], grid: true },
            color: { domain: strategyDomain, range: [C.muted, C.data, C.reg], legend: true },
            marks: [
              Plot.barY(recall, {
                fx: 'cls',
                x: 'strategy',
                y: (d: { recall: number }) => d.recall * 100,
                fill: 'strategy',
                title: (d: { cls: string; strategy: string; recall: number }) =>
                  `class ${d.cls}, ${d.strategy}: ${fmtNumber(d.recall * 100)}% recall`,
              }),
              Plot.ruleY([0]),
            ],
          },
          'Held-out recall per class with and without rebalancing',
        ),
      );
    }
  }
  const finiteCounts = counts.filter(isNum);
  const lo = Math.min(...finiteCounts);
  const hi = Math.max(...finiteCounts);
  const ratio =
    lo > 0
      ? `largest/smallest = ${fmtNumber(hi / lo)}`
      : `${missing.length} class${missing.length === 1 ? '' : 'es'} without records`;
  return {
    id: 'class-counts',
    title: 'Records per class',
    caption: `Training records per class (${ratio}). Healthy: no class is missing and the largest is within about 3× the smallest.${panels.length > 1 ? ' Right: recall of each class on held-out records after plain training, with class weights and with oversampling.' : ''}`,
    panels,
    notes: [],
  };
};

const BUILDERS: [PlotId, Builder][] = [
  ['loss-curve', lossCurve],
  ['overfit-curve', overfitCurve],
  ['control-curve', controlCurve],
  ['lr-sweep', lrSweep],
  ['gradient-norms', gradientNorms],
  ['update-ratios', updateRatios],
  ['weight-variance', weightVariance],
  ['activations', activations],
  ['class-counts', classCounts],
];

/** Every plot the report's evidence supports, in report order. A plot that fails to draw is left out, with a note. */
export function buildPlots(
  report: Report,
  document: Document,
): { figures: PlotFigure[]; failures: string[] } {
  const figures: PlotFigure[] = [];
  const failures: string[] = [];
  for (const [id, build] of BUILDERS) {
    try {
      const figure = build(report, document);
      if (figure) figures.push(figure);
    } catch (err) {
      failures.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { figures, failures };
}
