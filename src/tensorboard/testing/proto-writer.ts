// Protobuf wire-format encoding for test fixtures and the benchmark: the writer side of wire.ts.
// Like the real (proto3) serializers, callers write fields in field-number order and leave out
// scalar fields that hold their default (0), except inside a oneof.

const TWO_32 = 4294967296;
const encoder = new TextEncoder();

export class ProtoWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Unsigned varint; negative numbers as 10-byte two's complement (int64/int32 fields). */
  varint(value: number): this {
    this.room(10);
    let v = value;
    if (v < 0) {
      // two's complement over 64 bits: split into 32-bit halves
      const lo = (v % TWO_32) >>> 0;
      const hi = Math.floor(v / TWO_32) >>> 0;
      return this.varint64(lo, hi);
    }
    if (v > 0xffffffff) return this.varint64((v % TWO_32) >>> 0, Math.floor(v / TWO_32) >>> 0);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
    return this;
  }

  private varint64(lo: number, hi: number): this {
    this.room(10);
    let l = lo;
    let h = hi;
    while (h > 0 || l >= 0x80) {
      this.buf[this.pos++] = (l & 0x7f) | 0x80;
      l = ((l >>> 7) | (h << 25)) >>> 0;
      h >>>= 7;
    }
    this.buf[this.pos++] = l;
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  double(field: number, value: number): this {
    this.tag(field, 1);
    this.room(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    this.room(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
    return this;
  }

  int(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2).varint(value.length);
    this.room(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, encoder.encode(value));
  }

  /** Embedded message, built by `build` on a fresh writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter(64);
    build(inner);
    return this.bytes(field, inner.finish());
  }

  packedDoubles(field: number, values: ArrayLike<number>): this {
    this.tag(field, 2).varint(values.length * 8);
    this.room(values.length * 8);
    for (let i = 0; i < values.length; i++) {
      this.view.setFloat64(this.pos, values[i], true);
      this.pos += 8;
    }
    return this;
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    this.tag(field, 2).varint(values.length * 4);
    this.room(values.length * 4);
    for (let i = 0; i < values.length; i++) {
      this.view.setFloat32(this.pos, values[i], true);
      this.pos += 4;
    }
    return this;
  }

  /** The bytes written (a copy that owns its buffer). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export function float64Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat64(8 * i, values[i], true);
  return out;
}

export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat32(4 * i, values[i], true);
  return out;
}
