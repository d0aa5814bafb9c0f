// CSV reading: parseCsv's plain-CSV path vs its csv-parse path (taken when the file has quotes;
// forced here by quoting one header cell) on the same table, side by side in one run.
// Usage: npx tsx bench/csv-read.ts [--rows N]
import { parseArgs } from 'node:util';
import { createRng } from '../src/core/random.ts';
import { parseCsv } from '../src/data/csv.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '5000' }, runs: { type: 'string', default: '3' } },
});
const rows = Number(values.rows);
const cols = 785; // an MNIST row: label + 784 pixels
const rng = createRng(1);
const lines = [['label', ...Array.from({ length: cols - 1 }, (_, i) => `p${i}`)].join(',')];
for (let r = 0; r < rows; r++) {
  lines.push(
    Array.from({ length: cols }, (_, c) => String(c === 0 ? r % 10 : Math.floor(rng() * 256))).join(','),
  );
}
const text = `${lines.join('\n')}\n`;
const bytes = new TextEncoder().encode(text);
const quotedBytes = new TextEncoder().encode(text.replace(/^label/, '"label"'));

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours: number[] = [];
const library: number[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  ours.push(time(() => parseCsv(bytes, 'bench.csv')));
  library.push(time(() => parseCsv(quotedBytes, 'bench.csv')));
}
const mb = bytes.length / 1e6;
console.log(`${rows}×${cols} table, ${mb.toFixed(1)} MB`);
console.log(
  `nn-doctor parseCsv (plain path): median ${median(ours).toFixed(0)} ms = ${(mb / (median(ours) / 1000)).toFixed(1)} MB/s`,
);
console.log(
  `parseCsv (csv-parse path):      median ${median(library).toFixed(0)} ms = ${(mb / (median(library) / 1000)).toFixed(1)} MB/s`,
);
console.log(
  `ratio: the plain path is ${(median(library) / median(ours)).toFixed(1)}× faster on the same table`,
);
