// Decompression is bounded by what the array header may claim, not only by what it does claim: an
// IDX header over the array limits is refused before its stream is inflated (a 970 KB .gz once
// reached 2.1 GB before the 2^28-value limit applied to the inflated header).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateCapped } from './inflate.ts';
import { DATA_LIMITS } from './limits.ts';
import { encodeIdx } from './testing.ts';

/** An IDX ubyte header claiming `count` values, followed by `body` zero bytes, gzipped. */
function idxGz(count: number, body: number): Uint8Array {
  const header = encodeIdx([0], [1], 'ubyte').slice(0, 8);
  new DataView(header.buffer, header.byteOffset).setUint32(4, count);
  const file = new Uint8Array(8 + body);
  file.set(header);
  return gzipSync(file);
}

describe('inflating an IDX .gz', () => {
  it('refuses a header over the value limit before inflating anything past the header', () => {
    // 2^29 values claimed; the body is 32 MiB of zeros (32 KB compressed): it would have been
    // inflated in full, then refused.
    const gz = idxGz(2 ** 29, 32 * 2 ** 20);
    expect(gz.length).toBeLessThan(64 * 1024);
    expect(() => inflateCapped(gz, 'gzip', '--data x-idx1-ubyte.gz')).toThrow(
      new RegExp(
        `--data x-idx1-ubyte\\.gz: its IDX header claims ${2 ** 29} values \\(shape ${2 ** 29}\\); the limit is ${DATA_LIMITS.maxArrayValues} values per array`,
      ),
    );
  });

  it('inflates an honest file within the limits exactly', () => {
    const gz = idxGz(1000, 1000);
    expect(inflateCapped(gz, 'gzip', 'x').length).toBe(1008);
  });
});
