import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { parseIdx } from './idx.ts';
import { parseNpy } from './npy.ts';
import { encodeIdx, encodeNpy, type IdxType, type NpyDescr } from './testing.ts';

const W = '--data x.npy';

/** An .npy file with a hand-written header (for headers encodeNpy cannot produce). */
function rawNpy(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(`${header.padEnd(117, ' ')}\n`);
  const out = new Uint8Array(10 + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  out.set(h, 10);
  out.set(data, 10 + h.length);
  return out;
}

function expectUsage(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const msg = (caught as Error).message;
  expect(msg).not.toContain('\n');
  for (const p of parts) expect(msg).toMatch(p);
}

describe('parseNpy', () => {
  const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const dtypes: NpyDescr[] = ['<f4', '<f8', '<i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8', '<u8', '<f2'];
  for (const dt of dtypes) {
    it(`reads ${dt}`, () => {
      const a = parseNpy(encodeNpy(values, [3, 4], dt), W);
      expect(a.shape).toEqual([3, 4]);
      expect(Array.from(a.data)).toEqual(values);
    });
  }

  it('reads negative and large integers', () => {
    expect(Array.from(parseNpy(encodeNpy([-128, 127, -1], [3], '|i1'), W).data)).toEqual([-128, 127, -1]);
    expect(Array.from(parseNpy(encodeNpy([-70000, 70000], [2], '<i4'), W).data)).toEqual([-70000, 70000]);
    const big = [-(2 ** 40), 2 ** 40 + 2 ** 20, -1];
    expect(Array.from(parseNpy(encodeNpy(big, [3], '<i8'), W).data)).toEqual(big);
    expect(Array.from(parseNpy(encodeNpy([2 ** 33, 65535], [2], '<u8'), W).data)).toEqual([2 ** 33, 65535]);
    expect(Array.from(parseNpy(encodeNpy([65535, 40000], [2], '<u2'), W).data)).toEqual([65535, 40000]);
  });

  it('reads bool', () => {
    const a = parseNpy(encodeNpy([1, 0, 1], [3], '|b1'), W);
    expect(Array.from(a.data)).toEqual([1, 0, 1]);
  });

  it('reads header versions 1.0, 2.0 and 3.0', () => {
    for (const version of [1, 2, 3] as const) {
      const a = parseNpy(encodeNpy([1.5, -2.5], [2, 1], '<f8', { version }), W);
      expect(a.shape).toEqual([2, 1]);
      expect(Array.from(a.data)).toEqual([1.5, -2.5]);
    }
  });

  it('reads big-endian data', () => {
    expect(Array.from(parseNpy(encodeNpy([1.25, -3], [2], '>f4'), W).data)).toEqual([1.25, -3]);
    expect(Array.from(parseNpy(encodeNpy([-300, 12345], [2], '>i2'), W).data)).toEqual([-300, 12345]);
    expect(Array.from(parseNpy(encodeNpy([2 ** 40], [1], '>i8'), W).data)).toEqual([2 ** 40]);
  });

  it('transposes Fortran-ordered arrays to C order', () => {
    const v = Array.from({ length: 24 }, (_, i) => i);
    const a = parseNpy(encodeNpy(v, [2, 3, 4], '<f4', { fortranOrder: true }), W);
    expect(a.shape).toEqual([2, 3, 4]);
    expect(Array.from(a.data)).toEqual(v);
  });

  it('keeps NaN and Inf values', () => {
    const a = parseNpy(encodeNpy([Number.NaN, Number.POSITIVE_INFINITY, -1], [3], '<f4'), W);
    expect(Number.isNaN(a.data[0])).toBe(true);
    expect(a.data[1]).toBe(Number.POSITIVE_INFINITY);
  });

  it('reads empty arrays and scalars', () => {
    expect(parseNpy(encodeNpy([], [0, 5], '<f4'), W).shape).toEqual([0, 5]);
    expect(parseNpy(encodeNpy([7], [], '<f4'), W).shape).toEqual([]);
  });

  it('rejects bad files with one line naming the file', () => {
    expectUsage(() => parseNpy(new TextEncoder().encode('a,b\n1,2\n'), W), /^--data x\.npy: /, /not a NumPy/);
    const ok = encodeNpy([1, 2, 3, 4], [4], '<f4');
    expectUsage(() => parseNpy(ok.subarray(0, ok.length - 3), W), '--data x.npy', /truncated/);
    const extra = new Uint8Array(ok.length + 4);
    extra.set(ok);
    expectUsage(() => parseNpy(extra, W), /extra bytes/);
    expectUsage(
      () => parseNpy(rawNpy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"), W),
      /object/,
    );
    expectUsage(
      () => parseNpy(rawNpy("{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }"), W),
      /string/,
    );
    expectUsage(
      () => parseNpy(rawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }"), W),
      /structured/,
    );
    expectUsage(() => parseNpy(rawNpy("{'descr': '<f4', 'shape': (2,), }"), W), /malformed/);
    const v9 = encodeNpy([1], [1]);
    v9[6] = 9;
    expectUsage(() => parseNpy(v9, W), /version 9\.0/);
  });
});

describe('parseIdx', () => {
  const types: IdxType[] = ['ubyte', 'byte', 'short', 'int', 'float', 'double'];
  for (const t of types) {
    it(`reads ${t}`, () => {
      const v = t === 'ubyte' ? [0, 1, 200, 255, 7, 9] : [0, -1, 100, -120, 7, 9];
      const a = parseIdx(encodeIdx(v, [2, 3], t), '--data x.idx');
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual(v);
    });
  }

  it('reads float fractions and wide ints', () => {
    expect(Array.from(parseIdx(encodeIdx([0.5, -2.25], [2], 'float'), 'f').data)).toEqual([0.5, -2.25]);
    expect(Array.from(parseIdx(encodeIdx([-100000, 3000000], [2], 'int'), 'f').data)).toEqual([
      -100000, 3000000,
    ]);
    expect(Array.from(parseIdx(encodeIdx([-30000], [1], 'short'), 'f').data)).toEqual([-30000]);
  });

  it('rejects bad files', () => {
    const ok = encodeIdx([1, 2, 3, 4], [4]);
    expectUsage(() => parseIdx(ok.subarray(0, 6), '--labels y.idx'), /^--labels y\.idx: /, /truncated/);
    expectUsage(() => parseIdx(ok.subarray(0, ok.length - 1), '--labels y.idx'), /truncated/);
    const badType = ok.slice();
    badType[2] = 0x07;
    expectUsage(() => parseIdx(badType, '--labels y.idx'), /unknown IDX data type 0x07/);
    const notIdx = ok.slice();
    notIdx[0] = 1;
    expectUsage(() => parseIdx(notIdx, '--labels y.idx'), /not an IDX file/);
  });
});
