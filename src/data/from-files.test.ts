// Datasets from files in memory (a page's `File`s): the same Dataset as loadDataset gives from
// disk, the same refusals, and the browser's decompression (fflate) as bounded as Node's zlib.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { datasetFromFiles } from './from-files.ts';
import { loadDataset } from './index.ts';
import { FFLATE_INFLATERS } from './inflate.ts';
import { encodeCsv, encodeNpy, encodeNpz, gzip, makeTempDir } from './testing.ts';

const tmp = makeTempDir('nn-doctor-from-files-');

async function usage(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
}

const x = Array.from({ length: 24 }, (_, i) => i / 10);
const y = [0, 1, 2, 0, 1, 2];

describe('datasetFromFiles', () => {
  const cases: [string, Uint8Array, Uint8Array | undefined][] = [
    [
      'train.npz',
      encodeNpz({ 'x.npy': encodeNpy(x, [6, 4]), 'y.npy': encodeNpy(y, [6]) }, { compress: true }),
      undefined,
    ],
    ['x.npy.gz', gzip(encodeNpy(x, [6, 4])), encodeNpy(y, [6])],
    [
      'table.csv',
      new TextEncoder().encode(
        encodeCsv(
          ['a', 'b', 'c', 'd', 'label'],
          y.map((label, r) => [...x.slice(r * 4, r * 4 + 4), label]),
        ),
      ),
      undefined,
    ],
  ];
  for (const [name, bytes, labels] of cases) {
    it(`${name}: the same Dataset as loadDataset reads from disk`, async () => {
      const onDisk = await loadDataset({
        data: tmp.file(name, bytes),
        ...(labels ? { labels: tmp.file(`labels-of-${name}.npy`, labels) } : {}),
        limit: 5,
      });
      const inMemory = await datasetFromFiles({
        data: new File([bytes as Uint8Array<ArrayBuffer>], name),
        ...(labels ? { labels: { name: `labels-of-${name}.npy`, bytes: labels } } : {}),
        limit: 5,
      });
      expect(inMemory).toEqual(onDisk);
      expect(inMemory.xShape).toEqual([5, 4]);
    });
  }

  it('refuses what loadDataset refuses, naming the file', async () => {
    const npy = { name: 'x.npy', bytes: encodeNpy(x, [6, 4]) };
    expect(await usage(datasetFromFiles({ data: npy }))).toBe(
      'data x.npy: a .npy file holds only the inputs; pass the label file with labels',
    );
    const fewer = { name: 'y.npy', bytes: encodeNpy(y.slice(0, 5), [5]) };
    expect(await usage(datasetFromFiles({ data: npy, labels: fewer }))).toMatch(/6 records .* 5|5 .* 6/);
  });

  it('compares a file’s size with the limit before reading it', async () => {
    const huge = new Blob([]);
    Object.defineProperties(huge, {
      size: { value: 2 ** 31 },
      name: { value: 'huge.npy' },
      slice: {
        value: () => {
          throw new Error('read');
        },
      },
    });
    expect(await usage(datasetFromFiles({ data: huge as File }))).toBe(
      `data huge.npy: is ${2 ** 31} bytes; the limit for this input is ${2 ** 30} bytes`,
    );
  });
});

describe('decompression in browsers (fflate)', () => {
  const bomb = gzip(new Uint8Array(8 << 20));

  it('stops one byte past the cap and says so (a bomb)', () => {
    let caught: unknown;
    try {
      FFLATE_INFLATERS.capped(bomb, 'gzip', 4096);
    } catch (err) {
      caught = err;
    }
    expect((caught as { code?: string }).code).toBe('ERR_BUFFER_TOO_LARGE');
    expect(FFLATE_INFLATERS.capped(gzip(new Uint8Array(4096)), 'gzip', 4096)).toHaveLength(4096);
  });

  it('inflates the start of a cut-off stream, for the header', () => {
    const npy = encodeNpy(x, [6, 4]);
    const head = FFLATE_INFLATERS.start(gzip(npy).subarray(0, 60), 'gzip');
    expect(head.length).toBeGreaterThan(10);
    expect(Array.from(head)).toEqual(Array.from(npy.subarray(0, head.length)));
  });
});
