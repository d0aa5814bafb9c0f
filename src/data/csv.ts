// CSV reader: a header row, then numeric values. Missing cells (empty, NA, null) read as NaN and
// nan/inf spellings as their values: non-finite data is a finding of the checkup, not a load error.
// Numbers are decimal only: `0x10`, `0o7`, `0b1` are not numbers here (JavaScript's Number() would
// read them); a decimal too large for float32 (`1e400`, `1e39`) reads as ±Infinity, like numpy's
// float32 conversion, and the checkup then reports it as a non-finite value.
// In a browser bundle, package.json's "browser" field maps this to csv-parse's browser build (it
// brings its own Buffer); Node keeps the native one (1.2–2× faster here).
import { parse } from 'csv-parse/sync';
import { parseDecimal } from '../core/decimal.ts';
import { firstLine, inputError } from './common.ts';
import { DATA_LIMITS } from './limits.ts';

export interface CsvTable {
  header: string[];
  rows: number;
  /** Row-major, rows × header.length. */
  values: Float32Array;
}

const SPECIAL: Record<string, number> = {
  nan: Number.NaN,
  na: Number.NaN,
  'n/a': Number.NaN,
  null: Number.NaN,
  none: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
  true: 1,
  false: 0,
};

/** A cell's numeric value, or undefined when it is not a number. */
export function parseCell(cell: string): number | undefined {
  if (cell === '') return Number.NaN;
  return parseDecimal(cell) ?? SPECIAL[cell.toLowerCase()];
}

function detectDelimiter(text: string): string {
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  for (const d of [',', '\t', ';']) if (first.includes(d)) return d;
  return ',';
}

/**
 * Plain CSV — no quote characters anywhere — split directly: lines, then cells, trimmed, empty
 * lines skipped. Measured 3.5× faster than the csv-parse path on a 14 MB 5000×785 pixel table
 * (`npx tsx bench/csv-read.ts`); anything quoted goes through csv-parse.
 */
function splitPlain(text: string, delimiter: string, where: string): string[][] {
  const records: string[][] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const cells = line.split(delimiter);
    for (let i = 0; i < cells.length; i++) cells[i] = cells[i].trim();
    if (records.length && cells.length !== records[0].length) {
      throw inputError(
        where,
        `cannot parse CSV (record ${records.length + 1} has ${cells.length} fields, the header has ${records[0].length})`,
      );
    }
    records.push(cells);
  }
  return records;
}

export function parseCsv(bytes: Uint8Array, where: string): CsvTable {
  if (bytes.length > DATA_LIMITS.maxCsvBytes) {
    throw inputError(
      where,
      `is ${bytes.length} bytes of CSV text; the limit is ${DATA_LIMITS.maxCsvBytes} (save large data as .npy or .npz)`,
    );
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const delimiter = detectDelimiter(text);
  let records: string[][];
  if (!text.includes('"')) records = splitPlain(text, delimiter, where);
  else {
    try {
      records = parse(text, { bom: true, skip_empty_lines: true, trim: true, delimiter });
    } catch (err) {
      throw inputError(where, `cannot parse CSV (${firstLine(err)})`);
    }
  }
  if (records.length === 0) throw inputError(where, 'empty file (expected a header row)');
  const header = records[0];
  const cols = header.length;
  // A numeric first row is data, not a header, unless it is pandas' default header 0,1,…,n-1.
  const pandasDefault = header.every((h, i) => h === String(i));
  if (!pandasDefault && header.every((h) => h !== '' && parseCell(h) !== undefined)) {
    throw inputError(
      where,
      `the first row (${header.slice(0, 3).join(', ')}…) is numeric; a header row is required`,
    );
  }
  const rows = records.length - 1;
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const rec = records[r + 1];
    for (let c = 0; c < cols; c++) {
      const v = parseCell(rec[c]);
      if (v === undefined) {
        throw inputError(
          where,
          `data row ${r + 1}, column '${header[c]}': '${rec[c]}' is not a number (all values must be numeric)`,
        );
      }
      values[r * cols + c] = v;
    }
  }
  return { header, rows, values };
}

/** Columns `cols` of the table as a row-major [rows, cols.length] array. */
export function selectColumns(table: CsvTable, cols: readonly number[]): Float32Array {
  const width = table.header.length;
  const out = new Float32Array(table.rows * cols.length);
  for (let r = 0; r < table.rows; r++) {
    for (let j = 0; j < cols.length; j++) out[r * cols.length + j] = table.values[r * width + cols[j]];
  }
  return out;
}
