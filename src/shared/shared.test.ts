// The shared primitives: the one number formatter keeps the wording sentences and tables had
// before they shared it; `visible` escapes what drives a terminal and keeps everything else;
// the array helpers take arrays far past the argument limit of a spread.
import { describe, expect, it } from 'vitest';
import { maxOf, minOf, pushAll } from './array.ts';
import { fmt, fmtDuration, fmtNumber, pct } from './format.ts';
import { visible, visibleLines } from './text.ts';

describe('format', () => {
  it.each([
    [0, '0', '0'],
    [Math.LN10, '2.3', '2.3'],
    [0.000123456, '1.23e-4', '1.23e-4'],
    [123456, '1.23e+5', '123,456'],
    [1234567, '1.23e+6', '1.23e6'],
    [1234.567, '1230', '1,234.6'],
    [-0.5, '-0.5', '-0.5'],
    [Number.NaN, 'NaN', 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity', '∞'],
    [null, 'n/a', '—'],
  ])('%s: sentence %s, table %s', (x, sentence, table) => {
    expect(fmt(x)).toBe(sentence);
    expect(fmtNumber(x)).toBe(table);
  });

  it('significant digits, percentages and durations', () => {
    expect(fmt(0.123456, 2)).toBe('0.12');
    expect(fmt(987654, 2)).toBe('9.9e+5');
    expect(pct(0.12345)).toBe('12.3%');
    expect(pct(0.5, 0)).toBe('50%');
    expect(pct(0.00001, { significant: 2 })).toBe('0.0010%');
    expect(pct(0.000001, 'table')).toBe('1e-4%');
    expect(fmtDuration(850)).toBe('850 ms');
    expect(fmtDuration(125_000)).toBe('2 min 05 s');
  });
});

describe('visible', () => {
  it('escapes C0, DEL, C1, line separators and bidirectional controls; keeps letters, emoji, backslashes', () => {
    expect(visible('a\u001b]0;t\u0007\r\n\tb')).toBe('a\\x1b]0;t\\x07\\r\\n\\tb');
    expect(visible('\u007f\u0085\u2028\u202e\u2066')).toBe('\\x7f\\x85\\u2028\\u202e\\u2066');
    expect(visible('Ünïcödé 日本 🙂 C:\\path')).toBe('Ünïcödé 日本 🙂 C:\\path');
    expect(visible(null)).toBe('');
  });

  it('visibleLines keeps newlines only', () => {
    expect(visibleLines('a\u001b\nb\r\n')).toBe('a\\x1b\nb\\r\n');
  });
});

describe('array helpers', () => {
  it('work on 1,000,000 elements (a spread overflows the stack)', () => {
    const xs = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.max(...xs)).toThrow(RangeError);
    expect(maxOf(xs)).toBe(xs.reduce((a, b) => Math.max(a, b)));
    expect(minOf(xs)).toBe(0);
    expect(pushAll([-1], xs)).toHaveLength(1_000_001);
  });

  it('empty and NaN as Math.max/min', () => {
    expect(maxOf([])).toBe(Number.NEGATIVE_INFINITY);
    expect(minOf([])).toBe(Number.POSITIVE_INFINITY);
    expect(maxOf([1, Number.NaN])).toBeNaN();
  });
});
