// Number and value formatting shared by the HTML and Markdown renderers.

/** A number for people: 3 significant digits, exponent notation when tiny or huge. */
export function fmtNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '∞';
  if (n === Number.NEGATIVE_INFINITY) return '−∞';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e6 || abs < 1e-3) {
    const [mantissa, exponent] = n.toExponential(2).split('e');
    return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
  }
  if (Number.isInteger(n)) return groupThousands(n);
  if (abs >= 100) return groupThousands(Math.round(n * 10) / 10);
  return trimZeros(n.toPrecision(3));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function groupThousands(n: number): string {
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

/** Any measured value (number, string, boolean, null, number[]) as short text. */
export function fmtValue(value: unknown, maxItems = 8): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return fmtNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    const shown = value.slice(0, maxItems).map((v) => fmtValue(v, maxItems));
    const more = value.length > maxItems ? `, … (${value.length} in all)` : '';
    return `[${shown.join(', ')}${more}]`;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `majorityShare` → `majority share`, `failRatio` → `fail ratio`, `lr_max` → `lr max`. */
export function humanize(key: string): string {
  return key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
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

export const STATUS_LABEL = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
  error: 'ERROR',
} as const;

/** The report's overall verdict as a label and glyph (a verdict is not a check status). */
export const VERDICT_LABEL = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  inconclusive: 'INCONCLUSIVE',
} as const;
export const VERDICT_ICON = { pass: '✓', warn: '!', fail: '✕', inconclusive: '?' } as const;

/** A glyph beside the text label, so status never rests on colour alone. */
export const STATUS_ICON = {
  pass: '✓',
  warn: '!',
  fail: '✕',
  skip: '–',
  error: '?',
} as const;
