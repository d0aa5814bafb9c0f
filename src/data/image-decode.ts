// Decoding one image file (PNG, JPEG, GIF, BMP: the formats Keras' image_dataset_from_directory
// reads) to RGBA bytes with well-kept pure-JS decoders (pngjs, jpeg-js, omggif, bmp-ts; `sharp`
// would need a native binary). The format is recognized by its first bytes, not its name, and the
// pixel count is read from the header and capped before anything is decoded (decompression bombs).
// Every size a file declares is bounded, not just the first: a GIF's screen and each of its frames
// (a 35-byte GIF can declare a 1×1 screen holding a 65535×65535 frame, which omggif would decode
// pixel by pixel), and a PNG's pixel data as its header sizes it (an interlaced PNG is inflated by
// pngjs without a cap, so its IDAT stream is first inflated here with the header's size as the most
// it may produce).

import { inflateSync } from 'node:zlib';
import { decode as decodeBmp } from 'bmp-ts';
import { decode as decodeJpeg } from 'jpeg-js';
import { GifReader } from 'omggif';
import { PNG } from 'pngjs';
import { firstLine, inputError } from './common.ts';

/**
 * Largest image decoded (pixels; a 1920×1080 photo is 2.1 MP, a phone photo ≈ 12 MP). Decoding and
 * resizing one takes about 16 bytes per pixel at once (RGBA bytes, then float channels).
 */
export const MAX_IMAGE_PIXELS = 25_000_000;

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, row-major, RGBA. */
  data: Uint8Array;
}

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp';

export function imageFormatOf(b: Uint8Array): ImageFormat | null {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
  if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

/** Width and height from the header, without decoding (null when the header is too short). */
function headerSize(b: Uint8Array, format: ImageFormat): [number, number] | null {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  switch (format) {
    case 'png':
      return b.length >= 24 ? [v.getUint32(16), v.getUint32(20)] : null;
    case 'gif':
      return [v.getUint16(6, true), v.getUint16(8, true)];
    case 'bmp':
      return [Math.abs(v.getInt32(18, true)), Math.abs(v.getInt32(22, true))];
    case 'jpeg':
      return null; // jpeg-js enforces maxResolutionInMP itself
  }
}

/**
 * Bytes of a PNG's filtered pixel data (what its IDAT stream inflates to), from its IHDR: one
 * filter byte per row, rows of width × channels × bit depth bits; Adam7 interlacing stores seven
 * reduced images. Null when the header is not a PNG's.
 */
export function pngDataBytes(b: Uint8Array): number | null {
  if (b.length < 33) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const width = v.getUint32(16);
  const height = v.getUint32(20);
  const depth = b[24];
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[b[25]];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth)) return null;
  const rows = (w: number, h: number) =>
    w > 0 && h > 0 ? h * (Math.ceil((w * channels * depth) / 8) + 1) : 0;
  if (b[28] === 0) return rows(width, height);
  const passes = [
    [0, 8, 0, 8],
    [4, 8, 0, 8],
    [0, 4, 4, 8],
    [2, 4, 0, 4],
    [0, 2, 2, 4],
    [1, 2, 0, 2],
    [0, 1, 1, 2],
  ];
  return passes.reduce(
    (sum, [x0, dx, y0, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)),
    0,
  );
}

/** Most bytes of pixel data a PNG may declare: 8-bit RGBA at the pixel limit. */
export const MAX_PNG_DATA_BYTES = 4 * MAX_IMAGE_PIXELS + 4 * 65536;

/** Refuses a PNG whose pixel data is over the limit or would inflate past its header's size. */
function checkPng(b: Uint8Array, where: string): void {
  const need = pngDataBytes(b);
  if (need === null) return; // pngjs refuses the header itself
  if (need > MAX_PNG_DATA_BYTES) {
    throw inputError(
      where,
      `declares ${need} bytes of pixel data (${b[24]}-bit samples), over the ${MAX_PNG_DATA_BYTES}-byte limit`,
    );
  }
  if (b[28] === 0) return; // pngjs inflates a non-interlaced PNG to at most its header's size
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const idat: Uint8Array[] = [];
  for (let p = 8; p + 12 <= b.length; ) {
    const len = v.getUint32(p);
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    if (type === 'IDAT') idat.push(b.subarray(p + 8, Math.min(b.length, p + 8 + len)));
    if (type === 'IEND') break;
    p += 12 + len;
  }
  try {
    inflateSync(Buffer.concat(idat), { maxOutputLength: Math.max(1, need) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw inputError(
        where,
        `holds pixel data that inflates past the ${need} bytes its header declares (a decompression bomb); stopped there`,
      );
    }
    // A corrupt stream: pngjs says what is wrong.
  }
}

/** Refuses a GIF whose screen or any frame is over the pixel limit, or a frame outside the screen. */
function checkGif(gif: GifReader, where: string): void {
  for (let i = 0; i < gif.numFrames(); i++) {
    const f = gif.frameInfo(i);
    if (f.width * f.height > MAX_IMAGE_PIXELS) {
      throw inputError(
        where,
        `frame ${i} is ${f.width}×${f.height} pixels, over the ${MAX_IMAGE_PIXELS}-pixel limit`,
      );
    }
    if (f.x + f.width > gif.width || f.y + f.height > gif.height) {
      throw inputError(
        where,
        `frame ${i} (${f.width}×${f.height} at ${f.x},${f.y}) lies outside the ${gif.width}×${gif.height} screen`,
      );
    }
  }
}

/** Decodes one image to RGBA (GIF: its first frame, as Keras reads it). `where` names the file. */
export function decodeImage(bytes: Uint8Array, where: string): RgbaImage {
  const format = imageFormatOf(bytes);
  if (!format) throw inputError(where, 'is not a PNG, JPEG, GIF or BMP image (unrecognized first bytes)');
  const size = headerSize(bytes, format);
  if (size && size[0] * size[1] > MAX_IMAGE_PIXELS) {
    throw inputError(where, `is ${size[0]}×${size[1]} pixels, over the ${MAX_IMAGE_PIXELS}-pixel limit`);
  }
  if (size && (size[0] === 0 || size[1] === 0))
    throw inputError(where, `has no pixels (${size[0]}×${size[1]})`);
  if (format === 'png') checkPng(bytes, where);
  let gif: GifReader | null = null;
  if (format === 'gif') {
    try {
      gif = new GifReader(bytes);
    } catch (err) {
      throw inputError(where, `is not a readable GIF image (${firstLine(err)})`);
    }
    checkGif(gif, where);
  }
  try {
    switch (format) {
      case 'png': {
        const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
        return {
          width: png.width,
          height: png.height,
          data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length),
        };
      }
      case 'jpeg': {
        const jpg = decodeJpeg(bytes, {
          useTArray: true,
          formatAsRGBA: true,
          maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
          maxMemoryUsageInMB: 1024,
        });
        return { width: jpg.width, height: jpg.height, data: jpg.data };
      }
      case 'gif': {
        if (!gif || gif.numFrames() === 0) throw new Error('no frames');
        const data = new Uint8Array(gif.width * gif.height * 4);
        gif.decodeAndBlitFrameRGBA(0, data);
        return { width: gif.width, height: gif.height, data };
      }
      case 'bmp': {
        const bmp = decodeBmp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), { toRGBA: true });
        return { width: bmp.width, height: Math.abs(bmp.height), data: new Uint8Array(bmp.data) };
      }
    }
  } catch (err) {
    throw inputError(where, `is not a readable ${format.toUpperCase()} image (${firstLine(err)})`);
  }
}
