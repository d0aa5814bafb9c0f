// Numbers, fractions and durations as people read them: the one formatter of the project, for
// check sentences, remedy texts, messages and the three renderers. (src/shared/ is below every
// layer: framework-free, it imports nothing from src/ outside src/shared/.)
//
// Two presets of one implementation, because sentences and tables were written differently before
// they shared it and reports keep their wording:
// - `fmt` (sentences): 3 significant digits, exponent form at |x| ≥ 1e5 or < 1e-3 written `1e+5`,
//   no digit grouping; null is `n/a`, infinities `Infinity`;
// - `fmtNumber` (tables, plots, report headers): exponent form at |x| ≥ 1e6 or < 1e-3 written `1e5`,
//   integers grouped (`12,345`), values ≥ 100 to one decimal; null is `—`, infinities `∞`.

interface NumberStyle {
  /** Significant digits. */
  digits: number;
  /** |x| at or above this is written with an exponent. */
  expAbove: number;
  /** Group thousands; values ≥ 100 keep one decimal (a table column, not a sentence). */
  grouped: boolean;
  /** `e+5` (sentences) or `e5` (tables). */
  plusSign: boolean;
  missing: string;
  infinity: [string, string];
}

const SENTENCE: NumberStyle = {
  digits: 3,
  expAbove: 1e5,
  grouped: false,
  plusSign: true,
  missing: 'n/a',
  infinity: ['Infinity', '-Infinity'],
};
const TABLE: NumberStyle = {
  digits: 3,
  expAbove: 1e6,
  grouped: true,
  plusSign: false,
  missing: '—',
  infinity: ['∞', '−∞'],
};

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function groupThousands(n: number): string {
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

function formatNumber(x: number | null | undefined, style: NumberStyle): string {
  if (x === null || x === undefined) return style.missing;
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return style.infinity[0];
  if (x === Number.NEGATIVE_INFINITY) return style.infinity[1];
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= style.expAbove || abs < 1e-3) {
    const [mantissa, exponent] = x.toExponential(style.digits - 1).split('e');
    return `${trimZeros(mantissa)}e${style.plusSign ? exponent : exponent.replace('+', '')}`;
  }
  if (!style.grouped) return String(Number(x.toPrecision(style.digits)));
  if (Number.isInteger(x)) return groupThousands(x);
  if (abs >= 100) return groupThousands(Math.round(x * 10) / 10);
  return trimZeros(x.toPrecision(style.digits));
}

/** A number for a sentence: `digits` significant digits, exponent form when very small or large. */
export function fmt(x: number | null | undefined, digits = 3): string {
  return formatNumber(x, digits === 3 ? SENTENCE : { ...SENTENCE, digits });
}

/** A number for a table cell, a plot label or a header: 3 significant digits, thousands grouped. */
export function fmtNumber(x: number | null | undefined): string {
  return formatNumber(x, TABLE);
}

/**
 * A fraction as a percentage: `decimals` places (`12.3%`), or `{ significant }` digits for shares
 * that may be tiny (`0.012%`), or `'table'` for the table style (`12.3%`, `0.05%`, `1e-4%`).
 */
export function pct(x: number, precision: number | { significant: number } | 'table' = 1): string {
  if (precision === 'table') return `${fmtNumber(x * 100)}%`;
  if (typeof precision === 'number') return `${(x * 100).toFixed(precision)}%`;
  return `${(x * 100).toPrecision(precision.significant)}%`;
}

/** Milliseconds as `850 ms`, `4.8 s` or `2 min 05 s`. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${min} min ${String(s).padStart(2, '0')} s`;
}
