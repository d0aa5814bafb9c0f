// NumPy .npy reader (format versions 1.0, 2.0, 3.0).
//
// Layout: magic "\x93NUMPY", major, minor, header length (uint16 LE for 1.x, uint32 LE for 2.x/3.x),
// then a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } padded
// with spaces and a newline, then the raw array data.
import {
  decodeElements,
  ELEMENT_SIZE,
  type ElementType,
  formatShape,
  inputError,
  type NdArray,
  sizeOf,
} from './common.ts';
import { checkArraySize } from './limits.ts';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface NpyHeader {
  /** Element type without byte order, e.g. `f4`, `u1`, `b1`. */
  type: ElementType;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  /** Offset of the array data in the file. */
  dataOffset: number;
  /** The dtype as written in the file, e.g. `<f4`. */
  descr: string;
}

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

function describeDescr(descr: string): string {
  const kind = descr.replace(/^[<>|=]/, '')[0];
  if (kind === 'O') return 'object (pickled) arrays are not supported; save a numeric array';
  if (kind === 'U' || kind === 'S' || kind === 'a')
    return 'string arrays are not supported; labels must be numeric';
  if (kind === 'c') return 'complex arrays are not supported';
  if (kind === 'M' || kind === 'm') return 'datetime arrays are not supported';
  return 'this dtype is not supported';
}

/** Where the header of an .npy file ends (its data begins), or null when `bytes` stops before it. */
function headerEnd(bytes: Uint8Array, where: string): { start: number; end: number; major: number } | null {
  if (bytes.length < 10) return null;
  const major = bytes[6];
  const minor = bytes[7];
  if (major === 1) return { start: 10, end: 10 + (bytes[8] | (bytes[9] << 8)), major };
  if (major === 2 || major === 3) {
    if (bytes.length < 12) return null;
    return {
      start: 12,
      end: 12 + (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 0x1000000,
      major,
    };
  }
  throw inputError(where, `unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
}

/**
 * Bytes a whole .npy file takes by its header (header + data), or null when `head` (the file's
 * first bytes) does not hold the whole header. Throws like parseNpyHeader on a bad header.
 */
export function npyClaimedBytes(head: Uint8Array, where: string): number | null {
  const end = headerEnd(head, where);
  if (end === null || end.end > head.length) return null;
  const h = parseNpyHeader(head, where);
  return h.dataOffset + sizeOf(h.shape) * ELEMENT_SIZE[h.type];
}

/** Parses the header of an .npy file. `where` names the flag and file for error messages. */
export function parseNpyHeader(bytes: Uint8Array, where: string): NpyHeader {
  if (!isNpy(bytes)) throw inputError(where, 'not a NumPy .npy file (missing the \\x93NUMPY magic)');
  const range = headerEnd(bytes, where);
  if (range === null || range.end > bytes.length) throw inputError(where, 'truncated .npy header');
  const { start, end, major } = range;
  const headerLen = end - start;
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(start, start + headerLen),
  );

  const descrMatch = /['"]descr['"]\s*:\s*(['"])(.*?)\1/.exec(text);
  if (!descrMatch) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) {
      throw inputError(where, 'structured (record) arrays are not supported; save a plain numeric array');
    }
    throw inputError(where, 'malformed .npy header (no dtype)');
  }
  const descr = descrMatch[2];
  const fortranMatch = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fortranMatch) throw inputError(where, 'malformed .npy header (no fortran_order)');
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shapeMatch) throw inputError(where, 'malformed .npy header (no shape)');
  const shape: number[] = [];
  for (const part of shapeMatch[1].split(',')) {
    const t = part.trim().replace(/L$/, '');
    if (t === '') continue;
    if (!/^\d+$/.test(t)) throw inputError(where, `malformed .npy header (shape (${shapeMatch[1]}))`);
    shape.push(Number(t));
  }

  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  const type = m ? `${m[2]}${m[3]}` : '';
  if (!m || !(type in ELEMENT_SIZE)) throw inputError(where, `dtype '${descr}': ${describeDescr(descr)}`);
  checkArraySize(shape, ELEMENT_SIZE[type as ElementType], where, 'its .npy header');
  return {
    type: type as ElementType,
    // '=' is native order; numpy itself writes '<', '>' or '|'.
    littleEndian: m[1] !== '>',
    fortranOrder: fortranMatch[1] === 'True',
    shape,
    dataOffset: start + headerLen,
    descr,
  };
}

/** Column-major (Fortran) data of `shape` → row-major (C) order. */
function fortranToC(src: Float32Array, shape: number[]): Float32Array {
  const n = shape.length;
  if (n < 2) return src;
  const out = new Float32Array(src.length);
  // Column-major strides: stride[k] = product of shape[0..k-1].
  const stride = new Array<number>(n);
  stride[0] = 1;
  for (let k = 1; k < n; k++) stride[k] = stride[k - 1] * shape[k - 1];
  const idx = new Array<number>(n).fill(0);
  let srcOff = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = src[srcOff];
    // Advance the row-major index (last axis fastest), tracking the column-major offset.
    for (let k = n - 1; k >= 0; k--) {
      idx[k]++;
      srcOff += stride[k];
      if (idx[k] < shape[k]) break;
      srcOff -= stride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/**
 * Parses a whole .npy file into float32 values in row-major order. Dtypes: f2 f4 f8 i1 u1 i2 u2 i4
 * u4 i8 u8 b1, either byte order; Fortran-ordered arrays are transposed to C order.
 */
export function parseNpy(bytes: Uint8Array, where: string): NdArray {
  const h = parseNpyHeader(bytes, where);
  const count = sizeOf(h.shape);
  const need = count * ELEMENT_SIZE[h.type];
  const have = bytes.length - h.dataOffset;
  if (have !== need) {
    const what = have < need ? 'truncated' : 'has extra bytes';
    throw inputError(
      where,
      `${what}: header says shape ${formatShape(h.shape)} of ${h.descr} (${need} data bytes), file has ${have}`,
    );
  }
  const data = decodeElements(bytes, h.dataOffset, count, h.type, h.littleEndian);
  return { data: h.fortranOrder ? fortranToC(data, h.shape) : data, shape: h.shape };
}
