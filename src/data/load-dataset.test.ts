import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { loadDataset } from './index.ts';
import { encodeCsv, encodeIdx, encodeNpy, encodeNpz, gzip, makeTempDir } from './testing.ts';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

async function expectUsage(p: Promise<unknown>, ...parts: (string | RegExp)[]): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const msg = (caught as Error).message;
  expect(msg).not.toContain('\n');
  for (const part of parts) expect(msg).toMatch(part);
}

// 4 records of 2×3 features, labels 0..2
const X = Array.from({ length: 24 }, (_, i) => i / 10);
const Y = [0, 1, 2, 1];

describe('loadDataset: .npy', () => {
  it('loads x.npy with --labels y.npy', async () => {
    const x = tmp.file('x.npy', encodeNpy(X, [4, 2, 3], '<f8'));
    const y = tmp.file('y.npy', encodeNpy(Y, [4], '<i8'));
    const ds = await loadDataset({ data: x, labels: y });
    expect(ds.xShape).toEqual([4, 2, 3]);
    expect(ds.yShape).toEqual([4]);
    expect(Array.from(ds.x)).toEqual(Array.from(Float32Array.from(X)));
    expect(Array.from(ds.y)).toEqual(Y);
    expect(ds.source).toBe('x.npy');
  });

  it('loads labels from IDX, CSV and .npz files too', async () => {
    const x = tmp.file('x2.npy', encodeNpy(X, [4, 6], '<f4'));
    for (const labels of [
      tmp.file('y.idx', encodeIdx(Y, [4])),
      tmp.file(
        'y.csv',
        encodeCsv(
          ['label'],
          Y.map((v) => [v]),
        ),
      ),
      tmp.file('y.npz', encodeNpz({ y: encodeNpy(Y, [4], '<i4') })),
    ]) {
      const ds = await loadDataset({ data: x, labels });
      expect(ds.yShape).toEqual([4]);
      expect(Array.from(ds.y)).toEqual(Y);
    }
    const onehot = tmp.file(
      'y1h.csv',
      encodeCsv(
        ['a', 'b', 'c'],
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
          [0, 1, 0],
        ],
      ),
    );
    const ds = await loadDataset({ data: x, labels: onehot });
    expect(ds.yShape).toEqual([4, 3]);
  });

  it('loads NaN and Inf without complaint', async () => {
    const x = tmp.file('nan.npy', encodeNpy([Number.NaN, 1, Number.POSITIVE_INFINITY, 2], [2, 2], '<f4'));
    const y = tmp.file('nan-y.npy', encodeNpy([0, Number.NaN], [2], '<f4'));
    const ds = await loadDataset({ data: x, labels: y });
    expect(Number.isNaN(ds.x[0])).toBe(true);
    expect(Number.isNaN(ds.y[1])).toBe(true);
  });

  it('applies a record limit', async () => {
    const x = tmp.file('xl.npy', encodeNpy(X, [4, 6], '<f4'));
    const y = tmp.file('yl.npy', encodeNpy(Y, [4], '|u1'));
    const ds = await loadDataset({ data: x, labels: y, limit: 2 });
    expect(ds.xShape).toEqual([2, 6]);
    expect(ds.x.length).toBe(12);
    expect(Array.from(ds.y)).toEqual([0, 1]);
  });

  it('never writes to the input files', async () => {
    const x = tmp.file('ro.npy', encodeNpy(X, [4, 6], '<f4'));
    const y = tmp.file('ro-y.npy', encodeNpy(Y, [4], '<i4'));
    const before = [readFileSync(x), readFileSync(y)];
    const mtimes = [statSync(x).mtimeMs, statSync(y).mtimeMs];
    const ds = await loadDataset({ data: x, labels: y });
    ds.x[0] = 123; // the dataset owns its arrays
    expect(readFileSync(x).equals(before[0])).toBe(true);
    expect(readFileSync(y).equals(before[1])).toBe(true);
    expect([statSync(x).mtimeMs, statSync(y).mtimeMs]).toEqual(mtimes);
  });
});

