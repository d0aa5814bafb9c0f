import { describe, expect, it } from 'vitest';
import { maskedCrc32c } from './crc32c.ts';
import {
  type ByteSource,
  bufferSource,
  MAX_LISTED_PROBLEMS,
  type ReadOptions,
  readRecords,
} from './records.ts';
import { frameRecord, frameRecords } from './testing/record-writer.ts';

const payload = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * 31 + seed * 17) & 0xff);

function read(bytes: Uint8Array, options: ReadOptions = {}) {
  const records: { data: number[]; offset: number }[] = [];
  const result = readRecords(
    bufferSource(bytes),
    (buf, start, end, offset) => records.push({ data: Array.from(buf.subarray(start, end)), offset }),
    options,
  );
  return { ...result, records };
}

const five = frameRecords([payload(10, 1), payload(0, 2), payload(300, 3), payload(5000, 4), payload(1, 5)]);

describe('readRecords', () => {
  it('reads every record with its offset, across chunk boundaries of any size', () => {
    for (const chunkSize of [64, 100, 1000, 1 << 22]) {
      const r = read(five.bytes, { chunkSize });
      expect(r.problems).toEqual([]);
      expect(r.records.map((x) => x.offset)).toEqual(five.offsets);
      expect(r.records.map((x) => x.data.length)).toEqual([10, 0, 300, 5000, 1]);
      expect(r.records[3].data).toEqual(Array.from(payload(5000, 4)));
      expect(r.bytes).toBe(five.bytes.length);
    }
  });

  it('reads an empty file as no records and no problem', () => {
    expect(read(new Uint8Array(0))).toMatchObject({ records: [], problems: [] });
  });

  it('frames a record as length, masked CRC of the length, data, masked CRC of the data', () => {
    const rec = frameRecord(payload(7, 9));
    const v = new DataView(rec.buffer);
    expect(v.getUint32(0, true)).toBe(7);
    expect(v.getUint32(4, true)).toBe(0);
    expect(v.getUint32(8, true)).toBe(maskedCrc32c(rec, 0, 8));
    expect(v.getUint32(19, true)).toBe(maskedCrc32c(rec, 12, 19));
  });

  it('treats a file ending inside a header as still being written', () => {
    const cut = five.bytes.slice(0, five.offsets[4] + 5);
    const r = read(cut);
    expect(r.records).toHaveLength(4);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'truncated', offset: five.offsets[4] })]);
    expect(r.problems[0].message).toMatch(/still being written/);
  });

  it('treats a file ending inside the data as still being written, without allocating for the missing bytes', () => {
    const cut = five.bytes.slice(0, five.offsets[3] + 100);
    const r = read(cut, { chunkSize: 64 });
    expect(r.records).toHaveLength(3);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'truncated', offset: five.offsets[3] })]);
  });

  it('skips a record whose data CRC fails and reads on', () => {
    const bad = five.bytes.slice();
    bad[five.offsets[2] + 12 + 150] ^= 1;
    const r = read(bad);
    expect(r.records.map((x) => x.offset)).toEqual([
      five.offsets[0],
      five.offsets[1],
      five.offsets[3],
      five.offsets[4],
    ]);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'corrupt-data', offset: five.offsets[2] })]);
  });

  it('flags a damaged data CRC itself as corruption', () => {
    const bad = five.bytes.slice();
    bad[five.offsets[1] + 12] ^= 0x80; // the zero-length record's data CRC
    const r = read(bad);
    expect(r.records).toHaveLength(4);
    expect(r.problems[0]).toMatchObject({ kind: 'corrupt-data', offset: five.offsets[1] });
  });

  it('after a corrupt header, resynchronizes on the next record that verifies', () => {
    const bad = five.bytes.slice();
    bad[five.offsets[2] + 1] ^= 0x10; // length field: header CRC fails, framing lost
    const r = read(bad, { chunkSize: 256 });
    expect(r.records.map((x) => x.offset)).toEqual([
      five.offsets[0],
      five.offsets[1],
      five.offsets[3],
      five.offsets[4],
    ]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'corrupt-header', offset: five.offsets[2] });
    expect(r.problems[0].message).toContain(`next valid record at byte ${five.offsets[3]}`);
  });

  it('reports the rest unusable when no record verifies after a corrupt header', () => {
    const junk = new Uint8Array(1000).map((_, i) => (i * 97 + 13) & 0xff);
    const r = read(junk);
    expect(r.records).toEqual([]);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'corrupt-header', offset: 0 })]);
    expect(r.problems[0].message).toMatch(/1000 bytes are unusable/);
  });

  it('skips runs of zero bytes (a sparse or preallocated file) and finds the records after them', () => {
    // Zero bytes are never a header (zero length, zero CRC: the masked CRC of a zero length is not
    // zero). A 1 GB all-zero file took 45 s byte by byte; the run is now skipped in one pass.
    const zeros = (n: number) => new Uint8Array(n);
    for (const [lead, chunkSize] of [
      [3, 64],
      [13, 64],
      [4096 + 1, 100],
      [200_003, 1 << 16],
    ] as const) {
      const bytes = new Uint8Array([...zeros(lead), ...five.bytes, ...zeros(lead), ...five.bytes]);
      const r = read(bytes, { chunkSize });
      expect(r.records.map((x) => x.offset)).toEqual([
        ...five.offsets.map((o) => o + lead),
        ...five.offsets.map((o) => o + 2 * lead + five.bytes.length),
      ]);
      expect(r.problems.map((p) => p.kind)).toEqual(['corrupt-header', 'corrupt-header']);
      expect(r.problems[0].message).toContain(
        `skipped ${lead} bytes to the next valid record at byte ${lead}`,
      );
    }
    const all = read(zeros(3_000_000), { chunkSize: 1 << 16 });
    expect(all.records).toEqual([]);
    expect(all.problems).toHaveLength(1);
    expect(all.problems[0].message).toContain('the remaining 3000000 bytes are unusable');
  });

  it('recovers records after inserted junk', () => {
    const junk = new Uint8Array(37).fill(0xab);
    const bytes = new Uint8Array(five.bytes.length + junk.length);
    bytes.set(five.bytes.subarray(0, five.offsets[2]));
    bytes.set(junk, five.offsets[2]);
    bytes.set(five.bytes.subarray(five.offsets[2]), five.offsets[2] + junk.length);
    const r = read(bytes);
    expect(r.records).toHaveLength(5);
    expect(r.problems).toEqual([
      expect.objectContaining({ kind: 'corrupt-header', offset: five.offsets[2] }),
    ]);
  });

  it('never allocates for a bogus length whose header CRC verifies (a crafted 2^60 length)', () => {
    const header = new Uint8Array(12);
    const v = new DataView(header.buffer);
    v.setUint32(0, 0, true);
    v.setUint32(4, 1 << 28, true);
    v.setUint32(8, maskedCrc32c(header, 0, 8), true);
    const bytes = new Uint8Array([...header, 1, 2, 3, 4, 5]);
    let biggest = 0;
    const source: ByteSource = {
      ...bufferSource(bytes),
      read(target, offset, length, position) {
        biggest = Math.max(biggest, target.length);
        return bufferSource(bytes).read(target, offset, length, position);
      },
    };
    const r = readRecords(source, () => {}, { chunkSize: 64 });
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'truncated', offset: 0 })]);
    expect(biggest).toBe(64);
  });

  it('can skip CRC verification (to measure its cost)', () => {
    const bad = five.bytes.slice();
    bad[five.offsets[2] + 12 + 150] ^= 1;
    const r = read(bad, { verify: false });
    expect(r.records).toHaveLength(5);
    expect(r.problems).toEqual([]);
  });

  it('reports progress as it reads', () => {
    const seen: number[] = [];
    readRecords(bufferSource(five.bytes), () => {}, { chunkSize: 1024, onProgress: (n) => seen.push(n) });
    expect(seen[seen.length - 1]).toBe(five.bytes.length);
  });
});

describe('readRecords on a badly damaged file', () => {
  it('lists the first MAX_LISTED_PROBLEMS problems and counts the rest in one entry', () => {
    const many = frameRecords(Array.from({ length: MAX_LISTED_PROBLEMS + 50 }, (_, i) => payload(4, i)));
    const bytes = many.bytes.slice();
    for (const o of many.offsets) bytes[o + 12] ^= 1;
    const r = read(bytes);
    expect(r.records).toEqual([]);
    expect(r.problems).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    const last = r.problems[MAX_LISTED_PROBLEMS];
    expect(last).toMatchObject({
      count: 50,
      offset: many.offsets[MAX_LISTED_PROBLEMS],
      until: many.offsets[many.offsets.length - 1],
    });
  });
});
