// IDX reader (the MNIST file format).
//
// Layout: two zero bytes, a type byte, the number of dimensions, then each dimension as a
// big-endian uint32, then the data, big-endian. Types: 0x08 ubyte, 0x09 signed byte, 0x0B short
// (int16), 0x0C int (int32), 0x0D float (float32), 0x0E double (float64).
import {
  decodeElements,
  ELEMENT_SIZE,
  type ElementType,
  inputError,
  type NdArray,
  sizeOf,
} from './common.ts';
import { checkArraySize } from './limits.ts';

export const IDX_TYPES: Record<number, { type: ElementType; name: string }> = {
  8: { type: 'u1', name: 'unsigned byte' },
  9: { type: 'i1', name: 'signed byte' },
  11: { type: 'i2', name: 'short' },
  12: { type: 'i4', name: 'int' },
  13: { type: 'f4', name: 'float' },
  14: { type: 'f8', name: 'double' },
};

interface IdxHeader {
  type: ElementType;
  shape: number[];
  dataOffset: number;
}

/**
 * Bytes a whole IDX file takes according to its header (header + data), or null when `head` does
 * not start with an IDX header. `head` may be just the file's first bytes. A header that claims
 * more than the array limits is refused here (naming `where`), so a compressed file is never
 * inflated towards a size it could not be read at.
 */
export function idxClaimedBytes(head: Uint8Array, where: string): number | null {
  const h = readHeader(head);
  if (typeof h === 'string' || head[3] > 16) return null;
  checkArraySize(h.shape, ELEMENT_SIZE[h.type], where, 'its IDX header');
  return h.dataOffset + sizeOf(h.shape) * ELEMENT_SIZE[h.type];
}

function readHeader(bytes: Uint8Array): IdxHeader | string {
  if (bytes.length < 4) return 'too short for an IDX header';
  if (bytes[0] !== 0 || bytes[1] !== 0) return 'not an IDX file (the first two bytes must be zero)';
  const t = IDX_TYPES[bytes[2]];
  if (!t) return `unknown IDX data type 0x${bytes[2].toString(16).padStart(2, '0')}`;
  const ndim = bytes[3];
  if (ndim === 0) return 'IDX header has zero dimensions';
  const dataOffset = 4 + 4 * ndim;
  if (bytes.length < dataOffset) return 'truncated IDX header';
  const shape: number[] = [];
  for (let k = 0; k < ndim; k++) {
    const o = 4 + 4 * k;
    shape.push(bytes[o] * 0x1000000 + ((bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]));
  }
  return { type: t.type, shape, dataOffset };
}

/** Whether the bytes look like an IDX file: a valid header whose size matches the data exactly. */
export function isIdx(bytes: Uint8Array): boolean {
  const h = readHeader(bytes);
  if (typeof h === 'string' || bytes[3] > 16) return false;
  return bytes.length - h.dataOffset === sizeOf(h.shape) * ELEMENT_SIZE[h.type];
}

/** Parses a whole (already decompressed) IDX file into float32 values. */
export function parseIdx(bytes: Uint8Array, where: string): NdArray {
  const h = readHeader(bytes);
  if (typeof h === 'string') throw inputError(where, h);
  checkArraySize(h.shape, ELEMENT_SIZE[h.type], where, 'its IDX header');
  const count = sizeOf(h.shape);
  const need = count * ELEMENT_SIZE[h.type];
  const have = bytes.length - h.dataOffset;
  if (have !== need) {
    const what = have < need ? 'truncated' : 'has extra bytes';
    throw inputError(
      where,
      `${what}: IDX header says ${h.shape.join('×')} values (${need} data bytes), file has ${have}`,
    );
  }
  return { data: decodeElements(bytes, h.dataOffset, count, h.type, false), shape: h.shape };
}
