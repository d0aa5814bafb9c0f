// Values and labels shared by the renderers (numbers themselves: src/shared/format.ts).
import { fmtNumber } from '../shared/format.ts';

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
