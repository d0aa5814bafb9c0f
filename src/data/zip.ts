// Reading members of a zip archive (an .npz, a Keras 3 .keras) from hostile bytes: the central
// directory is parsed here, and each member read is checked against it — local header, encryption,
// method, inflated size and CRC-32 — while the caller decides how far a deflated member may inflate
// (npz: what its .npy header claims; .keras: a per-member cap). Hand-written because the zip library
// already here (fflate) neither exposes the directory's CRC-32 nor bounds a member's output: its
// unzipSync allocates the size the directory claims and silently truncates a member that inflates
// past it.
//
// Format (APPNOTE 6.3): members, then the central directory (one entry per member: method, CRC-32,
// sizes, offset of its local header, name), then the end-of-central-directory record (EOCD);
// ZIP64 moves sizes and offsets past 4 GiB into extra fields and a ZIP64 EOCD.

/**
 * Node's native CRC-32 (node:zlib's crc32, Node ≥ 20.15), looked up at run time rather than
 * imported: this reader also runs in browsers (a page's `.keras` and `.npz` files), which get the
 * table below.
 */
const nativeCrc32 = (
  globalThis as {
    process?: { getBuiltinModule?: (id: string) => { crc32?: (data: Uint8Array) => number } | undefined };
  }
).process?.getBuiltinModule?.('node:zlib')?.crc32;

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

/** Builds the error for a problem (`what` is a phrase such as "is encrypted"). */
export type ZipProblem = (what: string) => Error;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(v: DataView, at: number): number {
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;
}

/**
 * The archive's member list, from its central directory (ZIP64 sizes and offsets understood;
 * multi-disk archives refused). `bad` builds the error for a damaged archive.
 */
export function readZipDirectory(bytes: Uint8Array, bad: ZipProblem): ZipEntry[] {
  const v = view(bytes);
  // The EOCD is 22 bytes plus a comment of up to 65,535: search back from the end.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (v.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-directory record: truncated?');
  if (v.getUint16(eocd + 4, true) !== 0 || v.getUint16(eocd + 6, true) !== 0) throw bad('multi-disk archive');
  let count = v.getUint16(eocd + 10, true);
  let dirSize = v.getUint32(eocd + 12, true);
  let dirOffset = v.getUint32(eocd + 16, true);
  if (count === 0xffff || dirSize === MAX32 || dirOffset === MAX32) {
    const loc = eocd - 20;
    if (loc < 0 || v.getUint32(loc, true) !== ZIP64_LOCATOR) throw bad('ZIP64 locator missing');
    const z = u64(v, loc + 8);
    if (z + 56 > bytes.length || v.getUint32(z, true) !== ZIP64_EOCD)
      throw bad('ZIP64 directory record missing');
    count = u64(v, z + 32);
    dirSize = u64(v, z + 40);
    dirOffset = u64(v, z + 48);
  }
  if (dirOffset + dirSize > bytes.length) throw bad('the directory lies past the end of the file');
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || v.getUint32(p, true) !== CENTRAL) throw bad('damaged directory entry');
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    if (p + 46 + nameLen + extraLen > bytes.length) throw bad('damaged directory entry');
    const entry: ZipEntry = {
      flags: v.getUint16(p + 8, true),
      method: v.getUint16(p + 10, true),
      crc32: v.getUint32(p + 16, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      localHeaderOffset: v.getUint32(p + 42, true),
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen)),
    };
    readZip64Extra(v, p + 46 + nameLen, extraLen, entry);
    if (entry.size === MAX32 || entry.compressedSize === MAX32 || entry.localHeaderOffset === MAX32)
      throw bad(`directory entry '${entry.name}' marks ZIP64 sizes it does not give`);
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** ZIP64 extended information (id 1): the 64-bit values of fields that hold 0xFFFFFFFF, in order. */
function readZip64Extra(v: DataView, start: number, length: number, entry: ZipEntry): void {
  for (let q = start; q + 4 <= start + length; ) {
    const id = v.getUint16(q, true);
    const size = v.getUint16(q + 2, true);
    if (id === 1) {
      let r = q + 4;
      const take = () => {
        const value = r + 8 <= q + 4 + size ? u64(v, r) : MAX32;
        r += 8;
        return value;
      };
      if (entry.size === MAX32) entry.size = take();
      if (entry.compressedSize === MAX32) entry.compressedSize = take();
      if (entry.localHeaderOffset === MAX32) entry.localHeaderOffset = take();
    }
    q += 4 + size;
  }
}

/**
 * A member's bytes: stored members as they are, deflated ones through `inflate` (which bounds the
 * output). The result's length and CRC-32 must match the directory. `bad` builds the error.
 */
export function readZipMember(
  bytes: Uint8Array,
  entry: ZipEntry,
  inflate: (raw: Uint8Array) => Uint8Array,
  bad: ZipProblem,
): Uint8Array {
  if (entry.flags & 1) throw bad('is encrypted');
  const v = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || v.getUint32(at, true) !== LOCAL) throw bad('is damaged (no local header)');
  const start = at + 30 + v.getUint16(at + 26, true) + v.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw bad('runs past the end of the file (truncated archive?)');
  const raw = bytes.subarray(start, end);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) data = inflate(raw);
  else throw bad(`uses compression method ${entry.method} (supported: stored, deflate)`);
  if (data.length !== entry.size) {
    throw bad(
      `holds ${data.length} bytes where the zip directory says ${entry.size} (a corrupt or forged archive)`,
    );
  }
  if (crc32(data) !== entry.crc32) throw bad('is corrupt (CRC-32 mismatch)');
  return data;
}

let table: Uint32Array | null = null;

/** CRC-32 (zip's, IEEE 802.3): node:zlib's native one where Node has it (≥ 20.15), else a table. */
export function crc32(data: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(data) >>> 0;
  return crc32Table(data);
}

/** The table-driven fallback (exported to be tested against node:zlib). */
export function crc32Table(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
