// Loading training data from disk for the CLI: .npy (+ --labels), .npz, .csv, IDX (+ .gz), or MNIST.
import { basename } from 'node:path';
import type { Dataset } from '../core/dataset.ts';
import { inputError, isGzip, type NdArray, sizeOf } from './common.ts';
import { parseCsv, selectColumns } from './csv.ts';
import { isIdx, parseIdx } from './idx.ts';
import type { ImageTarget } from './image-folder.ts';
import { isDirectory } from './image-options.ts';
import { inflateCapped } from './inflate.ts';
import { loadMnist, type MnistSplit } from './mnist.ts';
import { isNpy, parseNpy } from './npy.ts';
import { isZip, readNpzArrays } from './npz.ts';
import { readInputFile } from './read-file.ts';
import { checkRecordCounts } from './validate.ts';

export type { Dataset } from '../core/dataset.ts';
export type { NdArray } from './common.ts';
export { parseCsv } from './csv.ts';
export { parseIdx } from './idx.ts';
// The image reader (and its decoders, CommonJS packages) loads only when a folder is read.
export type { ImageTarget } from './image-folder.ts';
export {
  DEFAULT_MAX_PER_CLASS,
  modelRescalesInputs,
  PIXEL_SCALES,
  type PixelScale,
} from './image-options.ts';
export {
  loadMnist,
  MNIST_PIXEL_SCALE,
  MNIST_TEST_SIZE,
  MNIST_TRAIN_SIZE,
  type MnistOptions,
} from './mnist.ts';
export { parseNpy } from './npy.ts';
export { readNpzArrays } from './npz.ts';
export {
  type DataFlags,
  fitDatasetToModel,
  type LossKind,
  lossKind,
  type ModelIO,
  validateDataset,
} from './validate.ts';

export interface LoadDatasetOptions {
  /** `--data`: a file path, or `mnist` (train split) / `mnist:test`. */
  data: string;
  /** `--labels`: the label file for .npy / IDX data (or to replace a CSV's label column). */
  labels?: string;
  /** Keep only the first `limit` records (MNIST then reads only those bytes). */
  limit?: number;
  /** Flag names used in messages (defaults `--data`, `--labels`; e.g. `--val`, `--val-labels`). */
  dataFlag?: string;
  labelsFlag?: string;
  /** For `data` that is a folder of class folders of images: what the model takes. */
  image?: ImageTarget;
}

export type DataFormat = 'npy' | 'npz' | 'idx' | 'csv';

const MNIST_NAME = /^mnist(?::(train|test))?$/i;

/** Whether `--data` names the bundled MNIST (`mnist`, `mnist:train`, `mnist:test`) rather than a file. */
export function isMnistName(data: string): boolean {
  return MNIST_NAME.test(data);
}

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

function readFile(path: string, where: string): { bytes: Uint8Array; format: DataFormat } {
  const raw = readInputFile(path, where);
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
function loadLabels(path: string, flag: string): NdArray {
  const where = `${flag} ${path}`;
  const { bytes, format } = readFile(path, where);
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

/**
 * Loads `--data` (and `--labels`) into a Dataset. Errors are UsageErrors naming the flag and file.
 * Shapes are as stored (fitDatasetToModel reshapes to the model and checks the labels); NaN/Inf
 * values load as they are. The files are only read.
 */
export async function loadDataset(opts: LoadDatasetOptions): Promise<Dataset> {
  const { data, labels, limit } = opts;
  const DF = opts.dataFlag ?? '--data';
  const LF = opts.labelsFlag ?? '--labels';
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  const mnist = MNIST_NAME.exec(data);
  if (mnist) {
    if (labels !== undefined) {
      throw inputError(`${LF} ${labels}`, `not used with ${DF} mnist (MNIST comes with its labels)`);
    }
    return loadMnist((mnist[1]?.toLowerCase() ?? 'train') as MnistSplit, limit);
  }

  const where = `${DF} ${data}`;
  if (isDirectory(data)) {
    if (labels !== undefined) {
      throw inputError(
        `${LF} ${labels}`,
        `not used with a folder of images (${DF} ${data}): labels come from the class folders`,
      );
    }
    if (!opts.image)
      throw inputError(
        where,
        "is a directory; reading it as class folders of images needs the model's input shape",
      );
    const { loadImageFolder } = await import('./image-folder.ts');
    return loadImageFolder(data, opts.image, DF);
  }
  const { bytes, format } = readFile(data, where);
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
  if (!y) y = loadLabels(labels as string, LF);

  const ds: Dataset = {
    x: x.data,
    xShape: x.shape,
    y: y.data,
    yShape: y.shape,
    source: basename(data),
  };
  checkRecordCounts(ds, { data, labels, dataFlag: DF, labelsFlag: LF });
  const xs = takeRecords(x, limit);
  const ys = takeRecords(y, limit);
  return { ...ds, x: xs.data, xShape: xs.shape, y: ys.data, yShape: ys.shape };
}
