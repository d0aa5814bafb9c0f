// Data files are hostile input: decompression bombs, archives that lie about their members, headers
// that claim more than the limits, FIFOs and devices, numbers in JavaScript's non-decimal forms.
// Every fixture is generated here, small: a bomb is a few KB of deflate.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { loadDataset } from './index.ts';
import { inflateCapped } from './inflate.ts';
import { DATA_LIMITS } from './limits.ts';
import { encodeCsv, encodeIdx, encodeNpy, encodeNpz, makeTempDir } from './testing.ts';
import { crc32, crc32Table } from './zip.ts';

const tmp = makeTempDir('nn-doctor-hostile-data-');
afterAll(() => tmp.cleanup());

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as Error).message).not.toContain('\n');
  expect((caught as Error).message).toMatch(pattern);
}

const y4 = encodeNpy([0, 1, 0, 1], [4], '<i4');
/** An .npy whose header claims 4×2 float32 values, followed by `extra` zero bytes. */
function lyingNpy(extra: number): Uint8Array {
  const honest = encodeNpy(new Float32Array(8), [4, 2]);
  const out = new Uint8Array(honest.length + extra);
  out.set(honest);
  return out;
}

/** A zip of one member, its bytes given raw (so the directory can be forged after). */
function zipOf(members: Record<string, Uint8Array>, level: 0 | 6): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [name, data] of Object.entries(members)) files[name] = [data, { level }];
  return zipSync(files);
}

/** Offsets of the central-directory entries of a zip written by fflate (one per member). */
function centralEntries(zip: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 1 && zip[i + 3] === 2) out.push(i);
  }
  return out;
}

