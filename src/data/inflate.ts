// Decompression bounded by what the data claims to be. A few KB of deflate can inflate to
// gigabytes, so nothing is inflated without a cap: first the start of the stream is inflated to
// read the array's header (.npy or IDX), which says how many bytes the whole array takes; then the
// stream is inflated with that many bytes as the most it may produce (node:zlib's
// maxOutputLength stops it as soon as it passes). A header that claims more than the array limits
// is refused before the stream is inflated at all. Node's zlib is native and verifies gzip's CRC-32
// and length; zip members' CRC-32 is verified by the zip reader.
import { constants, gunzipSync, inflateRawSync } from 'node:zlib';
import { firstLine, inputError } from './common.ts';
import { idxClaimedBytes } from './idx.ts';
import { DATA_LIMITS } from './limits.ts';
import { isNpy, npyClaimedBytes } from './npy.ts';

export type Compression = 'gzip' | 'deflate-raw';

const inflaters = { gzip: gunzipSync, 'deflate-raw': inflateRawSync } as const;

/** Inflated start of a stream: enough to read a header, at most ~1,000× the prefix (deflate's cap). */
function inflateStart(data: Uint8Array, kind: Compression, prefix: number): Uint8Array {
  try {
    // Z_SYNC_FLUSH: a cut-off stream yields what it has instead of an "unexpected end" error.
    return inflaters[kind](data.subarray(0, prefix), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return new Uint8Array(0);
  }
}

/**
 * Bytes the whole decompressed file should take, from the header at its start: an .npy or IDX
 * header gives it exactly; for anything else (CSV text), `fallback`.
 */
function claimedSize(data: Uint8Array, kind: Compression, where: string, fallback: number): number {
  for (const prefix of [256, 4096, 65536]) {
    const head = inflateStart(data, kind, prefix);
    if (isNpy(head)) {
      const claim = npyClaimedBytes(head, where);
      if (claim !== null) return claim;
    } else if (head.length >= 4) {
      const claim = idxClaimedBytes(head, where);
      if (claim !== null) return claim;
      if (head.length >= 4 && head[0] !== 0) return fallback; // not an IDX header: text or other
    }
    if (prefix >= data.length) break;
  }
  return fallback;
}

/**
 * Inflates `data` (a gzip file, or a raw deflate stream such as a zip member) to at most the size
 * its header claims (`fallback` when it has no array header). Throws a UsageError naming `where`
 * when it inflates past that (a decompression bomb, or a header that lies) or is corrupt.
 */
export function inflateCapped(
  data: Uint8Array,
  kind: Compression,
  where: string,
  fallback: number = DATA_LIMITS.maxCsvBytes,
): Uint8Array {
  const cap = claimedSize(data, kind, where, fallback);
  try {
    return inflaters[kind](data, { maxOutputLength: Math.max(1, cap) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw inputError(
        where,
        `decompresses to more than the ${cap} bytes ${cap === fallback ? `allowed for a file without an array header` : 'its header claims'} (a decompression bomb, or a corrupt file); stopped there`,
      );
    }
    const what = kind === 'gzip' ? 'is not a valid gzip file' : 'holds a corrupt deflate stream';
    throw inputError(where, `${what} (${firstLine(err)})`);
  }
}
