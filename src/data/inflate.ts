// Decompression bounded by what the data claims to be. A few KB of deflate can inflate to
// gigabytes, so nothing is inflated without a cap: first the start of the stream is inflated to
// read the array's header (.npy or IDX), which says how many bytes the whole array takes; then the
// stream is inflated with that many bytes as the most it may produce (node:zlib's
// maxOutputLength stops it as soon as it passes). A header that claims more than the array limits
// is refused before the stream is inflated at all. Node's zlib is native and verifies gzip's CRC-32
// and length; zip members' CRC-32 is verified by the zip reader. In a browser (a page's files),
// where there is no node:zlib, fflate does the same into a buffer one byte past the cap.
import { Gunzip, gunzipSync, Inflate, inflateSync } from 'fflate';
import { firstLine, inputError } from './common.ts';
import { idxClaimedBytes } from './idx.ts';
import { DATA_LIMITS } from './limits.ts';
import { isNpy, npyClaimedBytes } from './npy.ts';

export type Compression = 'gzip' | 'deflate-raw';

interface Inflaters {
  /** The inflated start of a cut-off stream (what it yields so far). */
  start(data: Uint8Array, kind: Compression): Uint8Array;
  /** The whole stream, or an error with code ERR_BUFFER_TOO_LARGE once it passes `max` bytes. */
  capped(data: Uint8Array, kind: Compression, max: number): Uint8Array;
}

/** The part of node:zlib used here (typed here: this module must not import it, even as a type). */
type ZlibCall = (data: Uint8Array, options: { finishFlush?: number; maxOutputLength?: number }) => Uint8Array;
type NodeZlib = { gunzipSync: ZlibCall; inflateRawSync: ZlibCall; constants: { Z_SYNC_FLUSH: number } };

/** Node's native zlib, looked up at run time (not imported: this module also runs in browsers). */
function nodeInflaters(zlib: NodeZlib): Inflaters {
  const of = { gzip: zlib.gunzipSync, 'deflate-raw': zlib.inflateRawSync } as const;
  return {
    // Z_SYNC_FLUSH: a cut-off stream yields what it has instead of an "unexpected end" error.
    start: (data, kind) => of[kind](data, { finishFlush: zlib.constants.Z_SYNC_FLUSH }),
    capped: (data, kind, max) => of[kind](data, { maxOutputLength: max }),
  };
}

/** fflate (plain JavaScript), for browsers: the same two operations. */
const fflateInflaters: Inflaters = {
  start(data, kind) {
    const parts: Uint8Array[] = [];
    const stream = kind === 'gzip' ? new Gunzip((c) => parts.push(c)) : new Inflate((c) => parts.push(c));
    stream.push(data, false);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  },
  capped(data, kind, max) {
    // Into a buffer one byte past the cap: fflate stops writing when it is full.
    const out = (kind === 'gzip' ? gunzipSync : inflateSync)(data, { out: new Uint8Array(max + 1) });
    if (out.length > max)
      throw Object.assign(new Error('output past the cap'), { code: 'ERR_BUFFER_TOO_LARGE' });
    return out;
  },
};

const nodeZlib = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => NodeZlib | undefined } }
).process?.getBuiltinModule?.('node:zlib');
const inflaters: Inflaters = nodeZlib ? nodeInflaters(nodeZlib) : fflateInflaters;

/** Inflated start of a stream: enough to read a header, at most ~1,000× the prefix (deflate's cap). */
function inflateStart(data: Uint8Array, kind: Compression, prefix: number): Uint8Array {
  try {
    return inflaters.start(data.subarray(0, prefix), kind);
  } catch {
    return new Uint8Array(0);
  }
}

/** For tests: the browser path, on any runtime. */
export const FFLATE_INFLATERS = fflateInflaters;

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
    return inflaters.capped(data, kind, Math.max(1, cap));
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
