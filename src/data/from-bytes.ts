// Datasets from bytes (browser-safe): .npy, .npz, .csv and IDX files, gzipped or not, recognized by
// their first bytes, with the same bounds as from disk (./index.ts reads the files and comes here):
// sizes from headers before allocating, decompression capped by what the header claims.
import type { Dataset } from '../core/dataset.ts';
import { inputError, isGzip, type NdArray, sizeOf } from './common.ts';
import { parseCsv, selectColumns } from './csv.ts';
import { isIdx, parseIdx } from './idx.ts';
import { inflateCapped } from './inflate.ts';
import { isNpy, parseNpy } from './npy.ts';
import { isZip, readNpzArrays } from './npz.ts';
import { checkRecordCounts } from './validate.ts';

/** A file by name whose bytes are read on demand (`where` names it in errors). */
export interface NamedBytes {
  name: string;
  read(where: string): Uint8Array;
}

export type DataFormat = 'npy' | 'npz' | 'idx' | 'csv';

/** Arrays an .npz may hold: `x`/`y` (the contract), or Keras' `x_train`/`y_train` (mnist.npz). */
const NPZ_PAIRS = [
  ['x', 'y'],
  ['x_train', 'y_train'],
] as const;

/** Recognizes a file by its first bytes, falling back on its name for text formats. */
export function detectFormat(bytes: Uint8Array, path: string): DataFormat | null {
  if (isNpy(bytes)) return 'npy';
  if (isZip(bytes)) return 'npz';
  if (isIdx(bytes)) return 'idx';
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.npy')) return 'npy';
  if (name.endsWith('.npz')) return 'npz';
  if (/\.(csv|tsv|txt)$/.test(name)) return 'csv';
  if (/idx|ubyte/.test(name)) return 'idx';
  // Text without NUL bytes: read it as CSV.
  const head = bytes.subarray(0, 4096);
  return head.length > 0 && !head.includes(0) ? 'csv' : null;
}

/** A data file's bytes, gunzipped when gzip (bounded), and its format. */
function decodeFile(raw: Uint8Array, path: string, where: string): { bytes: Uint8Array; format: DataFormat } {
  const bytes = isGzip(raw) ? inflateCapped(raw, 'gzip', where) : raw;
  if (bytes.length === 0) throw inputError(where, 'empty file');
  const format = detectFormat(bytes, path);
  if (!format) {
    const gz = isGzip(raw) ? ' (after gunzip)' : '';
    throw inputError(where, `unrecognized file format${gz}; expected .npy, .npz, .csv or an IDX file`);
  }
  return { bytes, format };
}

function requireRecords(a: NdArray, where: string, what: string): NdArray {
  if (a.shape.length === 0)
    throw inputError(where, `${what} is a single scalar; expected one row per record`);
  return a;
}

/** A labels file: .npy, IDX, .npz (its `y`), or CSV (all columns; one column gives [records]). */
function loadLabels(file: NamedBytes, flag: string): NdArray {
  const where = `${flag} ${file.name}`;
  const { bytes, format } = decodeFile(file.read(where), file.name, where);
  switch (format) {
    case 'npy':
      return requireRecords(parseNpy(bytes, where), where, 'the array');
    case 'idx':
      return requireRecords(parseIdx(bytes, where), where, 'the array');
    case 'npz': {
      const { arrays, names } = readNpzArrays(bytes, ['y', 'y_train'], where);
      const y = arrays.get('y') ?? arrays.get('y_train');
      if (!y) throw inputError(where, `no array 'y' in the archive (arrays: ${names.join(', ') || 'none'})`);
      return requireRecords(y, where, "array 'y'");
    }
    case 'csv': {
      const t = parseCsv(bytes, where);
      const cols = t.header.length;
      return { data: t.values, shape: cols === 1 ? [t.rows] : [t.rows, cols] };
    }
  }
}

function takeRecords(a: NdArray, limit: number | undefined): NdArray {
  if (limit === undefined || a.shape[0] <= limit) return a;
  const per = sizeOf(a.shape.slice(1));
  return { data: a.data.slice(0, limit * per), shape: [limit, ...a.shape.slice(1)] };
}

