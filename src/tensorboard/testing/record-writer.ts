// TFRecord framing for fixtures: `uint64 length | masked_crc32c(length) | data | masked_crc32c(data)`.
import { maskedCrc32c } from '../crc32c.ts';

export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const v = new DataView(out.buffer);
  v.setUint32(0, (data.length % 4294967296) >>> 0, true);
  v.setUint32(4, Math.floor(data.length / 4294967296), true);
  v.setUint32(8, maskedCrc32c(out, 0, 8), true);
  out.set(data, 12);
  v.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Frames and concatenates records; `offsets[i]` is where record i starts. */
export function frameRecords(records: Uint8Array[]): { bytes: Uint8Array; offsets: number[] } {
  const framed = records.map(frameRecord);
  const bytes = new Uint8Array(framed.reduce((n, r) => n + r.length, 0));
  const offsets: number[] = [];
  let at = 0;
  for (const r of framed) {
    offsets.push(at);
    bytes.set(r, at);
    at += r.length;
  }
  return { bytes, offsets };
}
