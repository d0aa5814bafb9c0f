// Decoding one image file (PNG, JPEG, GIF, BMP: the formats Keras' image_dataset_from_directory
// reads) to RGBA bytes with well-kept pure-JS decoders (pngjs, jpeg-js, omggif, bmp-ts; `sharp`
// would need a native binary). The format is recognized by its first bytes, not its name, and the
// pixel count is read from the header and capped before anything is decoded (decompression bombs).
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
        const gif = new GifReader(bytes);
        if (gif.numFrames() === 0) throw new Error('no frames');
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