describe('loadDataset: .npz', () => {
  for (const compress of [false, true]) {
    it(`loads x and y from a ${compress ? 'deflated' : 'stored'} archive`, async () => {
      const npz = encodeNpz({ x: encodeNpy(X, [4, 6], '<f4'), y: encodeNpy(Y, [4], '<i8') }, { compress });
      const ds = await loadDataset({ data: tmp.file(`d${compress}.npz`, npz) });
      expect(ds.xShape).toEqual([4, 6]);
      expect(Array.from(ds.y)).toEqual(Y);
      expect(ds.x[5]).toBeCloseTo(0.5);
    });
  }

  it("accepts Keras' x_train / y_train names", async () => {
    const npz = encodeNpz({
      x_train: encodeNpy(X, [4, 6], '|u1'),
      y_train: encodeNpy(Y, [4], '|u1'),
      x_test: encodeNpy([1], [1, 1], '|u1'),
    });
    const ds = await loadDataset({ data: tmp.file('keras.npz', npz) });
    expect(ds.xShape).toEqual([4, 6]);
  });

  it('takes labels from --labels when the archive has only x', async () => {
    const data = tmp.file('xonly.npz', encodeNpz({ x: encodeNpy(X, [4, 6]) }));
    const labels = tmp.file('xonly-y.npy', encodeNpy(Y, [4]));
    const ds = await loadDataset({ data, labels });
    expect(Array.from(ds.y)).toEqual(Y);
  });

  it('rejects archives without x or y, and --labels beside a y', async () => {
    const noX = tmp.file('nox.npz', encodeNpz({ a: encodeNpy([1], [1]), y: encodeNpy([1], [1]) }));
    await expectUsage(loadDataset({ data: noX }), `--data ${noX}`, /no array 'x'/, /arrays: a, y/);
    const noY = tmp.file('noy.npz', encodeNpz({ x: encodeNpy([1], [1, 1]) }));
    await expectUsage(loadDataset({ data: noY }), `--data ${noY}`, /no array 'y'/, /--labels/);
    const both = tmp.file('both.npz', encodeNpz({ x: encodeNpy([1], [1, 1]), y: encodeNpy([1], [1]) }));
    const y = tmp.file('both-y.npy', encodeNpy([1], [1]));
    await expectUsage(loadDataset({ data: both, labels: y }), `--labels ${y}`, /already holds the labels/);
    const corrupt = encodeNpz({ x: encodeNpy(X, [4, 6]), y: encodeNpy(Y, [4]) }, { compress: true });
    const bad = tmp.file('corrupt.npz', corrupt.subarray(0, corrupt.length - 30));
    await expectUsage(loadDataset({ data: bad }), `--data ${bad}`, /zip/);
    const truncatedMember = encodeNpz({ x: encodeNpy(X, [4, 6]).subarray(0, 100), y: encodeNpy(Y, [4]) });
    const tm = tmp.file('member.npz', truncatedMember);
    await expectUsage(loadDataset({ data: tm }), `--data ${tm}: array 'x': truncated`);
  });
});

