// Writers for small data files in tests (npy, npz, idx, csv). Not used at run time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { expect } from 'vitest';
import { UsageError } from '../core/errors.ts';

/** A dtype as written in an .npy header: byte order ('<', '>', '|') + kind + size. */
export type NpyDescr =
  `${'<' | '>' | '|'}${'f2' | 'f4' | 'f8' | 'i1' | 'u1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8' | 'b1'}`;

export interface NpyWriteOptions {
  /** Format version (default 1). */
  version?: 1 | 2 | 3;
  /** Write the values (given in C order) in Fortran (column-major) order with fortran_order: True. */
  fortranOrder?: boolean;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function floatToHalf(v: number): number {
  const f = new Float32Array([v]);
  const bits = new Uint32Array(f.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const frac = bits & 0x7fffff;
  if (Number.isNaN(v)) return 0x7e00;
  if (exp >= 0x1f) return sign | 0x7c00;
  if (exp <= 0) return sign | (exp < -10 ? 0 : (frac | 0x800000) >> (14 - exp));
  return sign | (exp << 10) | (frac >> 13);
}

type Writer = (offset: number, v: number) => void;

function writerFor(view: DataView, kind: string, le: boolean): Writer {
  const writers: Record<string, Writer> = {
    f2: (o, v) => view.setUint16(o, floatToHalf(v), le),
    f4: (o, v) => view.setFloat32(o, v, le),
    f8: (o, v) => view.setFloat64(o, v, le),
    i1: (o, v) => view.setInt8(o, v),
    u1: (o, v) => view.setUint8(o, v),
    b1: (o, v) => view.setUint8(o, v ? 1 : 0),
    i2: (o, v) => view.setInt16(o, v, le),
    u2: (o, v) => view.setUint16(o, v, le),
    i4: (o, v) => view.setInt32(o, v, le),
    u4: (o, v) => view.setUint32(o, v, le),
    i8: (o, v) => view.setBigInt64(o, BigInt(v), le),
    u8: (o, v) => view.setBigUint64(o, BigInt(v), le),
  };
  const write = writers[kind];
  if (!write) throw new Error(`unsupported kind ${kind}`);
  return write;
}

/** C-order index i of `shape` → its position in Fortran order. */
function fortranPosition(i: number, shape: readonly number[]): number {
  let pos = 0;
  let stride = 1;
  const idx: number[] = [];
  let rest = i;
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = rest % shape[k];
    rest = Math.floor(rest / shape[k]);
  }
  for (let k = 0; k < shape.length; k++) {
    pos += idx[k] * stride;
    stride *= shape[k];
  }
  return pos;
}

/** Encodes values (C order) as an .npy file. */
export function encodeNpy(
  values: ArrayLike<number>,
  shape: readonly number[],
  descr: NpyDescr = '<f4',
  options: NpyWriteOptions = {},
): Uint8Array {
  const version = options.version ?? 1;
  const fortran = options.fortranOrder ?? false;
  if (values.length !== sizeOf(shape))
    throw new Error(`encodeNpy: ${values.length} values for shape ${shape}`);
  const kind = descr.slice(1);
  const size = Number(kind.slice(1));
  const le = descr[0] !== '>';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = `${header.padEnd(total - pre - 1, ' ')}\n`;
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(pre + headerBytes.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, pre);
  const dataStart = pre + headerBytes.length;
  const write = writerFor(view, kind, le);
  for (let i = 0; i < values.length; i++) {
    const pos = fortran ? fortranPosition(i, shape) : i;
    write(dataStart + pos * size, values[i]);
  }
  return out;
}

/** An .npz archive of .npy members: stored (np.savez) or deflated (np.savez_compressed). */
export function encodeNpz(
  arrays: Record<string, Uint8Array>,
  options: { compress?: boolean } = {},
): Uint8Array {
  const level = options.compress ? 6 : 0;
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [name, data] of Object.entries(arrays))
    files[name.endsWith('.npy') ? name : `${name}.npy`] = [data, { level }];
  return zipSync(files);
}

export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

const IDX_CODES: Record<IdxType, [number, number]> = {
  ubyte: [0x08, 1],
  byte: [0x09, 1],
  short: [0x0b, 2],
  int: [0x0c, 4],
  float: [0x0d, 4],
  double: [0x0e, 8],
};

/** Encodes values as an IDX file (big-endian). */
export function encodeIdx(
  values: ArrayLike<number>,
  shape: readonly number[],
  type: IdxType = 'ubyte',
): Uint8Array {
  if (values.length !== sizeOf(shape))
    throw new Error(`encodeIdx: ${values.length} values for shape ${shape}`);
  const [code, size] = IDX_CODES[type];
  const head = 4 + 4 * shape.length;
  const out = new Uint8Array(head + values.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((d, k) => {
    view.setUint32(4 + 4 * k, d, false);
  });
  for (let i = 0; i < values.length; i++) {
    const o = head + i * size;
    const v = values[i];
    if (type === 'ubyte') view.setUint8(o, v);
    else if (type === 'byte') view.setInt8(o, v);
    else if (type === 'short') view.setInt16(o, v, false);
    else if (type === 'int') view.setInt32(o, v, false);
    else if (type === 'float') view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  return out;
}

/** CSV text from a header and rows (cells written with String()). */
export function encodeCsv(
  header: readonly string[],
  rows: readonly (readonly (number | string)[])[],
): string {
  return `${[header.join(','), ...rows.map((r) => r.map(String).join(','))].join('\n')}\n`;
}

export function gzip(bytes: Uint8Array | string): Uint8Array {
  return gzipSync(bytes);
}

/** A fresh temporary directory; call `cleanup()` when done. */
export function makeTempDir(prefix = 'nn-doctor-test-'): {
  dir: string;
  file: (name: string, data: Uint8Array | string) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    /** Writes `data` to `dir/name` and returns the path. */
    file: (name, data) => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Expects `fn` to throw a one-line UsageError whose message matches every part. */
export function expectUsageError(fn: () => unknown, ...parts: (string | RegExp)[]): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const msg = (caught as Error).message;
  expect(msg).not.toContain('\n');
  for (const p of parts) expect(msg).toMatch(p);
  return msg;
}
