// Reading members of a zip archive (a Keras 3 `.keras` file) from hostile bytes: the central
// directory is parsed here so that every size, name and checksum is checked before and after
// inflating; fflate only inflates, into a buffer of the declared size, so a zip bomb cannot grow
// past the cap, and a member whose inflated bytes do not match its CRC-32 is refused.
import { inflateSync } from 'fflate';
import type { Fail } from '../common.ts';

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export interface ZipMember {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The member table of a zip archive, from its central directory. */
export interface ZipArchive {
  members: Map<string, ZipMember>;
  bytes: Uint8Array;
}

/** Whether the bytes start like a zip archive (a local file header). */
export function isZipBytes(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** A member name that could escape a directory or hide another member. */
function unsafeName(name: string): boolean {
  return (
    name.includes('\\') ||
    name.includes('\0') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((part) => part === '..')
  );
}

/** Parses the central directory; refuses encrypted, zip64, multi-disk and ambiguous archives. */
export function readZipDirectory(bytes: Uint8Array, fail: Fail): ZipArchive {
  const bad = (why: string) => fail(`is not a readable zip archive (${why})`);
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--) {
    if (u32(bytes, o) === EOCD_SIG) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-central-directory record; truncated?');
  const disk = u16(bytes, eocd + 4);
  const cdDisk = u16(bytes, eocd + 6);
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  if (disk !== 0 || cdDisk !== 0) throw bad('multi-disk archive');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw bad('zip64 archives are not supported');
  }
  if (cdOffset + cdSize > eocd) throw bad('central directory outside the file');
  const members = new Map<string, ZipMember>();
  let o = cdOffset;
  for (let i = 0; i < count; i++) {
    if (o + 46 > eocd || u32(bytes, o) !== CENTRAL_SIG) throw bad('corrupt central directory');
    const flags = u16(bytes, o + 8);
    const method = u16(bytes, o + 10);
    const crc = u32(bytes, o + 16);
    const compressedSize = u32(bytes, o + 20);
    const size = u32(bytes, o + 24);
    const nameLen = u16(bytes, o + 28);
    const extraLen = u16(bytes, o + 30);
    const commentLen = u16(bytes, o + 32);
    const localOffset = u32(bytes, o + 42);
    if (o + 46 + nameLen > eocd) throw bad('corrupt central directory');
    const name = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(o + 46, o + 46 + nameLen));
    o += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw bad(`member '${name}' is encrypted`);
    if (unsafeName(name)) throw bad(`member path '${name}' escapes the archive`);
    if (members.has(name)) throw bad(`member '${name}' appears twice`);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      throw bad('zip64 archives are not supported');
    }
    members.set(name, { name, method, crc, compressedSize, size, localOffset });
  }
  return { members, bytes };
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE, as zip uses). */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Reads one member: its declared size must be ≤ `maxBytes` (checked before inflating), it must
 * inflate to exactly that size, and its CRC-32 must match.
 */
export function readZipMember(zip: ZipArchive, name: string, maxBytes: number, fail: Fail): Uint8Array {
  const m = zip.members.get(name);
  if (!m) throw fail(`has no '${name}' in the archive`);
  const bad = (why: string) => fail(`'${name}' in the archive ${why}`);
  if (m.size > maxBytes) throw bad(`declares ${m.size} bytes, over the ${maxBytes}-byte limit`);
  const { bytes } = zip;
  const lo = m.localOffset;
  if (lo + 30 > bytes.length || u32(bytes, lo) !== LOCAL_SIG) throw bad('has a corrupt local header');
  const start = lo + 30 + u16(bytes, lo + 26) + u16(bytes, lo + 28);
  const end = start + m.compressedSize;
  if (end > bytes.length) throw bad('runs past the end of the file (truncated?)');
  const raw = bytes.subarray(start, end);
  let data: Uint8Array;
  if (m.method === 0) {
    if (m.compressedSize !== m.size) throw bad('is stored with inconsistent sizes');
    data = raw;
  } else if (m.method === 8) {
    try {
      data = inflateSync(raw, { out: new Uint8Array(m.size) });
    } catch (err) {
      throw bad(`cannot be inflated (${err instanceof Error ? err.message : String(err)})`);
    }
    if (data.length !== m.size) throw bad(`inflates to ${data.length} bytes, not the declared ${m.size}`);
  } else {
    throw bad(`uses compression method ${m.method} (only stored and deflate are read)`);
  }
  if (crc32(data) !== m.crc) throw bad('fails its CRC-32 check (corrupt)');
  return data;
}
