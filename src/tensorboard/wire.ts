// A minimal protobuf wire-format reader over a byte range. Hand-written rather than a library:
// none is installed here (package.json is not ours to change), the reader needs only a handful of
// message types, and decoding in place (no per-field objects, doubles read straight from the
// buffer) is what keeps the event reader fast. Every read is bounds-checked against the range's
// end: a bogus length fails the decode (WireError) instead of reading or allocating past it.

export class WireError extends Error {
  override name = 'WireError';
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export class Wire {
  buf: Uint8Array;
  view: DataView;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  /** Re-targets the reader at another range (of the same or another buffer) without allocating. */
  reset(buf: Uint8Array, start: number, end: number): this {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.pos = start;
    this.end = end;
    return this;
  }

  /** Low and high 32 bits of the last varint read by varint64(). */
  private lo = 0;
  private hi = 0;

  /** Unsigned varint up to 64 bits as a number (exact below 2⁵³). */
  varint(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64();
    return this.hi * 4294967296 + this.lo;
  }

  /** int64 varint (two's complement for negatives), as a number. */
  int64(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.varint64();
    if (this.hi & 0x80000000) return -((~this.hi >>> 0) * 4294967296 + (~this.lo >>> 0) + 1);
    return this.hi * 4294967296 + this.lo;
  }

  /** Reads a varint of up to 10 bytes into lo/hi (bits beyond 64 are dropped, as protobuf does). */
  private varint64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new WireError('varint runs past the end of its message');
      const b = buf[pos++];
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi = bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** Field tag: returns (field number << 3 | wire type). */
  tag(): number {
    return this.varint();
  }

  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.end) throw new WireError('double runs past the end of its message');
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  float(): number {
    const pos = this.pos;
    if (pos + 4 > this.end) throw new WireError('float runs past the end of its message');
    this.pos = pos + 4;
    return this.view.getFloat32(pos, true);
  }

  /** Reads a length prefix and returns the end offset of the delimited range (pos is its start). */
  len(): number {
    const n = this.varint();
    const end = this.pos + n;
    if (end > this.end) throw new WireError(`length ${n} runs past the end of its message`);
    return end;
  }

  /** Skips one field's value of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) throw new WireError('fixed64 runs past the end of its message');
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.len();
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) throw new WireError('fixed32 runs past the end of its message');
        this.pos += 4;
        return;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
  }
}

const decoder = new TextDecoder('utf-8');

/** Decodes short ASCII strings (every tag we meet) without a native call; UTF-8 otherwise. */
export function utf8(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 48) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return decoder.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(buf.subarray(start, end));
}
