// Shared pieces of the data readers: clear errors, gzip, element counts and types. Browser-safe:
// reading a file by path is ./read-file.ts (Node only).
import { UsageError } from '../core/errors.ts';

export { jsonDepth } from '../core/json-depth.ts';

/** A dense, row-major numeric array as read from a file (values converted to float32). */
export interface NdArray {
  data: Float32Array;
  shape: number[];
}

/** Product of a shape's dimensions (1 for a scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d == null ? '?' : String(d))).join(', ')}]`;
}

/** `where` is the message prefix naming the flag and file, e.g. `--data x.npy`. */
export function inputError(where: string, problem: string): UsageError {
  return new UsageError(`${where}: ${problem}`);
}

/** First line of an error's message (library errors can be multi-line). */
export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].trim();
}

/** Largest data file read (1 GiB): compressed or not; what it decompresses to is limited per array. */
export const MAX_INPUT_FILE_BYTES = 2 ** 30;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Host byte order, for deciding whether multi-byte values need swapping. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the byte order of each `size`-byte element, in place. */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** IEEE half-precision bits → number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

export type ElementType = 'f2' | 'f4' | 'f8' | 'i1' | 'u1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8' | 'b1';

export const ELEMENT_SIZE: Record<ElementType, number> = {
  f2: 2,
  f4: 4,
  f8: 8,
  i1: 1,
  u1: 1,
  i2: 2,
  u2: 2,
  i4: 4,
  u4: 4,
  i8: 8,
  u8: 8,
  b1: 1,
};

/**
 * Converts `count` elements of `type` starting at `bytes[offset]` to float32.
 * `littleEndian` is the byte order in the file. The input is never modified.
 */
export function decodeElements(
  bytes: Uint8Array,
  offset: number,
  count: number,
  type: ElementType,
  littleEndian: boolean,
): Float32Array {
  const size = ELEMENT_SIZE[type];
  // Copy into a fresh, aligned buffer so typed-array views are possible; swap into host order.
  // (Buffer#slice would be a view, hence the explicit copy.)
  const raw = new Uint8Array(bytes.subarray(offset, offset + count * size));
  if (size > 1 && littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(raw, size);
  const buf = raw.buffer;
  if (type === 'f4') return new Float32Array(buf, 0, count);
  const out = new Float32Array(count);
  switch (type) {
    case 'f2': {
      const src = new Uint16Array(buf, 0, count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(src[i]);
      return out;
    }
    case 'f8':
      copyInto(out, new Float64Array(buf, 0, count));
      return out;
    case 'i1':
      copyInto(out, new Int8Array(buf, 0, count));
      return out;
    case 'u1':
      copyInto(out, raw);
      return out;
    case 'b1':
      for (let i = 0; i < count; i++) out[i] = raw[i] ? 1 : 0;
      return out;
    case 'i2':
      copyInto(out, new Int16Array(buf, 0, count));
      return out;
    case 'u2':
      copyInto(out, new Uint16Array(buf, 0, count));
      return out;
    case 'i4':
      copyInto(out, new Int32Array(buf, 0, count));
      return out;
    case 'u4':
      copyInto(out, new Uint32Array(buf, 0, count));
      return out;
    case 'i8':
    case 'u8': {
      // Two 32-bit halves per element, in host order.
      const lo = new Uint32Array(buf, 0, count * 2);
      const hi = type === 'i8' ? new Int32Array(buf, 0, count * 2) : lo;
      const [l, h] = HOST_LITTLE_ENDIAN ? [0, 1] : [1, 0];
      for (let i = 0; i < count; i++) out[i] = hi[2 * i + h] * 4294967296 + lo[2 * i + l];
      return out;
    }
  }
}

function copyInto(out: Float32Array, src: ArrayLike<number>): void {
  for (let i = 0; i < out.length; i++) out[i] = src[i];
}
