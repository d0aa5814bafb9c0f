// The members of a Keras 3 `.keras` zip, read with the shared zip reader (src/data/zip.ts: every
// size, local header and CRC-32 checked against the directory) plus what a model archive must not
// have: member paths that could escape a folder, a name given twice (which copy would be read?),
// and a member larger than its cap (checked before inflating; inflating stops at the declared size).
import { inflateSync } from 'fflate';
import { readZipMember as readEntry, readZipDirectory, type ZipEntry } from '../../data/zip.ts';
import { type Fail, firstLine } from '../common.ts';

/** The member table of a zip archive, from its central directory. */
export interface ZipArchive {
  members: Map<string, ZipEntry>;
  bytes: Uint8Array;
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

/** Parses the central directory; refuses damaged, encrypted and ambiguous archives. */
export function readZipArchive(bytes: Uint8Array, fail: Fail): ZipArchive {
  const bad = (why: string) => fail(`is not a readable zip archive (${why})`);
  const members = new Map<string, ZipEntry>();
  for (const entry of readZipDirectory(bytes, bad)) {
    const { name } = entry;
    if (entry.flags & 1) throw bad(`member '${name}' is encrypted`);
    if (unsafeName(name)) throw bad(`member path '${name}' escapes the archive`);
    if (members.has(name)) throw bad(`member '${name}' appears twice`);
    members.set(name, entry);
  }
  return { members, bytes };
}

/**
 * Reads one member: its declared size must be ≤ `maxBytes` (checked before inflating), it must
 * inflate to exactly that size, and its CRC-32 must match.
 */
export function readZipMember(
  zip: ZipArchive,
  name: string,
  maxBytes: number,
  fail: Fail,
  /** What the limit is for, appended to its message (` for a model of 67 parameters`). */
  limitFor = '',
): Uint8Array {
  const m = zip.members.get(name);
  if (!m) throw fail(`has no '${name}' in the archive`);
  const bad = (why: string) => fail(`'${name}' in the archive ${why}`);
  if (m.size > maxBytes) throw bad(`declares ${m.size} bytes, over the ${maxBytes}-byte limit${limitFor}`);
  const inflate = (raw: Uint8Array) => {
    // fflate (browser-safe) into a buffer one byte past the declared size: it stops writing when
    // the buffer is full, so a member that inflates further fills it and is refused.
    let out: Uint8Array;
    try {
      out = inflateSync(raw, { out: new Uint8Array(m.size + 1) });
    } catch (err) {
      throw bad(`cannot be inflated (${firstLine(err)})`);
    }
    if (out.length > m.size)
      throw bad(`inflates past the declared ${m.size} bytes (a zip bomb, or a corrupt archive)`);
    return out;
  };
  return readEntry(zip.bytes, m, inflate, bad);
}
