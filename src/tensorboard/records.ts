// TFRecord framing: `uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)`
// (little-endian). A streaming reader over a ByteSource with one reusable chunk buffer: memory is
// the chunk (or the largest record, which is bounded by the bytes actually present), never the
// file size, and never a length field's claim.
//
// What goes wrong and what happens, like TensorBoard's loaders:
// - the file ends inside a record (header or data): the writer is still writing — stop, keep the
//   complete records, report `truncated`;
// - the data's CRC does not match: the header is intact, so skip that record and go on
//   (`corrupt-data`);
// - the header's CRC does not match: the length cannot be trusted and framing is lost — scan
//   forward, byte by byte (runs of zero bytes skipped at once), for the next offset where a header
//   and its data both verify, and resume there (`corrupt-header`, with the bytes skipped), or
//   report the rest of the file unusable.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { maskedCrc32c } from './crc32c.ts';

export interface ByteSource {
  /** Size in bytes when reading starts. */
  readonly size: number;
  /** Copies up to `length` bytes at `position` into target[offset…]; returns how many (0 at the end). */
  read(target: Uint8Array, offset: number, length: number, position: number): number;
  close(): void;
}

export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return {
    size,
    read: (target, offset, length, position) => readSync(fd, target, offset, length, position),
    close: () => closeSync(fd),
  };
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(target, offset, length, position) {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      target.set(bytes.subarray(position, position + n), offset);
      return n;
    },
    close() {},
  };
}

export type ProblemKind = 'truncated' | 'corrupt-header' | 'corrupt-data' | 'undecodable';

export interface ReadProblem {
  kind: ProblemKind;
  /** Byte offset of the record (or of the damage) in the file. */
  offset: number;
  message: string;
  /** How many problems this entry stands for (1 unless it sums up the unlisted rest)… */
  count?: number;
  /** …and the offset of the last of them. */
  until?: number;
}

/** Problems listed one by one per file; past this many they are only counted (memory stays bounded). */
export const MAX_LISTED_PROBLEMS = 1000;

export interface ReadResult {
  records: number;
  /** Bytes of the file consumed (complete records plus skipped damage). */
  bytes: number;
  problems: ReadProblem[];
}

export interface ReadOptions {
  /** Verify both CRCs of every record (default true; off only to measure their cost). */
  verify?: boolean;
  /** Chunk size in bytes (default 1 MiB; 128 KiB–4 MiB measured the same). */
  chunkSize?: number;
  /** Called after each chunk read with the bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

/**
 * Called once per verified record with the chunk buffer and the data range buf[start, end);
 * `offset` is the record's byte offset in the file. The buffer is reused: copy what you keep.
 */
export type RecordHandler = (buf: Uint8Array, start: number, end: number, offset: number) => void;

const HEADER = 12;
const FOOTER = 4;
const DEFAULT_CHUNK = 1 << 20;

/**
 * Index of the first non-zero byte of buf[from, to), or `to`; four bytes at a time where aligned
 * (`words` views buf's own buffer from offset 0).
 */
function firstNonZero(buf: Uint8Array, words: Uint32Array, from: number, to: number): number {
  let i = from;
  while (i < to && (i & 3) !== 0 && buf[i] === 0) i++;
  if (i < to && buf[i] === 0) {
    let w = i >>> 2;
    const end = to >>> 2;
    while (w < end && words[w] === 0) w++;
    i = w << 2;
  }
  while (i < to && buf[i] === 0) i++;
  return i;
}

export function readRecords(
  source: ByteSource,
  onRecord: RecordHandler,
  options: ReadOptions = {},
): ReadResult {
  const verify = options.verify ?? true;
  const size = source.size;
  // Own ArrayBuffer, offset 0: lets the CRC read aligned words.
  let buf = new Uint8Array(Math.max(64, options.chunkSize ?? DEFAULT_CHUNK));
  let words = new Uint32Array(buf.buffer, 0, buf.length >>> 2);
  let base = 0; // file offset of buf[0]
  let lo = 0; // first unconsumed byte in buf
  let hi = 0; // end of valid bytes in buf
  let eof = false;
  let readTotal = 0;
  const listed: ReadProblem[] = [];
  let unlisted = 0;
  let unlistedFrom = 0;
  let unlistedTo = 0;
  const problems = {
    push(p: ReadProblem): void {
      if (listed.length < MAX_LISTED_PROBLEMS) listed.push(p);
      else {
        if (unlisted === 0) unlistedFrom = p.offset;
        unlisted++;
        unlistedTo = p.offset;
      }
    },
  };
  let records = 0;

  /** Makes at least `need` bytes available from buf[lo]; returns how many are (less only at EOF). */
  const fill = (need: number): number => {
    if (hi - lo >= need || eof) return hi - lo;
    if (lo > 0) {
      buf.copyWithin(0, lo, hi);
      base += lo;
      hi -= lo;
      lo = 0;
    }
    if (need > buf.length) {
      let grown = buf.length;
      while (grown < need) grown *= 2;
      const next = new Uint8Array(grown);
      next.set(buf.subarray(0, hi));
      buf = next;
      words = new Uint32Array(buf.buffer, 0, buf.length >>> 2);
    }
    while (hi < need && !eof) {
      const n = source.read(buf, hi, buf.length - hi, base + hi);
      if (n <= 0) eof = true;
      else {
        hi += n;
        readTotal += n;
        options.onProgress?.(readTotal);
      }
    }
    return hi - lo;
  };

  const u32 = (i: number) => (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)) >>> 0;

