// The plain-CSV fast path must read exactly what csv-parse reads.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseCsv fast path', () => {
  const inputs = {
    plain: 'a,b,label\n1,2,0\n3,4,1\n',
    'CRLF, spaces, empty lines, BOM': '\uFEFFa , b,label\r\n 1, 2 ,0\r\n\r\n3,4,1\r\n\n',
    'missing and special cells': 'a,b,label\n,NA,0\nnan,inf,1\n-Infinity,1e-3,2\n',
    tabs: 'a\tb\tlabel\n1\t2\t0\n',
    'semicolons, no trailing newline': 'a;b;label\n1.5;-2;1',
  };
  for (const [name, text] of Object.entries(inputs)) {
    it(`reads ${name} exactly as csv-parse does`, () => {
      const fast = parseCsv(enc(text), 'x.csv');
      const delimiter = text.includes('\t') ? '\t' : text.split('\n')[0].includes(';') ? ';' : ',';
      const reference = parse(text, {
        bom: true,
        skip_empty_lines: true,
        trim: true,
        delimiter,
      }) as string[][];
      expect(fast.header).toEqual(reference[0]);
      expect(fast.rows).toBe(reference.length - 1);
      // Same table through the csv-parse path: quote one header cell to force it.
      const quoted = parseCsv(enc(text.replace(/^(\uFEFF?)a/, '$1"a"')), 'x.csv');
      expect(Array.from(fast.values)).toEqual(Array.from(quoted.values));
    });
  }
  it('names the ragged record', () => {
    expect(() => parseCsv(enc('a,b,label\n1,2,0\n3,4\n'), 'r.csv')).toThrow(/r\.csv.*record 3 has 2 fields/);
  });
});