describe('loadDataset: .csv', () => {
  it("uses the column named 'label' as labels", async () => {
    const csv = encodeCsv(
      ['a', 'label', 'b'],
      [
        [1, 0, 2],
        [3, 1, 4],
        [5, 2, 6],
      ],
    );
    const ds = await loadDataset({ data: tmp.file('named.csv', csv) });
    expect(ds.xShape).toEqual([3, 2]);
    expect(Array.from(ds.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ds.yShape).toEqual([3]);
    expect(Array.from(ds.y)).toEqual([0, 1, 2]);
  });

  it('uses the last column when none is named label', async () => {
    const csv = encodeCsv(
      ['f1', 'f2', 'target'],
      [
        [0.5, -1, 3.25],
        [1e3, 2, -4],
      ],
    );
    const ds = await loadDataset({ data: tmp.file('last.csv', csv) });
    expect(Array.from(ds.x)).toEqual([0.5, -1, 1000, 2]);
    expect(Array.from(ds.y)).toEqual([3.25, -4]);
  });

  it('reads missing and non-finite cells as NaN/Inf, tab separators and gzip', async () => {
    const text = 'a\tb\tlabel\n1\t\t0\nnan\tinf\t1\n-Infinity\tNA\t0\n';
    const ds = await loadDataset({ data: tmp.file('tabs.tsv.gz', gzip(text)) });
    expect(ds.xShape).toEqual([3, 2]);
    expect(Number.isNaN(ds.x[1])).toBe(true);
    expect(Number.isNaN(ds.x[2])).toBe(true);
    expect(ds.x[3]).toBe(Number.POSITIVE_INFINITY);
    expect(ds.x[4]).toBe(Number.NEGATIVE_INFINITY);
    expect(Array.from(ds.y)).toEqual([0, 1, 0]);
  });

  it('uses every column as a feature when --labels is given', async () => {
    const data = tmp.file(
      'feat.csv',
      encodeCsv(
        ['a', 'b'],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    );
    const labels = tmp.file('feat-y.npy', encodeNpy([0, 1], [2]));
    const ds = await loadDataset({ data, labels });
    expect(ds.xShape).toEqual([2, 2]);
  });

  it("rejects --labels beside a CSV 'label' column", async () => {
    const data = tmp.file('haslabel.csv', encodeCsv(['a', 'label'], [[1, 0]]));
    const labels = tmp.file('haslabel-y.npy', encodeNpy([0], [1]));
    await expectUsage(
      loadDataset({ data, labels }),
      `--labels ${labels}: not used: --data ${data} has its own 'label' column`,
    );
  });

  it('accepts pandas default numeric headers', async () => {
    const ds = await loadDataset({ data: tmp.file('pandas.csv', encodeCsv(['0', '1', '2'], [[1, 2, 0]])) });
    expect(ds.xShape).toEqual([1, 2]);
  });

  it('rejects bad CSV with one line naming the file', async () => {
    const nonNum = tmp.file(
      'text.csv',
      encodeCsv(
        ['a', 'label'],
        [
          [1, 0],
          ['red', 1],
        ],
      ),
    );
    await expectUsage(
      loadDataset({ data: nonNum }),
      `--data ${nonNum}: data row 2, column 'a': 'red' is not a number`,
    );
    const one = tmp.file('one.csv', encodeCsv(['a'], [[1], [2]]));
    await expectUsage(loadDataset({ data: one }), `--data ${one}`, /two columns/);
    const ragged = tmp.file('ragged.csv', 'a,b,label\n1,2,0\n3,4\n');
    await expectUsage(loadDataset({ data: ragged }), `--data ${ragged}`, /cannot parse CSV/);
    const noHeader = tmp.file('nohead.csv', '1,2,0\n3,4,1\n');
    await expectUsage(loadDataset({ data: noHeader }), `--data ${noHeader}`, /header row is required/);
    const empty = tmp.file('empty.csv', '');
    await expectUsage(loadDataset({ data: empty }), `--data ${empty}`, /empty file/);
  });

  it('loads a header-only CSV as zero records', async () => {
    const ds = await loadDataset({ data: tmp.file('header.csv', 'a,b,label\n') });
    expect(ds.xShape).toEqual([0, 2]);
    expect(ds.yShape).toEqual([0]);
  });
});

describe('loadDataset: IDX', () => {
  it('loads IDX images and labels, plain and gzipped', async () => {
    const pixels = Array.from({ length: 2 * 3 * 3 }, (_, i) => i * 10);
    const images = encodeIdx(pixels, [2, 3, 3], 'ubyte');
    const labels = encodeIdx([7, 2], [2], 'ubyte');
    for (const gz of [false, true]) {
      const data = tmp.file(`img${gz}-idx3-ubyte${gz ? '.gz' : ''}`, gz ? gzip(images) : images);
      const lab = tmp.file(`lab${gz}-idx1-ubyte${gz ? '.gz' : ''}`, gz ? gzip(labels) : labels);
      const ds = await loadDataset({ data, labels: lab });
      expect(ds.xShape).toEqual([2, 3, 3]);
      expect(Array.from(ds.x)).toEqual(pixels); // raw values: scaling is the user's choice
      expect(Array.from(ds.y)).toEqual([7, 2]);
    }
  });

  it('loads float and double IDX data', async () => {
    const data = tmp.file('f.idx', encodeIdx([0.25, -1, 3, 4.5], [2, 2], 'double'));
    const labels = tmp.file('f-labels.idx', encodeIdx([1, 0], [2], 'int'));
    const ds = await loadDataset({ data, labels });
    expect(Array.from(ds.x)).toEqual([0.25, -1, 3, 4.5]);
  });

  it('rejects IDX data without --labels, and corrupt gzip', async () => {
    const data = tmp.file('nolab-idx3-ubyte', encodeIdx([1, 2, 3, 4], [2, 2]));
    await expectUsage(loadDataset({ data }), `--data ${data}`, /--labels/);
    const badGz = tmp.file('bad-idx3-ubyte.gz', gzip(encodeIdx([1, 2, 3, 4], [2, 2])).subarray(0, 15));
    await expectUsage(loadDataset({ data: badGz, labels: data }), `--data ${badGz}`, /gzip/);
    const truncated = tmp.file('trunc-idx3-ubyte', encodeIdx([1, 2, 3, 4], [2, 2]).subarray(0, 13));
    await expectUsage(loadDataset({ data: truncated, labels: data }), `--data ${truncated}`, /truncated/);
  });
});

describe('loadDataset: errors and mnist', () => {
  it('names missing files, directories and unknown formats', async () => {
    const missing = `${tmp.dir}/nope.npy`;
    await expectUsage(loadDataset({ data: missing, labels: missing }), `--data ${missing}: file not found`);
    const x = tmp.file('ok.npy', encodeNpy(X, [4, 6]));
    const missingY = `${tmp.dir}/nope-y.npy`;
    await expectUsage(loadDataset({ data: x, labels: missingY }), `--labels ${missingY}: file not found`);
    await expectUsage(loadDataset({ data: tmp.dir }), `--data ${tmp.dir}: is a directory`);
    const bin = tmp.file('blob.bin', new Uint8Array([1, 0, 2, 0, 3, 0, 200, 0]));
    await expectUsage(loadDataset({ data: bin }), `--data ${bin}`, /unrecognized file format/);
    await expectUsage(loadDataset({ data: x }), `--data ${x}`, /--labels/);
  });

  it('reports a label count that differs from the record count', async () => {
    const x = tmp.file('cnt-x.npy', encodeNpy(X, [4, 6]));
    const y = tmp.file('cnt-y.npy', encodeNpy([0, 1, 2], [3]));
    await expectUsage(
      loadDataset({ data: x, labels: y }),
      `--labels ${y}: 3 labels for 4 records in --data ${x}`,
    );
    const npz = tmp.file('cnt.npz', encodeNpz({ x: encodeNpy(X, [4, 6]), y: encodeNpy([1], [1]) }));
    await expectUsage(loadDataset({ data: npz }), `--data ${npz}: 1 label for 4 records`);
  });

  it('names other flags when told (e.g. --val)', async () => {
    const missing = `${tmp.dir}/val.npy`;
    await expectUsage(
      loadDataset({ data: missing, labels: missing, dataFlag: '--val' }),
      `--val ${missing}: file not found`,
    );
  });

  it("loads 'mnist' and rejects --labels with it", async () => {
    const ds = await loadDataset({ data: 'mnist', limit: 10 });
    expect(ds.xShape).toEqual([10, 28, 28, 1]);
    expect(ds.source).toBe('mnist');
    const test = await loadDataset({ data: 'mnist:test', limit: 3 });
    expect(test.xShape).toEqual([3, 28, 28, 1]);
    await expectUsage(loadDataset({ data: 'mnist', labels: 'y.npy' }), '--labels y.npy', /mnist/);
  });
});