  /**
   * Checks whether a record starts at buf[lo]. Returns its data length when both CRCs verify,
   * -1 when it does not (bad header CRC, impossible length, or bad data CRC), -2 when the file
   * ends before the header is complete.
   */
  const probe = (): number => {
    if (fill(HEADER) < HEADER) return -2;
    // Impossible lengths first: cheaper than the header CRC, and most offsets fail here.
    const length = u32(lo) + u32(lo + 4) * 4294967296;
    if (length > size - (base + lo) - HEADER - FOOTER) return -1;
    if (maskedCrc32c(buf, lo, lo + 8) !== u32(lo + 8)) return -1;
    if (fill(HEADER + length + FOOTER) < HEADER + length + FOOTER) return -1;
    const start = lo + HEADER;
    if (maskedCrc32c(buf, start, start + length) !== u32(start + length)) return -1;
    return length;
  };

  /** After a bad header at `damaged`: find the next offset where a whole record verifies. */
  const resync = (damaged: number): void => {
    lo += 1;
    for (;;) {
      const length = probe();
      if (length >= 0) {
        problems.push({
          kind: 'corrupt-header',
          offset: damaged,
          message: `corrupt record header (CRC mismatch); skipped ${base + lo - damaged} bytes to the next valid record at byte ${base + lo}`,
        });
        return;
      }
      if (length === -2) {
        const rest = base + hi - damaged;
        problems.push({
          kind: 'corrupt-header',
          offset: damaged,
          message: `corrupt record header (CRC mismatch); no valid record after it, the remaining ${rest} bytes are unusable`,
        });
        lo = hi;
        return;
      }
      lo += 1;
      // Runs of zero bytes (a sparse or preallocated file): twelve zero bytes are never a header
      // (the masked CRC of a zero length is not zero), so jump to 11 bytes before the next
      // non-zero byte instead of computing a CRC at every offset (45 s per GB before).
      const z = firstNonZero(buf, words, lo, hi);
      if (z - lo >= HEADER) lo = z - (HEADER - 1);
    }
  };

  for (;;) {
    const available = fill(HEADER);
    if (available === 0) break;
    const offset = base + lo;
    if (available < HEADER) {
      problems.push({
        kind: 'truncated',
        offset,
        message: `file ends inside a record header (${available} of ${HEADER} bytes): still being written? used the ${records} complete records before it`,
      });
      lo = hi;
      break;
    }
    if (verify && maskedCrc32c(buf, lo, lo + 8) !== u32(lo + 8)) {
      resync(offset);
      continue;
    }
    const length = u32(lo) + u32(lo + 4) * 4294967296;
    const total = HEADER + length + FOOTER;
    if (length > size - offset - HEADER - FOOTER || fill(total) < total) {
      // Never allocate for bytes that are not there: a length past the end of the file is a record
      // still being written (its header verified) — or, without verification, damage.
      const present = Math.max(size, base + hi) - offset;
      problems.push({
        kind: 'truncated',
        offset,
        message: `file ends inside a record (${present} of ${total} bytes): still being written? used the ${records} complete records before it`,
      });
      lo = hi;
      break;
    }
    const start = lo + HEADER;
    const end = start + length;
    if (verify && maskedCrc32c(buf, start, end) !== u32(end)) {
      problems.push({
        kind: 'corrupt-data',
        offset,
        message: `corrupt record (data CRC mismatch, ${length} bytes); record skipped`,
      });
    } else {
      records++;
      onRecord(buf, start, end, offset);
    }
    lo += total;
  }
  if (unlisted > 0) {
    listed.push({
      kind: 'corrupt-data',
      offset: unlistedFrom,
      message: `${unlisted} more damaged records between bytes ${unlistedFrom} and ${unlistedTo} (skipped, not listed)`,
      count: unlisted,
      until: unlistedTo,
    });
  }
  return { records, bytes: base + lo, problems: listed };
}
