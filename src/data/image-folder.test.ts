import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../tfjs/backend.ts';
import { decodeImage, MAX_IMAGE_PIXELS } from './image-decode.ts';
import { type ImageTarget, loadImageFolder, modelRescalesInputs } from './image-folder.ts';
import { encodeBmpImage, encodeGif, encodeJpg, encodePng, rgba } from './image-testing.ts';
import { loadDataset } from './index.ts';
import { expectUsageError, makeTempDir } from './testing.ts';

const tmp = makeTempDir('nn-doctor-images-');
beforeAll(() => selectBackend('cpu'));
afterAll(() => tmp.cleanup());

let folders = 0;
/** A folder of class folders: files[class][name] = bytes. */
function tree(files: Record<string, Record<string, Uint8Array>>): string {
  const dir = join(tmp.dir, `set${folders++}`);
  for (const [cls, entries] of Object.entries(files)) {
    mkdirSync(join(dir, cls), { recursive: true });
    for (const [name, bytes] of Object.entries(entries)) writeFileSync(join(dir, cls, name), bytes);
  }
  return dir;
}

const solid = (w: number, h: number, c: [number, number, number]) => rgba(w, h, () => c);
const target = (inputShape: (number | null)[], extra: Partial<ImageTarget> = {}): ImageTarget => ({
  inputShape,
  rescalesInputs: false,
  ...extra,
});

describe('decodeImage: PNG, JPEG, GIF, BMP by their first bytes', () => {
  const img = rgba(4, 3, (x, y) => [x * 60, y * 100, 200]);
  it('PNG and BMP decode losslessly; JPEG within compression error; GIF to its palette', () => {
    for (const [bytes, tol] of [
      [encodePng(4, 3, img), 0],
      [encodeBmpImage(4, 3, img), 0],
      [encodeJpg(4, 3, img, 100), 40],
    ] as const) {
      const d = decodeImage(bytes, 'x');
      expect([d.width, d.height]).toEqual([4, 3]);
      for (let i = 0; i < img.length; i += 4) {
        for (let c = 0; c < 3; c++) expect(Math.abs(d.data[i + c] - img[i + c])).toBeLessThanOrEqual(tol);
      }
    }
    const gif = decodeImage(
      encodeGif(4, 3, (x) => x * 50),
      'x',
    );
    expect(Array.from(gif.data.subarray(4, 8))).toEqual([50, 50, 50, 255]);
  });

  it('refuses what is not an image, a corrupt one, and a decompression bomb (from the header)', () => {
    expectUsageError(
      () => decodeImage(new TextEncoder().encode('hello world'), '--data a/b.png'),
      /--data a\/b\.png: is not a PNG, JPEG, GIF or BMP image/,
    );
    const png = encodePng(4, 3, img);
    expectUsageError(
      () => decodeImage(png.subarray(0, 40), '--data t.png'),
      /--data t\.png: is not a readable PNG image/,
    );
    const bomb = new Uint8Array(png);
    new DataView(bomb.buffer).setUint32(16, 100_000);
    new DataView(bomb.buffer).setUint32(20, 100_000);
    expectUsageError(
      () => decodeImage(bomb, '--data b.png'),
      new RegExp(`100000×100000 pixels, over the ${MAX_IMAGE_PIXELS}-pixel limit`),
    );
  });
});

