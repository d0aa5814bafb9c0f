// NumPy .npz reader: a zip archive of .npy members (np.savez: stored; np.savez_compressed: deflated).
import { unzipSync } from 'fflate';
import { firstLine, inputError, type NdArray } from './common.ts';
import { parseNpy } from './npy.ts';

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
  const names: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        names.push(arrayName(f.name));
        return wanted.includes(arrayName(f.name));
      },
    });
  } catch (err) {
    throw inputError(where, `not a readable .npz (zip) archive (${firstLine(err)})`);
  }
  const arrays = new Map<string, NdArray>();
  for (const [member, data] of Object.entries(files)) {
    const name = arrayName(member);
    arrays.set(name, parseNpy(data, `${where}: array '${name}'`));
  }
  return { arrays, names };
}
