// Test helpers: writing real image files (PNG with pngjs, JPEG with jpeg-js, GIF with omggif, BMP
// with bmp-ts) and a class-folder tree of real MNIST digits. Not used at run time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { encode as encodeBmp } from 'bmp-ts';
import { encode as encodeJpeg } from 'jpeg-js';
import { GifWriter } from 'omggif';
import { PNG } from 'pngjs';
import { loadMnist } from './mnist.ts';
import { crc32 } from './zip.ts';

/** RGBA bytes of a width × height image from a per-pixel function. */
export function rgba(
  width: number,
  height: number,
  px: (x: number, y: number) => [number, number, number, number?],
): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b, a = 255] = px(x, y);
      data.set([r, g, b, a], (y * width + x) * 4);
    }
  }
  return data;
}

export function encodePng(width: number, height: number, data: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(data);
  return new Uint8Array(PNG.sync.write(png));
}

export function encodeJpg(width: number, height: number, data: Uint8Array, quality = 95): Uint8Array {
  return new Uint8Array(encodeJpeg({ width, height, data: Buffer.from(data) }, quality).data);
}

export function encodeGif(width: number, height: number, gray: (x: number, y: number) => number): Uint8Array {
  const palette = Array.from({ length: 256 }, (_, i) => (i << 16) | (i << 8) | i);
  const buf = new Uint8Array(1024 + width * height * 2);
  const w = new GifWriter(buf, width, height, { palette });
  const idx = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) idx[y * width + x] = gray(x, y);
  w.addFrame(0, 0, width, height, Array.from(idx));
  return buf.subarray(0, w.end());
}

export function encodeBmpImage(width: number, height: number, data: Uint8Array): Uint8Array {
  // bmp-ts takes ABGR bytes.
  const abgr = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 4) abgr.set([data[i + 3], data[i + 2], data[i + 1], data[i]], i);
  return new Uint8Array(encodeBmp({ width, height, data: Buffer.from(abgr), bitPP: 24 }).data);
}

/**
 * Writes `perClass` real MNIST training digits per class as 28×28 grayscale PNGs into
 * `dir/<class name>/<n>.png` (class names are the digits, so sorted order = digit order).
 */
export function writeMnistFolder(dir: string, perClass: number, classes = 10): void {
  const ds = loadMnist('train', perClass * classes * 3);
  const written = new Array(classes).fill(0);
  for (let i = 0; i < ds.xShape[0] && written.some((n) => n < perClass); i++) {
    const label = ds.y[i];
    if (label >= classes || written[label] >= perClass) continue;
    const pixels = ds.x.subarray(i * 784, (i + 1) * 784);
    const data = rgba(28, 28, (x, y) => {
      const v = Math.round(pixels[y * 28 + x] * 255);
      return [v, v, v];
    });
    const folder = join(dir, String(label));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${written[label]++}.png`), encodePng(28, 28, data));
  }
}

/**
 * A PNG written byte by byte (hostile-input tests): IHDR as given, one IDAT holding `raw` (the
 * filtered pixel data, filter bytes included) deflated, IEND. pngjs cannot write 16-bit or
 * interlaced images, nor headers that lie.
 */
export function rawPng(opts: {
  width: number;
  height: number;
  depth?: number;
  colorType?: number;
  interlace?: 0 | 1;
  raw: Uint8Array;
}): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const h = new DataView(ihdr.buffer);
  h.setUint32(0, opts.width);
  h.setUint32(4, opts.height);
  ihdr.set([opts.depth ?? 8, opts.colorType ?? 0, 0, 0, opts.interlace ?? 0], 8);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(opts.raw, { level: 9 }))),
    chunk('IEND', new Uint8Array(0)),
  ];
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * A GIF of a `screen` (width, height) whose one frame is `frame` (x, y, width, height), with a
 * 2-colour palette and an LZW stream that ends at once: tens of bytes, whatever sizes it declares.
 */
export function rawGif(screen: [number, number], frame: [number, number, number, number]): Uint8Array {
  const u16 = (n: number) => [n & 0xff, n >> 8];
  return Uint8Array.from([
    ...new TextEncoder().encode('GIF89a'),
    ...u16(screen[0]),
    ...u16(screen[1]),
    0x80, // global palette of 2 colours
    0,
    0,
    ...[0, 0, 0, 255, 255, 255],
    0x2c,
    ...frame.flatMap(u16),
    0,
    2, // LZW minimum code size
    1,
    0x2c, // clear code, end of information
    0,
    0x3b,
  ]);
}
