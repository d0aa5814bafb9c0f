// Helpers shared by the report's plots: the DOM document Plot draws into, defensive number
// handling, scales and ticks, colours, panel rendering and marker labels.
//
// Everything here reads numbers defensively: a report read back from JSON has null where the run
// measured NaN or ±Infinity, and a TensorBoard-fed report fills only some evidence keys.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { CheckId } from '../../../core/check.ts';
import type { PlotId, PlotLines } from '../../../core/plots.ts';
import type { CheckResult, Report } from '../../../core/report.ts';
import { fmtNumber } from '../../../shared/format.ts';

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

/**
 * A fresh DOM document for Plot. linkedom (8 MB installed, 14 packages) instead of jsdom (25 MB,
 * 37 packages): Plot only builds and serializes SVG, and the reports render pixel-identical in
 * Chromium with either (linkedom writes attributes in another order and self-closes empty SVG
 * elements).
 */
export function createDocument(): { document: Document; close(): void } {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return { document: document as unknown as Document, close: () => {} };
}

// ---------------------------------------------------------------------------------------------
// Small numeric helpers

export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Finite numbers pass; anything else (null, NaN, ±Infinity) becomes NaN, which Plot leaves as a gap. */
export const finite = (v: unknown): number => (isNum(v) ? v : Number.NaN);
/** For log axes: positive finite numbers only. */
export const positive = (v: unknown): number => (isNum(v) && v > 0 ? v : Number.NaN);

/** Keeps at most `max` items (evenly strided, last one kept) so long runs stay small in SVG. */
export function thin<T>(items: T[], max = 400): T[] {
  if (items.length <= max) return items;
  const stride = Math.ceil(items.length / max);
  const out = items.filter((_, i) => i % stride === 0);
  if ((items.length - 1) % stride !== 0) out.push(items[items.length - 1]);
  return out;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function extent(values: number[]): [number, number] | null {
  const ok = values.filter(isNum);
  if (ok.length === 0) return null;
  return [Math.min(...ok), Math.max(...ok)];
}

/** Log scale when every value is positive and they span more than `ratio`. */
export function wantsLog(values: number[], ratio = 30): boolean {
  const ok = values.filter(isNum);
  if (ok.length === 0 || ok.some((v) => v <= 0)) return false;
  const [lo, hi] = extent(ok) ?? [1, 1];
  return hi / lo > ratio;
}

/**
 * A log scale fitted to the values, with readable ticks: powers of ten (and 2×, 5× over short
 * spans) labelled `0.01`, `1e-4`, never SI prefixes such as `200m` that read as units.
 */
export function logScale(values: unknown[], label: string): Plot.ScaleOptions {
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

export const truncate = (s: string, n = 18): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * A threshold line a check declared for its plot (Check.plot.lines), at the value the check ran
 * with (user overrides applied); null when the report does not carry it (the check was not run,
 * or the report predates plotLines): the plot then draws no line rather than a guessed one.
 */
export function plotLine<P extends PlotId>(
  report: Report,
  id: CheckId,
  _plot: P,
  line: PlotLines[P],
): number | null {
  const v = report.checks.find((c: CheckResult) => c.id === id)?.plotLines?.[line];
  return isNum(v) ? v : null;
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

export function layerColors(layers: string[]): string[] {
  if (layers.length <= PALETTE.length) return PALETTE.slice(0, layers.length);
  // Many layers: a perceptually ordered hue ramp by depth (blue → purple → orange).
  return layers.map(
    (_, i) => `hsl(${Math.round(215 - (i / (layers.length - 1)) * 185)} 70% ${42 + (i % 2) * 8}%)`,
  );
}

export const C = {
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

export function renderPanel(document: Document, options: PlotOptions, ariaLabel: string): string {
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

export interface Point {
  step: number;
  value: number;
  series: string;
}

export function seriesPoints(
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
export function markerLabel(
  x: number,
  text: string,
  color: string,
  anchor: 'start' | 'end' = 'start',
  dy = 0,
) {
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
export function lineLabel(y: number, text: string, color: string, dy = -6) {
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

export function lossLabel(report: Report): string {
  const loss = report.evidence.task?.loss;
  return loss ? loss.replace(/_/g, ' ') : 'loss';
}

/** Draws one plot from the report, or null when its evidence is missing. */
export type Builder = (report: Report, document: Document) => PlotFigure | null;
