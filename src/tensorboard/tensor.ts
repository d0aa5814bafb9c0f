// TensorProto decoding for the two tensor summaries the checks use: scalars (one element) and
// histograms ([k,3] rows of left, right, count). Numeric dtypes only; values come from
// tensor_content (raw little-endian) or the typed *_val fields, packed or not; a single value is
// broadcast to the full shape. Element counts are capped: a bogus shape cannot make us allocate.
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, type Wire, WireError } from './wire.ts';

export const DT = {
  FLOAT: 1,
  DOUBLE: 2,
  INT32: 3,
  UINT8: 4,
  INT16: 5,
  INT8: 6,
  STRING: 7,
  INT64: 9,
  BOOL: 10,
  BFLOAT16: 14,
  UINT16: 17,
  HALF: 19,
  UINT32: 22,
  UINT64: 23,
} as const;

/** Bytes per element in tensor_content, by dtype; absent = not a numeric dtype we read. */
const ELEMENT_BYTES: Record<number, number> = {
  [DT.FLOAT]: 4,
  [DT.DOUBLE]: 8,
  [DT.INT32]: 4,
  [DT.UINT8]: 1,
  [DT.INT16]: 2,
  [DT.INT8]: 1,
  [DT.INT64]: 8,
  [DT.BOOL]: 1,
  [DT.BFLOAT16]: 2,
  [DT.UINT16]: 2,
  [DT.HALF]: 2,
  [DT.UINT32]: 4,
  [DT.UINT64]: 8,
};

/** No summary tensor we read comes near this many elements (a histogram has ~30–1000 × 3). */
export const MAX_TENSOR_ELEMENTS = 1 << 22;

/** IEEE half-precision bits → number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits → number. */
function bfloat16ToNumber(bits: number): number {
  const f = new Float32Array(1);
  new Uint32Array(f.buffer)[0] = (bits & 0xffff) << 16;
  return f[0];
}

/** A reusable decoded tensor: dtype, shape and `n` values (valid until the next decode). */
export class TensorScratch {
  dtype = 0;
  dims: number[] = [];
  values = new Float64Array(96);
  n = 0;
  /** The dtype is not numeric (strings, resources…): the caller skips the value. */
  unsupported = false;

