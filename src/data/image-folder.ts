// `--data DIR`: a folder of class folders, the layout Keras' image_dataset_from_directory reads
// (`DIR/<class>/**/*.png|jpg|jpeg|bmp|gif`; classes are the subfolder names in sorted order, so
// labels match the model Keras trained). Each image is decoded, reduced to the channels the model
// takes (RGB, or grayscale with TF's weights), resized to the model's input size with bilinear
// interpolation and half-pixel centers (as tf.image.resize, Keras' default), and scaled to the
// pixel range the model expects (below). At most `maxPerClass` images per class are read, sampled
// with a seed, and fewer when the records would not fit the memory budget; the notes say what was
// done so the report can show it.
//
// Pixel scale is a checklist item, so nothing is hidden: `auto` feeds raw 0..255 when the model
// rescales its own inputs (a Rescaling layer), else 0..1 (÷255, the usual `x / 255` before a
// model without one); `--scale 0..1 | 0..255 | -1..1` overrides it.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../core/dataset.ts';
import { createRng, permutation, subSeed } from '../core/random.ts';
import { firstLine, inputError } from './common.ts';
import { decodeImage } from './image-decode.ts';
import { DEFAULT_MAX_PER_CLASS, PIXEL_SCALES, type PixelScale } from './image-options.ts';
import { readRegularFile } from './read-file.ts';

export {
  DEFAULT_MAX_PER_CLASS,
  modelRescalesInputs,
  PIXEL_SCALES,
  type PixelScale,
} from './image-options.ts';

const IMAGE_EXTENSIONS = /\.(png|jpe?g|bmp|gif)$/i;
/** Memory the decoded records may take (float32). */
export const IMAGE_MEMORY_BUDGET = 256 * 1024 * 1024;
const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;
const OUTSIDE = 'is a symlink that leads out of the image folder (or nowhere); only files inside it are read';

/** How the images must come out: what the model takes. */
export interface ImageTarget {
  /** The model's input shape including the batch dimension. */
  inputShape: readonly (number | null)[];
  /** True when the model rescales its inputs itself (a Rescaling layer before any weights). */
  rescalesInputs: boolean;
  scale?: PixelScale;
  maxPerClass?: number;
  seed?: number;
  /** Bytes the decoded records may take (default IMAGE_MEMORY_BUDGET). */
  memoryBudget?: number;
}

export interface ImageFolderData extends Dataset {
  classNames: string[];
  notes: string[];
}

interface Layout {
  height: number;
  width: number;
  channels: 1 | 3 | 4;
}

/** Height, width and channels from the model's input shape (channels-last images, or flat pixels). */
function layoutFor(shape: readonly (number | null)[], where: string): Layout {
  const dims = shape.slice(1);
  const fixed = (d: number | null): d is number => typeof d === 'number' && d > 0;
  if (
    dims.length === 3 &&
    fixed(dims[0]) &&
    fixed(dims[1]) &&
    (dims[2] === 1 || dims[2] === 3 || dims[2] === 4)
  ) {
    return { height: dims[0], width: dims[1], channels: dims[2] };
  }
  if (dims.length === 2 && fixed(dims[0]) && fixed(dims[1]))
    return { height: dims[0], width: dims[1], channels: 1 };
  if (dims.length === 1 && fixed(dims[0])) {
    for (const c of [1, 3] as const) {
      const side = Math.round(Math.sqrt(dims[0] / c));
      if (side * side * c === dims[0]) return { height: side, width: side, channels: c };
    }
  }
  const text = `[${dims.map((d) => d ?? '?').join(', ')}]`;
  throw inputError(
    where,
    `the model's input ${text} is not a fixed-size image (height, width, 1/3/4 channels, or square flat pixels)`,
  );
}

/**
 * Whether a symlink at `path` resolves inside `root` (a real path): a link in an image folder may
 * point to another image of the folder, never out of it (`x.png → /dev/zero`, a FIFO, a secret).
 */
function linksInside(path: string, root: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false; // dangling
  }
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Image files under `dir` (recursively, as Keras walks class folders), sorted. A symlinked file
 * must resolve inside `root` (the real path of the folder given); links to folders are not
 * followed below the class level. Each file is opened as a regular file when read.
 */
function imageFiles(dir: string, root: string, flag: string): string[] {
  const where = `${flag} ${dir}`;
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 16) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      throw inputError(where, `cannot list ${d} (${firstLine(err)})`);
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (!IMAGE_EXTENSIONS.test(e.name)) continue;
      else if (e.isFile()) out.push(p);
      else if (e.isSymbolicLink()) {
        if (!linksInside(p, root)) throw inputError(`${flag} ${p}`, OUTSIDE);
        out.push(p);
      }
    }
  };
  walk(dir, 0);
  return out.sort();
}

function scaleFor(target: ImageTarget): { scale: Exclude<PixelScale, 'auto'>; why: string } {
  const asked = target.scale ?? 'auto';
  if (asked !== 'auto') return { scale: asked, why: 'set by --scale' };
  return target.rescalesInputs
    ? { scale: '0..255', why: 'assumed: the model rescales its inputs itself (Rescaling layer)' }
    : {
        scale: '0..1',
        why: 'assumed: the model has no Rescaling layer, so inputs were most likely divided by 255',
      };
}