describe('.npz bombs and forged archives', () => {
  it('refuses a member that inflates past its .npy header (a bomb: 8 MB from ~8 KB)', async () => {
    const bomb = zipOf({ 'x.npy': lyingNpy(8 * 2 ** 20), 'y.npy': y4 }, 6);
    expect(bomb.length).toBeLessThan(16 * 1024);
    const path = tmp.file('bomb.npz', bomb);
    await refused(
      loadDataset({ data: path }),
      /bomb\.npz: array 'x': decompresses to more than the 160 bytes its header claims \(a decompression bomb/,
    );
    // The same through --val.
    await refused(
      loadDataset({ data: path, dataFlag: '--val', labelsFlag: '--val-labels' }),
      /^--val .*bomb\.npz: array 'x': decompresses to more than/,
    );
  });

  it('refuses a stored member longer than its header claims (it was silently truncated)', async () => {
    const path = tmp.file('long.npz', zipOf({ 'x.npy': lyingNpy(64), 'y.npy': y4 }, 0));
    await refused(loadDataset({ data: path }), /array 'x': has extra bytes: header says shape \[4, 2\]/);
  });

  it('refuses a member whose size differs from the zip directory', async () => {
    const zip = zipOf({ 'x.npy': encodeNpy(new Float32Array(8), [4, 2]), 'y.npy': y4 }, 6);
    const [first] = centralEntries(zip);
    const v = new DataView(zip.buffer, zip.byteOffset);
    v.setUint32(first + 24, v.getUint32(first + 24, true) + 7, true); // uncompressed size + 7
    await refused(
      loadDataset({ data: tmp.file('sized.npz', zip) }),
      /array 'x': zip member holds 160 bytes where the zip directory says 167/,
    );
  });

  it('verifies every member CRC-32 (stored and deflated)', async () => {
    for (const level of [0, 6] as const) {
      const zip = zipOf({ 'x.npy': encodeNpy(new Float32Array(8), [4, 2]), 'y.npy': y4 }, level);
      const [first] = centralEntries(zip);
      const v = new DataView(zip.buffer, zip.byteOffset);
      v.setUint32(first + 16, v.getUint32(first + 16, true) ^ 1, true);
      await refused(
        loadDataset({ data: tmp.file(`crc${level}.npz`, zip) }),
        /array 'x': zip member is corrupt \(CRC-32 mismatch\)/,
      );
    }
  });

  it('refuses a truncated archive and an unsupported compression method', async () => {
    const zip = encodeNpz({ x: encodeNpy(new Float32Array(8), [4, 2]), y: y4 }, { compress: true });
    await refused(
      loadDataset({ data: tmp.file('cut.npz', zip.subarray(0, zip.length - 30)) }),
      /not a readable \.npz \(zip\) archive \(no end-of-directory record: truncated\?\)/,
    );
    const [first] = centralEntries(zip);
    const odd = new Uint8Array(zip);
    new DataView(odd.buffer).setUint16(first + 10, 12, true); // bzip2
    await refused(
      loadDataset({ data: tmp.file('bzip.npz', odd) }),
      /zip member uses compression method 12 \(supported: stored, deflate\)/,
    );
  });

  it('still reads honest archives, stored and deflated', async () => {
    for (const compress of [false, true]) {
      const zip = encodeNpz(
        {
          x: encodeNpy(
            Float32Array.from({ length: 8 }, (_, i) => i),
            [4, 2],
          ),
          y: y4,
        },
        { compress },
      );
      const ds = await loadDataset({ data: tmp.file(`ok-${compress}.npz`, zip) });
      expect(Array.from(ds.x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(Array.from(ds.y)).toEqual([0, 1, 0, 1]);
    }
  });

  it('reads archives written by NumPy itself (ZIP64 local headers), stored and deflated', async () => {
    for (const name of ['numpy-savez.npz', 'numpy-savez-compressed.npz']) {
      const ds = await loadDataset({ data: join(import.meta.dirname, 'fixtures', name) });
      expect(ds.xShape).toEqual([4, 2]);
      expect(Array.from(ds.x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((v) => v / 8));
      expect(Array.from(ds.y)).toEqual([0, 1, 2, 1]);
    }
  });

  it('CRC-32: the table fallback agrees with node:zlib', () => {
    const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919) & 0xff);
    expect(crc32Table(data)).toBe(crc32(data));
    expect(crc32Table(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('gzip IDX bombs', () => {
  it('refuses a .gz IDX that inflates past its header (a 970 KB one reached 3.25 GB)', async () => {
    const header = encodeIdx([1, 2, 3, 4], [4], 'ubyte');
    const body = new Uint8Array(header.length + 8 * 2 ** 20);
    body.set(header);
    const bomb = gzipSync(body);
    expect(bomb.length).toBeLessThan(16 * 1024);
    await refused(
      loadDataset({ data: tmp.file('images-idx1-ubyte.gz', bomb), labels: tmp.file('l.npy', y4) }),
      /decompresses to more than the 12 bytes its header claims/,
    );
  });

  it('refuses a corrupt gzip (its CRC-32 is checked)', async () => {
    const gz = gzipSync(encodeIdx([1, 2, 3, 4], [4], 'ubyte'));
    gz[gz.length - 6] ^= 1;
    await refused(
      loadDataset({ data: tmp.file('bad-idx1-ubyte.gz', gz) }),
      /is not a valid gzip file \(incorrect data check\)/,
    );
  });

  it('caps a stream without an array header (CSV text) at the limit for such files', () => {
    const text = new Uint8Array(64 * 1024).fill(0x0a);
    text.set(new TextEncoder().encode('a,label\n'));
    expect(() => inflateCapped(gzipSync(text), 'gzip', '--data t.csv.gz', 4096)).toThrow(
      /--data t\.csv\.gz: decompresses to more than the 4096 bytes allowed for a file without an array header/,
    );
    expect(inflateCapped(gzipSync(text), 'gzip', 'x', 64 * 1024)).toHaveLength(64 * 1024);
    expect(DATA_LIMITS.maxCsvBytes).toBe(2 ** 28);
  });
});

describe('headers past the limits, and files that are not files', () => {
  it('refuses a header claiming more values than the limit, before reading the data', async () => {
    const npy = encodeNpy([0], [1]);
    const text = new TextDecoder('latin1')
      .decode(npy)
      .replace("'shape': (1,), ", "'shape': (100000, 100000),");
    const forged = Uint8Array.from(text, (c) => c.charCodeAt(0));
    await refused(
      loadDataset({ data: tmp.file('huge.npy', forged), labels: tmp.file('y.npy', y4) }),
      /its \.npy header claims 10000000000 values \(shape 100000×100000\); the limit is 268435456 values per array/,
    );
    const idx = new Uint8Array([0, 0, 8, 2, 0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0]);
    await refused(
      loadDataset({ data: tmp.file('huge-idx3-ubyte', idx), labels: tmp.file('y2.npy', y4) }),
      /its IDX header claims 10000000000 values/,
    );
  });

  it('refuses a FIFO and a device as --data or --labels (it used to hang)', async () => {
    const fifo = join(tmp.dir, 'data.fifo');
    execFileSync('mkfifo', [fifo]);
    await refused(
      loadDataset({ data: fifo }),
      /data\.fifo: is not a regular file \(a FIFO, device or socket\)/,
    );
    await refused(loadDataset({ data: '/dev/zero' }), /is not a regular file/);
    const x = tmp.file('x.npy', encodeNpy(new Float32Array(8), [4, 2]));
    await refused(loadDataset({ data: x, labels: fifo }), /^--labels .*data\.fifo: is not a regular file/);
  });
});

describe('CSV cells are decimal numbers', () => {
  it('refuses hex, octal and binary forms (0o7 used to read as 7)', async () => {
    for (const cell of ['0o7', '0x10', '0b1', ' 1e3x']) {
      const csv = tmp.file(
        `c-${cell.trim()}.csv`,
        encodeCsv(
          ['a', 'label'],
          [
            [1, 0],
            [2, cell],
          ],
        ),
      );
      await refused(
        loadDataset({ data: csv }),
        new RegExp(`data row 2, column 'label': '${cell.trim()}' is not a number`),
      );
    }
  });

  it('reads decimal forms, and a decimal too large for float32 as Infinity (a non-finite finding)', async () => {
    const csv = tmp.file(
      'ok.csv',
      encodeCsv(
        ['a', 'b', 'label'],
        [
          ['+1.5', '.5', 0],
          ['1e400', '-2E-3', 1],
        ],
      ),
    );
    const ds = await loadDataset({ data: csv });
    expect(Array.from(ds.x)).toEqual([1.5, 0.5, Number.POSITIVE_INFINITY, Math.fround(-0.002)]);
  });
});