  push(v: number): void {
    if (this.n >= this.values.length) {
      if (this.n >= MAX_TENSOR_ELEMENTS) throw new WireError('tensor has too many values');
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = v;
  }

  reserve(n: number): void {
    if (n > this.values.length) {
      const bigger = new Float64Array(n);
      bigger.set(this.values.subarray(0, this.n));
      this.values = bigger;
    }
  }
}

function readShape(w: Wire, end: number, dims: number[]): void {
  while (w.pos < end) {
    const t = w.tag();
    if (t >>> 3 === 2 && (t & 7) === WIRE_LEN) {
      const dimEnd = w.len();
      let size = 0;
      while (w.pos < dimEnd) {
        const dt = w.tag();
        if (dt >>> 3 === 1 && (dt & 7) === WIRE_VARINT) size = w.int64();
        else w.skip(dt & 7);
      }
      if (size < 0) throw new WireError('tensor shape has an unknown (-1) dimension');
      dims.push(size);
    } else w.skip(t & 7);
  }
  w.pos = end;
}

function readContent(w: Wire, start: number, end: number, out: TensorScratch): void {
  const size = ELEMENT_BYTES[out.dtype];
  const bytes = end - start;
  if (bytes % size !== 0)
    throw new WireError(`tensor_content of ${bytes} bytes is not a whole number of elements`);
  const n = bytes / size;
  if (n > MAX_TENSOR_ELEMENTS) throw new WireError('tensor has too many values');
  out.reserve(n);
  const v = w.view;
  const vals = out.values;
  switch (out.dtype) {
    case DT.FLOAT:
      for (let i = 0; i < n; i++) vals[i] = v.getFloat32(start + 4 * i, true);
      break;
    case DT.DOUBLE:
      for (let i = 0; i < n; i++) vals[i] = v.getFloat64(start + 8 * i, true);
      break;
    case DT.INT32:
      for (let i = 0; i < n; i++) vals[i] = v.getInt32(start + 4 * i, true);
      break;
    case DT.UINT32:
      for (let i = 0; i < n; i++) vals[i] = v.getUint32(start + 4 * i, true);
      break;
    case DT.INT64:
      for (let i = 0; i < n; i++) vals[i] = Number(v.getBigInt64(start + 8 * i, true));
      break;
    case DT.UINT64:
      for (let i = 0; i < n; i++) vals[i] = Number(v.getBigUint64(start + 8 * i, true));
      break;
    case DT.INT16:
      for (let i = 0; i < n; i++) vals[i] = v.getInt16(start + 2 * i, true);
      break;
    case DT.UINT16:
      for (let i = 0; i < n; i++) vals[i] = v.getUint16(start + 2 * i, true);
      break;
    case DT.HALF:
      for (let i = 0; i < n; i++) vals[i] = halfToNumber(v.getUint16(start + 2 * i, true));
      break;
    case DT.BFLOAT16:
      for (let i = 0; i < n; i++) vals[i] = bfloat16ToNumber(v.getUint16(start + 2 * i, true));
      break;
    case DT.INT8:
      for (let i = 0; i < n; i++) vals[i] = v.getInt8(start + i);
      break;
    default: // UINT8, BOOL
      for (let i = 0; i < n; i++) vals[i] = v.getUint8(start + i);
  }
  out.n = n;
}

/** Varint-coded *_val entries, packed (LEN) or one per tag. */
function readVarints(
  w: Wire,
  wireType: number,
  out: TensorScratch,
  convert: (x: number) => number,
  signed32: boolean,
): void {
  const one = () => {
    let x = w.int64();
    if (signed32) x = x | 0; // int32 fields: negative values are sign-extended to 10 bytes
    out.push(convert(x));
  };
  if (wireType === WIRE_LEN) {
    const end = w.len();
    while (w.pos < end) one();
    w.pos = end;
  } else if (wireType === WIRE_VARINT) one();
  else w.skip(wireType);
}

const identity = (x: number) => x;

/**
 * Decodes a TensorProto in [w.pos, end) into `out`. Leaves `out.unsupported` set for non-numeric
 * dtypes; throws WireError for malformed or inconsistent tensors.
 */
export function decodeTensor(w: Wire, end: number, out: TensorScratch): void {
  out.dtype = 0;
  out.dims.length = 0;
  out.n = 0;
  out.unsupported = false;
  let contentStart = -1;
  let contentEnd = -1;
  // dtype usually precedes the values, but the wire allows any order: buffer typed values as
  // numbers, and interpret tensor_content once the dtype is known.
  while (w.pos < end) {
    const t = w.tag();
    const field = t >>> 3;
    const wt = t & 7;
    switch (field) {
      case 1:
        if (wt !== WIRE_VARINT) throw new WireError('tensor dtype has the wrong wire type');
        out.dtype = w.varint();
        break;
      case 2: {
        if (wt !== WIRE_LEN) throw new WireError('tensor shape has the wrong wire type');
        const shapeEnd = w.len();
        readShape(w, shapeEnd, out.dims);
        break;
      }
      case 4:
        if (wt !== WIRE_LEN) throw new WireError('tensor_content has the wrong wire type');
        contentEnd = w.len();
        contentStart = w.pos;
        w.pos = contentEnd;
        break;
      case 5: // float_val
        if (wt === WIRE_LEN) {
          const e = w.len();
          while (w.pos < e) out.push(w.float());
        } else if (wt === WIRE_FIXED32) out.push(w.float());
        else w.skip(wt);
        break;
      case 6: // double_val
        if (wt === WIRE_LEN) {
          const e = w.len();
          while (w.pos < e) out.push(w.double());
        } else if (wt === WIRE_FIXED64) out.push(w.double());
        else w.skip(wt);
        break;
      case 7: // int_val (also int8/16, uint8/16)
        readVarints(w, wt, out, identity, true);
        break;
      case 10: // int64_val
      case 17: // uint32_val
      case 18: // uint64_val
        readVarints(w, wt, out, identity, false);
        break;
      case 11: // bool_val
        readVarints(w, wt, out, (x) => (x ? 1 : 0), false);
        break;
      case 13: // half_val: HALF and BFLOAT16 bits in int32s
        readVarints(w, wt, out, identity, false);
        break;
      default:
        w.skip(wt);
    }
  }
  if (w.pos !== end) throw new WireError('tensor runs past the end of its message');
  const elementBytes = ELEMENT_BYTES[out.dtype];
  if (elementBytes === undefined) {
    out.unsupported = true;
    return;
  }
  if (contentStart >= 0) {
    out.n = 0;
    readContent(w, contentStart, contentEnd, out);
  } else if (out.dtype === DT.HALF || out.dtype === DT.BFLOAT16) {
    const conv = out.dtype === DT.HALF ? halfToNumber : bfloat16ToNumber;
    for (let i = 0; i < out.n; i++) out.values[i] = conv(out.values[i] & 0xffff);
  }
  let elements = 1;
  for (const d of out.dims) elements *= d;
  if (elements > MAX_TENSOR_ELEMENTS)
    throw new WireError(`tensor shape [${out.dims.join(',')}] is implausibly large`);
  if (out.n === elements) return;
  if (contentStart < 0 && out.n < elements) {
    // Typed values shorter than the shape: the last one repeats (a single value is broadcast to
    // the full shape; no value at all means zeros), as TensorFlow parses them.
    const v = out.n > 0 ? out.values[out.n - 1] : 0;
    out.reserve(elements);
    for (let i = out.n; i < elements; i++) out.values[i] = v;
    out.n = elements;
    return;
  }
  throw new WireError(`tensor has ${out.n} values for shape [${out.dims.join(',')}]`);
}