describe('loadImageFolder', () => {
  it('labels class folders in sorted order, reads every format, resizes, and scales to 0..1 by default', () => {
    const dir = tree({
      zebra: {
        'a.png': encodePng(8, 8, solid(8, 8, [255, 255, 255])),
        'b.bmp': encodeBmpImage(6, 6, solid(6, 6, [255, 255, 255])),
      },
      apple: { 'x.JPG': encodeJpg(10, 10, solid(10, 10, [0, 0, 0]), 100), 'y.gif': encodeGif(5, 5, () => 0) },
      mango: { 'notes.txt': new Uint8Array([1, 2]) },
    });
    // A file in a nested folder is read (Keras walks class folders recursively); this one is written below.
    mkdirSync(join(dir, 'mango', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'mango', 'nested', 'z.png'), encodePng(4, 4, solid(4, 4, [255, 0, 0])));
    const ds = loadImageFolder(dir, target([null, 4, 4, 3]));
    expect(ds.classNames).toEqual(['apple', 'mango', 'zebra']);
    expect(ds.xShape).toEqual([5, 4, 4, 3]);
    expect(Array.from(ds.y)).toEqual([0, 0, 1, 2, 2]);
    const rec = (i: number) => Array.from(ds.x.subarray(i * 48, i * 48 + 3));
    expect(rec(0)).toEqual([0, 0, 0]);
    expect(rec(2)).toEqual([1, 0, 0]);
    expect(rec(4)).toEqual([1, 1, 1]);
    expect(ds.notes.join('\n')).toMatch(
      /pixels scaled to 0\.\.1 \(assumed: the model has no Rescaling layer/,
    );
    expect(ds.notes.join('\n')).toMatch(/resized to 4×4 \(bilinear\), 3 channels \(RGB\)/);
  });

  it('grayscale uses TF’s weights; a flat input of 784 values reads 28×28 grayscale', () => {
    const dir = tree({ a: { 'p.png': encodePng(28, 28, solid(28, 28, [200, 100, 50])) } });
    const ds = loadImageFolder(dir, target([null, 784]));
    expect(ds.xShape).toEqual([1, 784]);
    expect(ds.x[0]).toBeCloseTo((0.2989 * 200 + 0.587 * 100 + 0.114 * 50) / 255, 5);
  });

  it('resizes as tf.image.resize does (bilinear, half-pixel centers)', () => {
    const img = rgba(4, 1, (x) => [x * 80, 0, 0]);
    const dir = tree({ a: { 'p.png': encodePng(4, 1, img) } });
    const ds = loadImageFolder(dir, target([null, 1, 2, 3], { scale: '0..255' }));
    // Half-pixel centers: output pixel 0 samples input x = 0.5 → (0 + 80) / 2.
    expect([ds.x[0], ds.x[3]]).toEqual([40, 200]);
  });

  it('scales: auto gives raw 0..255 to a model that rescales its inputs; --scale overrides', () => {
    const dir = tree({ a: { 'p.png': encodePng(2, 2, solid(2, 2, [255, 255, 255])) } });
    expect(loadImageFolder(dir, target([null, 2, 2, 3], { rescalesInputs: true })).x[0]).toBe(255);
    expect(loadImageFolder(dir, target([null, 2, 2, 3], { scale: '-1..1' })).x[0]).toBe(1);
    const notes = loadImageFolder(dir, target([null, 2, 2, 1], { scale: '0..255' })).notes.join(' ');
    expect(notes).toMatch(/pixels scaled to 0\.\.255 \(set by --scale\)/);
  });

  it('samples at most N images per class with a seed, the same ones every run, and says so', () => {
    const many = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`${i}.png`, encodePng(2, 2, solid(2, 2, [i * 20, 0, 0]))]),
    );
    const dir = tree({ a: many, b: { 'one.png': encodePng(2, 2, solid(2, 2, [0, 0, 0])) } });
    const t = target([null, 2, 2, 3], { maxPerClass: 5, seed: 3, scale: '0..255' });
    const one = loadImageFolder(dir, t);
    const two = loadImageFolder(dir, t);
    expect(one.xShape[0]).toBe(6);
    expect(Array.from(one.x)).toEqual(Array.from(two.x));
    expect(one.notes.join(' ')).toMatch(/sampled at most 5 images per class \(seed 3\): a 5 of 12, b 1/);
    const other = loadImageFolder(dir, { ...t, seed: 4 });
    expect(Array.from(other.x)).not.toEqual(Array.from(one.x));
  });

  it('caps the records by the memory budget for large inputs', () => {
    const dir = tree({
      a: {
        'p.png': encodePng(2, 2, solid(2, 2, [0, 0, 0])),
        'q.png': encodePng(2, 2, solid(2, 2, [0, 0, 0])),
      },
    });
    // 2 × 2 × 3 floats = 48 bytes per record: a 60-byte budget holds one.
    const ds = loadImageFolder(dir, target([null, 2, 2, 3], { maxPerClass: 100, memoryBudget: 60 }));
    expect(ds.xShape[0]).toBe(1);
    expect(ds.notes.join(' ')).toMatch(/capped by the 60-byte memory budget/);
  });

  it('refuses: no class folders, no images, a corrupt image (named), a model input that is not an image', () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    expectUsageError(
      () => loadImageFolder(empty, target([null, 2, 2, 3])),
      /has no class folders; expected DIR\/<class>/,
    );
    const noImages = tree({ a: { 'x.txt': new Uint8Array([1]) } });
    expectUsageError(
      () => loadImageFolder(noImages, target([null, 2, 2, 3])),
      /has no \.png\/\.jpg\/\.jpeg\/\.bmp\/\.gif images in its 1 class folders/,
    );
    const corrupt = tree({ a: { 'bad.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5]) } });
    expectUsageError(
      () => loadImageFolder(corrupt, target([null, 2, 2, 3])),
      /bad\.png: is not a readable PNG image/,
    );
    const ok = tree({ a: { 'p.png': encodePng(2, 2, solid(2, 2, [0, 0, 0])) } });
    expectUsageError(() => loadImageFolder(ok, target([null, 10])), /input \[10\] is not a fixed-size image/);
    expectUsageError(
      () => loadImageFolder(ok, target([null, null, null, 3])),
      /input \[\?, \?, 3\] is not a fixed-size image/,
    );
  });

  it('loadDataset reads a folder only with the model’s input shape, and refuses --labels with it', async () => {
    const dir = tree({ a: { 'p.png': encodePng(2, 2, solid(2, 2, [0, 0, 0])) } });
    await expect(loadDataset({ data: dir })).rejects.toThrow(
      /is a directory; reading it as class folders of images needs the model's input shape/,
    );
    await expect(loadDataset({ data: dir, labels: 'y.npy', image: target([null, 2, 2, 3]) })).rejects.toThrow(
      /--labels y\.npy: not used with a folder of images/,
    );
    expect((await loadDataset({ data: dir, image: target([null, 2, 2, 3]) })).xShape).toEqual([1, 2, 2, 3]);
  });
});

describe('modelRescalesInputs', () => {
  it('is true when a Rescaling layer comes before any weights', () => {
    const withRescaling = tf.sequential({
      layers: [
        tf.layers.rescaling({ scale: 1 / 255, inputShape: [4, 4, 1] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const without = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 2 })],
    });
    expect(modelRescalesInputs(withRescaling)).toBe(true);
    expect(modelRescalesInputs(without)).toBe(false);
    withRescaling.dispose();
    without.dispose();
  });
});
