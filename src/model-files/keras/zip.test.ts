import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { expectUsageError } from '../../data/testing.ts';
import { crc32 } from '../../data/zip.ts';
import { readZipArchive as readZipDirectory, readZipMember } from './zip.ts';

const fail = (p: string) => new UsageError(`--model m.keras: ${p}`);

/** Offset of the central directory entry for the n-th member (0-based). */
function centralEntry(zip: Uint8Array, n: number): number {
  let found = -1;
  for (let o = 0; o + 4 <= zip.length; o++) {
    if (zip[o] === 0x50 && zip[o + 1] === 0x4b && zip[o + 2] === 1 && zip[o + 3] === 2 && ++found === n)
      return o;
  }
  throw new Error('no central entry');
}

function patch32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
}

describe('zip members of a .keras file', () => {
  const zip = zipSync(
    { 'config.json': strToU8('{"a": 1}'), 'model.weights.h5': new Uint8Array(5000).fill(7) },
    { level: 6 },
  );

  it('reads stored and deflated members, checking size and CRC-32', () => {
    const dir = readZipDirectory(zip, fail);
    expect([...dir.members.keys()]).toEqual(['config.json', 'model.weights.h5']);
    expect(new TextDecoder().decode(readZipMember(dir, 'config.json', 100, fail))).toBe('{"a": 1}');
    expect(readZipMember(dir, 'model.weights.h5', 5000, fail)).toEqual(new Uint8Array(5000).fill(7));
  });

  it('crc32 matches the standard check value', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
  });

  it('refuses a member declared larger than the cap before inflating it', () => {
    expectUsageError(
      () => readZipMember(readZipDirectory(zip, fail), 'model.weights.h5', 4999, fail),
      /declares 5000 bytes, over the 4999-byte limit/,
    );
  });

  it('a zip bomb cannot inflate past the declared size (it fails the size or CRC check)', () => {
    // A member that truly inflates to 16 MiB but declares 5000 bytes in both headers.
    const bomb = zipSync({ 'model.weights.h5': new Uint8Array(16 << 20) }, { level: 6 });
    expect(bomb.length).toBeLessThan(200_000);
    const c = centralEntry(bomb, 0);
    patch32(bomb, c + 24, 5000);
    patch32(bomb, 22, 5000); // local header uncompressed size
    expectUsageError(
      () => readZipMember(readZipDirectory(bomb, fail), 'model.weights.h5', 1 << 20, fail),
      /CRC-32|inflates past/,
    );
  });

  it('refuses a corrupted member (CRC-32)', () => {
    const bad = new Uint8Array(zip);
    const c = centralEntry(bad, 0);
    patch32(bad, c + 16, 0x12345678);
    expectUsageError(
      () => readZipMember(readZipDirectory(bad, fail), 'config.json', 100, fail),
      /'config\.json' in the archive is corrupt \(CRC-32 mismatch\)/,
    );
  });

  it('refuses member paths that escape the archive, duplicates, and encryption', () => {
    for (const name of ['../evil.json', '/etc/passwd', 'a\\b', 'C:x']) {
      const z = zipSync({ [name]: strToU8('x') }, { level: 0 });
      expectUsageError(() => readZipDirectory(z, fail), /escapes the archive/);
    }
    const dup = zipSync({ 'config.json': strToU8('1'), 'config.jsoX': strToU8('2') }, { level: 0 });
    const c1 = centralEntry(dup, 1);
    dup[c1 + 46 + 10] = 'n'.charCodeAt(0);
    expectUsageError(() => readZipDirectory(dup, fail), /'config\.json' appears twice/);
    const enc = new Uint8Array(zip);
    enc[centralEntry(enc, 0) + 8] |= 1;
    expectUsageError(() => readZipDirectory(enc, fail), /encrypted/);
  });

  it('refuses truncated archives and zip64 markers', () => {
    expectUsageError(
      () => readZipDirectory(zip.subarray(0, zip.length - 10), fail),
      /no end-of-directory record/,
    );
    const z64 = new Uint8Array(zip);
    patch32(z64, centralEntry(z64, 1) + 24, 0xffffffff);
    expectUsageError(() => readZipDirectory(z64, fail), /marks ZIP64 sizes it does not give/);
    const cut = zip.subarray(0, 30);
    expectUsageError(() => readZipDirectory(cut, fail), /end-of-directory/);
  });
});
