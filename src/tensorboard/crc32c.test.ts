import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc, maskedCrc32c } from './crc32c.ts';

const bytes = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

/** Bit-at-a-time CRC-32C: the definition, to check the table-driven one against. */
function reference(data: Uint8Array, start = 0, end = data.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) {
    c ^= data[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the test vectors in REFERENCE.md', () => {
    expect(crc32c(bytes('123456789'))).toBe(0xe3069283);
    expect(maskedCrc32c(bytes('\x1a\x11CRC test, one two'))).toBe(0x5794d08a);
  });

  it('is 0 for no bytes and matches the definition on every length 0–200', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
    const data = new Uint8Array(200).map((_, i) => (i * 131 + 7) & 0xff);
    for (let n = 0; n <= 200; n++) expect(crc32c(data, 0, n)).toBe(reference(data, 0, n));
  });

  it('matches the definition at every alignment, for views into a larger buffer too', () => {
    const backing = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    for (let offset = 0; offset < 8; offset++) {
      const view = backing.subarray(offset + 3, offset + 3 + 1000);
      for (const [s, e] of [
        [0, 1000],
        [1, 999],
        [5, 70],
        [13, 13],
        [2, 66],
      ]) {
        expect(crc32c(view, s, e)).toBe(reference(view, s, e));
      }
    }
  });

  it('short inputs (the slicing-by-8 byte path) match the definition at every start', () => {
    const data = new Uint8Array(96).map((_, i) => (i * 2246822519) >>> 24);
    for (let s = 0; s < 10; s++)
      for (let n = 0; n < 64; n++) expect(crc32c(data, s, s + n)).toBe(reference(data, s, s + n));
  });

  it('continues from a previous CRC', () => {
    const data = bytes('The quick brown fox jumps over the lazy dog, again and again and again.');
    expect(crc32c(data, 40, data.length, crc32c(data, 0, 40))).toBe(crc32c(data));
  });

  it('masks by rotating 15 bits and adding 0xA282EAD8', () => {
    const c = 0x12345678;
    expect(maskCrc(c)).toBe((((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
  });
});