/** RGBA bytes → the model's channels, resized (bilinear, half-pixel centers) and scaled, into `out`. */
function toRecord(
  img: { width: number; height: number; data: Uint8Array },
  layout: Layout,
  scale: Exclude<PixelScale, 'auto'>,
  out: Float32Array,
  offset: number,
): void {
  // Channels first picked in JS (no int32 copy of the RGBA bytes): the transient float tensor is
  // 4 × channels bytes per pixel of the original image.
  const pixels = img.width * img.height;
  const src = new Float32Array(pixels * layout.channels);
  const d = img.data;
  for (let p = 0, q = 0; p < pixels; p++, q += 4) {
    if (layout.channels === 1) src[p] = 0.2989 * d[q] + 0.587 * d[q + 1] + 0.114 * d[q + 2];
    else for (let c = 0; c < layout.channels; c++) src[p * layout.channels + c] = d[q + c];
  }
  const values = tf.tidy(() => {
    let x: tf.Tensor = tf.tensor3d(src, [img.height, img.width, layout.channels]);
    if (img.height !== layout.height || img.width !== layout.width) {
      x = tf.image.resizeBilinear(x as tf.Tensor3D, [layout.height, layout.width], false, true);
    }
    if (scale === '0..1') x = x.div(255);
    else if (scale === '-1..1') x = x.div(127.5).sub(1);
    return x.dataSync() as Float32Array;
  });
  out.set(values, offset);
}

/**
 * Reads a folder of class folders into a Dataset shaped for the model (`target`). Labels are class
 * ids in sorted folder order. Throws a UsageError naming the flag, folder or file for: no class
 * folders, no images, an unreadable image, a model input that is not an image.
 */
export function loadImageFolder(dir: string, target: ImageTarget, flag = '--data'): ImageFolderData {
  const where = `${flag} ${dir}`;
  const layout = layoutFor(target.inputShape, where);
  let names: string[];
  let root: string;
  let outside: string | undefined;
  try {
    root = realpathSync(dir);
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => {
        if (e.name.startsWith('.')) return false;
        if (e.isDirectory()) return true;
        if (!e.isSymbolicLink()) return false;
        const p = join(dir, e.name);
        if (!linksInside(p, root)) outside ??= p;
        return statSync(p).isDirectory();
      })
      .map((e) => e.name)
      .sort();
  } catch (err) {
    throw inputError(where, `cannot list the folder (${firstLine(err)})`);
  }
  if (outside !== undefined) throw inputError(`${flag} ${outside}`, OUTSIDE);
  if (names.length === 0) {
    throw inputError(
      where,
      'has no class folders; expected DIR/<class>/*.png|jpg|jpeg|bmp|gif (one folder per class)',
    );
  }
  const files = names.map((n) => imageFiles(join(dir, n), root, flag));
  const found = files.reduce((a, f) => a + f.length, 0);
  if (found === 0)
    throw inputError(where, `has no .png/.jpg/.jpeg/.bmp/.gif images in its ${names.length} class folders`);

  const recordValues = layout.height * layout.width * layout.channels;
  const budget = target.memoryBudget ?? IMAGE_MEMORY_BUDGET;
  const byBudget = Math.floor(budget / (4 * recordValues * names.length));
  const cap = Math.max(1, Math.min(target.maxPerClass ?? DEFAULT_MAX_PER_CLASS, byBudget));
  const rng = createRng(subSeed(target.seed ?? 42, 'image-folder'));
  const chosen = files.map((list) => {
    if (list.length <= cap) return list;
    const order = permutation(list.length, rng);
    return Array.from(order.subarray(0, cap), (i) => list[i]).sort();
  });
  const records = chosen.reduce((a, c) => a + c.length, 0);
  const { scale, why } = scaleFor(target);
  const x = new Float32Array(records * recordValues);
  const y = new Float32Array(records);
  let r = 0;
  chosen.forEach((list, cls) => {
    for (const file of list) {
      const fileWhere = `${flag} ${file}`;
      // Opened without blocking and checked with fstat: a regular file (never a FIFO or device,
      // even one swapped in after listing), under the size limit, read to its size.
      const bytes = readRegularFile(file, MAX_IMAGE_FILE_BYTES, (problem) => inputError(fileWhere, problem));
      toRecord(decodeImage(bytes, fileWhere), layout, scale, x, r * recordValues);
      y[r++] = cls;
    }
  });

  const counts = chosen.map(
    (c, i) => `${names[i]} ${c.length}${files[i].length > c.length ? ` of ${files[i].length}` : ''}`,
  );
  const sampled = files.some((f, i) => f.length > chosen[i].length);
  const notes = [
    `${where}: ${names.length} classes from folder names, labels in sorted order (${names
      .slice(0, 10)
      .map((n, i) => `${i} ${n}`)
      .join(', ')}${names.length > 10 ? ', …' : ''})`,
    `${where}: ${sampled ? `sampled at most ${cap} images per class (seed ${target.seed ?? 42}${byBudget < (target.maxPerClass ?? DEFAULT_MAX_PER_CLASS) ? `; capped by the ${budget % 2 ** 20 === 0 ? `${budget / 2 ** 20} MiB` : `${budget}-byte`} memory budget` : ''}): ` : 'read every image: '}${counts.join(', ')}`,
    `${where}: images resized to ${layout.height}×${layout.width} (bilinear), ${layout.channels === 1 ? '1 channel (grayscale)' : `${layout.channels} channels (${layout.channels === 3 ? 'RGB' : 'RGBA'})`}`,
    `${where}: pixels scaled to ${scale} (${why}); if the model was trained on another range, pass --scale ${PIXEL_SCALES.filter((s) => s !== 'auto' && s !== scale).join(' or ')}`,
  ];
  return {
    x,
    xShape: [records, ...(target.inputShape.slice(1) as number[])],
    y,
    yShape: [records],
    source: basename(dir),
    classNames: names,
    notes,
  };
}

/** Whether a `--data` path is a folder (read as class folders of images). */
