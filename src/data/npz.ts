// NumPy .npz reader: a zip archive of .npy members (np.savez: stored; np.savez_compressed:
// deflated). Only the wanted members are read; each is verified (sizes, CRC-32) and inflated to at
// most what its .npy header claims (zip.ts).
import { inputError, type NdArray } from './common.ts';
import { inflateCapped } from './inflate.ts';
import { parseNpy } from './npy.ts';
import { readZipDirectory, readZipMember } from './zip.ts';

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

/** Array name of a zip member: `x.npy` → `x`. */
function arrayName(member: string): string {
  return member.endsWith('.npy') ? member.slice(0, -4) : member;
}

/**
 * Reads the named arrays from an .npz archive; only those members are decompressed.
 * Returns the arrays found (absent names are missing from the result) and every array name in the archive.
 */
export function readNpzArrays(
  bytes: Uint8Array,
  wanted: readonly string[],
  where: string,
): { arrays: Map<string, NdArray>; names: string[] } {
  const entries = readZipDirectory(bytes, (what) =>
    inputError(where, `not a readable .npz (zip) archive (${what})`),
  ).filter((e) => !e.name.endsWith('/'));
  const names = entries.map((e) => arrayName(e.name));
  const arrays = new Map<string, NdArray>();
  for (const entry of entries) {
    const name = arrayName(entry.name);
    if (!wanted.includes(name) || arrays.has(name)) continue;
    const member = `${where}: array '${name}'`;
    const data = readZipMember(
      bytes,
      entry,
      (raw) => inflateCapped(raw, 'deflate-raw', member),
      (what) => inputError(member, `zip member ${what}`),
    );
    arrays.set(name, parseNpy(data, member));
  }
  return { arrays, names };
}