export interface DatasetBytes {
  /** The features' file (with its labels for .npz and .csv). */
  data: NamedBytes;
  /** The labels' file, for .npy / IDX data (or to replace a CSV's label column). */
  labels?: NamedBytes;
  limit?: number;
  /** The dataset's `source` (default: the data file's name). */
  source?: string;
  dataFlag?: string;
  labelsFlag?: string;
}

/** A Dataset from a data file's bytes (and a label file's): what loadDataset does once it has read them. */
export function datasetFromBytes(input: DatasetBytes): Dataset {
  const data = input.data.name;
  const labels = input.labels?.name;
  const { limit } = input;
  const DF = input.dataFlag ?? '--data';
  const LF = input.labelsFlag ?? '--labels';
  const where = `${DF} ${data}`;
  const { bytes, format } = decodeFile(input.data.read(where), data, where);
  let x: NdArray;
  let y: NdArray | undefined;
  switch (format) {
    case 'npy':
    case 'idx': {
      x = requireRecords(
        format === 'npy' ? parseNpy(bytes, where) : parseIdx(bytes, where),
        where,
        'the array',
      );
      if (labels === undefined) {
        const kind = format === 'npy' ? 'a .npy file holds' : 'an IDX file holds';
        throw inputError(where, `${kind} only the inputs; pass the label file with ${LF}`);
      }
      break;
    }
    case 'npz': {
      const wanted = NPZ_PAIRS.flat();
      const { arrays, names } = readNpzArrays(bytes, wanted, where);
      const pair = NPZ_PAIRS.find(([xn]) => arrays.has(xn));
      if (!pair) {
        throw inputError(
          where,
          `no array 'x' in the archive (arrays: ${names.join(', ') || 'none'}); expected arrays 'x' and 'y'`,
        );
      }
      const [xn, yn] = pair;
      x = requireRecords(arrays.get(xn) as NdArray, where, `array '${xn}'`);
      const inner = arrays.get(yn);
      if (inner && labels !== undefined) {
        throw inputError(
          `${LF} ${labels}`,
          `not used: ${DF} ${data} already holds the labels (array '${yn}')`,
        );
      }
      if (!inner && labels === undefined) {
        throw inputError(where, `no array '${yn}' in the archive (arrays: ${names.join(', ')}); pass ${LF}`);
      }
      if (inner) y = requireRecords(inner, where, `array '${yn}'`);
      break;
    }
    case 'csv': {
      const t = parseCsv(bytes, where);
      const cols = t.header.length;
      const named = t.header.findIndex((h) => h.toLowerCase() === 'label');
      if (labels !== undefined) {
        if (named >= 0) {
          throw inputError(`${LF} ${labels}`, `not used: ${DF} ${data} has its own 'label' column`);
        }
        // Labels come from their own file: every column is a feature.
        x = { data: t.values, shape: [t.rows, cols] };
      } else {
        if (cols < 2) {
          throw inputError(
            where,
            'needs at least two columns (features and a label column named label, or last)',
          );
        }
        const labelCol = named >= 0 ? named : cols - 1;
        const featureCols = [...Array(cols).keys()].filter((c) => c !== labelCol);
        x = { data: selectColumns(t, featureCols), shape: [t.rows, featureCols.length] };
        y = { data: selectColumns(t, [labelCol]), shape: [t.rows] };
      }
      break;
    }
  }
  if (!y) y = loadLabels(input.labels as NamedBytes, LF);

  const ds: Dataset = {
    x: x.data,
    xShape: x.shape,
    y: y.data,
    yShape: y.shape,
    source: input.source ?? data,
  };
  checkRecordCounts(ds, { data, labels, dataFlag: DF, labelsFlag: LF });
  const xs = takeRecords(x, limit);
  const ys = takeRecords(y, limit);
  return { ...ds, x: xs.data, xShape: xs.shape, y: ys.data, yShape: ys.shape };
}
