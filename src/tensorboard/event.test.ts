import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventDecoder } from './event.ts';
import { readRun } from './logdir.ts';
import { bufferSource } from './records.ts';
import { DT, halfToNumber } from './tensor.ts';
import {
  fileVersionEvent,
  graphEvent,
  imageEvent,
  legacyHistogramEvent,
  pytorchHistogram,
  sessionLogEvent,
  simpleScalarEvent,
  tensorHistogramEvent,
  tensorScalarEvent,
  tfDefaultEdges,
} from './testing/events.ts';
import { float32Bytes, ProtoWriter } from './testing/proto-writer.ts';
import { frameRecords } from './testing/record-writer.ts';
import { EventFileWriter } from './testing/writers.ts';

/** A scalar series as plain arrays (the reader keeps typed columns). */
function plain(s: { steps: ArrayLike<number>; values: ArrayLike<number> } | undefined) {
  return { steps: Array.from(s?.steps ?? []), values: Array.from(s?.values ?? []) };
}

function readEvents(events: Uint8Array[]) {
  const { bytes } = frameRecords(events);
  return readRun('.', [{ name: 'f', open: () => bufferSource(bytes) }]);
}

/** An Event { wall_time, step, summary { value { tag, tensor } } } with a hand-built TensorProto. */
function tensorEvent(
  step: number,
  tag: string,
  tensor: (t: ProtoWriter) => void,
  plugin?: string,
): Uint8Array {
  const w = new ProtoWriter();
  w.double(1, 1.7e9);
  if (step) w.int(2, step);
  w.message(5, (s) =>
    s.message(1, (v) => {
      v.string(1, tag);
      v.message(8, tensor);
      if (plugin) v.message(9, (m) => m.message(1, (p) => p.string(1, plugin)));
    }),
  );
  return w.finish();
}

const shape = (t: ProtoWriter, dims: number[]) =>
  t.message(2, (s) => {
    for (const d of dims) s.message(2, (x) => x.int(1, d));
  });

const values = [0, 0, 0, 0.5, 1, 1.5, 2, -0.25, 3];

describe('event decoding', () => {
  it('reads PyTorch-style files: simple_value scalars, legacy histograms with exact moments', () => {
    const w = new EventFileWriter('pytorch');
    w.scalar('loss', 2.5, 0)
      .scalar('loss', 0, 1)
      .histogram('fc1.weight', values, 0)
      .histogram('fc1.weight', [1, 2], 7);
    const { run, problems, records } = readRun('.', [
      { name: 'f', open: () => bufferSource(w.bytes().bytes) },
    ]);
    expect(problems).toEqual([]);
    expect(records).toBe(5);
    expect(plain(run.scalars.get('loss'))).toEqual({ steps: [0, 1], values: [2.5, 0] });
    const h = run.histograms.get('fc1.weight');
    expect(h?.steps).toEqual([0, 7]);
    expect(h?.num).toEqual([9, 2]);
    expect(h?.sum[0]).toBeCloseTo(7.75, 12);
    expect(h?.sumSquares[0]).toBeCloseTo(0.25 + 1 + 2.25 + 4 + 0.0625 + 9, 12);
    expect(h?.min[0]).toBe(-0.25);
    expect(h?.max[0]).toBe(3);
    expect(h?.exact).toBe(true);
    const first = h?.first?.toData();
    const expected = pytorchHistogram(values);
    expect(first?.right).toEqual(expected.limits);
    expect(first?.count).toEqual(expected.counts);
    // Bucket 0 (PyTorch's leading empty bucket) ends at or below min; bucket i starts at limit i−1.
    expect(first?.left[0]).toBe(Math.min(-0.25, expected.limits[0]));
    expect(first?.left[1]).toBe(expected.limits[0]);
    expect(h?.last?.step).toBe(7);
  });

  it('PyTorch histograms use TensorFlow default edges, trimmed around the non-empty buckets', () => {
    const edges = tfDefaultEdges();
    expect(edges.length).toBeGreaterThan(1400);
    expect(edges[edges.length >> 1]).toBe(0);
    const h = pytorchHistogram([1, 1, 1]);
    expect(h.counts).toEqual([0, 3]);
    expect(h.limits[1]).toBeGreaterThan(1);
    expect(h.limits[0]).toBeLessThanOrEqual(1);
  });

  it('reads Keras/TF2-style files: float32 tensor scalars and float64 [k,3] histograms (plugin metadata)', () => {
    const w = new EventFileWriter('keras');
    w.scalar('epoch_loss', 0.75, 0).histogram('dense/kernel_0', values, 0);
    const { run, problems } = readRun('train', [{ name: 'f', open: () => bufferSource(w.bytes().bytes) }]);
    expect(problems).toEqual([]);
    expect(plain(run.scalars.get('epoch_loss')).values).toEqual([0.75]);
    const h = run.histograms.get('dense/kernel_0');
    expect(h?.exact).toBe(false);
    expect(h?.num).toEqual([9]);
    expect(h?.min).toEqual([-0.25]);
    expect(h?.max).toEqual([3]);
    expect(h?.first?.k).toBe(30);
    // Moments from bucket midpoints are close to the true ones.
    expect(h?.sum[0]).toBeCloseTo(7.75, 0);
  });

  it('reads tfjs-node-style files: simple_value scalars and float32 [k,3] histograms', () => {
    const w = new EventFileWriter('tfjs');
    w.scalar('val_loss', 1.25, 3).histogram('dense_Dense1/kernel', values, 3);
    const { run, problems } = readRun('val', [{ name: 'f', open: () => bufferSource(w.bytes().bytes) }]);
    expect(problems).toEqual([]);
    expect(plain(run.scalars.get('val_loss'))).toEqual({ steps: [3], values: [1.25] });
    const h = run.histograms.get('dense_Dense1/kernel');
    expect(h?.first?.k).toBe(30);
    expect(h?.num).toEqual([9]);
    expect(h?.min[0]).toBeCloseTo(-0.25, 6);
  });

  it('remembers a tag’s plugin when later values carry no metadata', () => {
    const w = new EventFileWriter('keras', { metadata: 'first' });
    w.scalar('epoch_loss', 1, 0).scalar('epoch_loss', 0.5, 1);
    w.histogram('h', [1, 2, 3], 0).histogram('h', [1, 2, 3, 4], 1);
    const { run } = readRun('.', [{ name: 'f', open: () => bufferSource(w.bytes().bytes) }]);
    expect(plain(run.scalars.get('epoch_loss')).values).toEqual([1, 0.5]);
    expect(run.histograms.get('h')?.num).toEqual([3, 4]);
  });

  it('skips images, graphs, file versions and other plugins', () => {
    const r = readEvents([
      fileVersionEvent(1),
      graphEvent(2),
      imageEvent(3, 1, 'img'),
      tensorEvent(1, 'text', (t) => t.int(1, DT.STRING), 'text'),
      tensorEvent(1, 'pic', (t) => t.int(1, DT.FLOAT).bytes(4, float32Bytes([1, 2, 3])), 'images'),
      simpleScalarEvent(4, 1, 'loss', 1),
    ]);
    expect(r.problems).toEqual([]);
    expect([...r.run.scalars.keys()]).toEqual(['loss']);
    expect(r.run.histograms.size).toBe(0);
  });

  it('decodes tensor scalars from typed values, packed or not, of any numeric dtype', () => {
    const r = readEvents([
      tensorEvent(1, 'packed', (t) => t.int(1, DT.FLOAT).packedFloats(5, [0.75])),
      tensorEvent(1, 'unpacked-float', (t) => t.int(1, DT.FLOAT).float(5, 1.5)),
      tensorEvent(1, 'double', (t) => t.int(1, DT.DOUBLE).double(6, 2.25)),
      tensorEvent(1, 'int64', (t) => t.int(1, DT.INT64).int(10, 7)),
      tensorEvent(1, 'int32-negative', (t) => t.int(1, DT.INT32).int(7, -3)),
      tensorEvent(1, 'half', (t) => t.int(1, DT.HALF).int(13, 0x3c00)),
      tensorEvent(1, 'zero', (t) => t.int(1, DT.FLOAT)),
      tensorEvent(1, 'broadcast', (t) => shape(t.int(1, DT.FLOAT), [1, 1]).float(5, 4)),
      tensorScalarEvent(1, 1, 'no-metadata', 0.25, { metadata: false }),
      tensorScalarEvent(1, 1, 'float64', 0.125, { dtype: 'float64' }),
      tensorEvent(
        1,
        'content-double',
        (t) => t.int(1, DT.DOUBLE).bytes(4, new Uint8Array(new Float64Array([6.5]).buffer)),
        'scalars',
      ),
    ]);
    expect(r.problems).toEqual([]);
    const v = (tag: string) => r.run.scalars.get(tag)?.values[0];
    expect(v('packed')).toBe(0.75);
    expect(v('unpacked-float')).toBe(1.5);
    expect(v('double')).toBe(2.25);
    expect(v('int64')).toBe(7);
    expect(v('int32-negative')).toBe(-3);
    expect(v('half')).toBe(1);
    expect(v('zero')).toBe(0);
    expect(v('broadcast')).toBe(4);
    expect(v('content-double')).toBe(6.5);
    expect(v('no-metadata')).toBe(0.25);
    expect(v('float64')).toBe(0.125);
  });

  it('decodes half floats', () => {
    expect(halfToNumber(0x3c00)).toBe(1);
    expect(halfToNumber(0xc000)).toBe(-2);
    expect(halfToNumber(0x0001)).toBe(2 ** -24);
    expect(halfToNumber(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(halfToNumber(0x7e00)).toBeNaN();
  });

  it('reads [k,3] histograms from typed values and without metadata', () => {
    const rows = [0, 1, 2, 1, 2, 3];
    const r = readEvents([
      tensorEvent(5, 'rows', (t) => {
        shape(t.int(1, DT.DOUBLE), [2, 3]);
        for (const x of rows) t.double(6, x);
      }),
    ]);
    expect(r.problems).toEqual([]);
    const h = r.run.histograms.get('rows');
    expect(h?.num).toEqual([5]);
    expect(h?.min).toEqual([0]);
    expect(h?.max).toEqual([2]);
    expect(h?.sum[0]).toBeCloseTo(2 * 0.5 + 3 * 1.5, 12);
  });

  it('reads an empty histogram', () => {
    const r = readEvents([tensorHistogramEvent(1, 1, 'empty', [], { dtype: 'float64' })]);
    expect(r.problems).toEqual([]);
    expect(r.run.histograms.get('empty')?.num).toEqual([0]);
  });

  it('keeps NaN in histogram moments (legacy and tensor)', () => {
    const r = readEvents([
      legacyHistogramEvent(1, 1, 'legacy', [1, Number.NaN, 2]),
      tensorHistogramEvent(1, 1, 'tensor', [1, Number.NaN], { dtype: 'float32' }),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.run.histograms.get('legacy')?.sumSquares[0]).toBeNaN();
    expect(r.run.histograms.get('tensor')?.sumSquares[0]).toBeNaN();
  });

  it('reports an undecodable record (CRC fine, protobuf broken) and reads on', () => {
    const broken = new Uint8Array([0x09, 1, 2, 3]); // wall_time double cut short
    const badTensor = tensorEvent(1, 'bad', (t) =>
      shape(t.int(1, DT.FLOAT), [2, 3]).bytes(4, float32Bytes([1, 2])),
    );
    const r = readEvents([
      simpleScalarEvent(1, 1, 'loss', 1),
      broken,
      badTensor,
      simpleScalarEvent(1, 2, 'loss', 2),
    ]);
    expect(plain(r.run.scalars.get('loss')).values).toEqual([1, 2]);
    expect(r.problems.map((p) => p.kind)).toEqual(['undecodable', 'undecodable']);
    expect(r.problems[1].message).toMatch(/not a whole number|values for shape/);
  });

  it('skips unknown fields of every wire type', () => {
    const w = new ProtoWriter();
    w.double(1, 1.7e9).int(2, 3).int(99, 5).float(98, 1).string(97, 'x').double(96, 2);
    w.message(5, (s) => s.message(1, (v) => v.string(1, 'loss').int(50, 1).float(2, 0.5)));
    const r = readEvents([w.finish()]);
    expect(r.problems).toEqual([]);
    expect(plain(r.run.scalars.get('loss'))).toEqual({ steps: [3], values: [0.5] });
  });

  it('reads steps beyond 2^32 and negative steps', () => {
    const r = readEvents([simpleScalarEvent(1, 2 ** 40 + 3, 'a', 1), simpleScalarEvent(1, -5, 'b', 1)]);
    expect(plain(r.run.scalars.get('a')).steps).toEqual([2 ** 40 + 3]);
    expect(plain(r.run.scalars.get('b')).steps).toEqual([-5]);
  });
});

describe('SessionLog START (restarts)', () => {
  const run = (version: string | null) => {
    const events = [
      ...(version ? [fileVersionEvent(1, version)] : []),
      simpleScalarEvent(1, 1, 'loss', 1),
      simpleScalarEvent(1, 2, 'loss', 2),
      simpleScalarEvent(1, 3, 'loss', 3),
      legacyHistogramEvent(1, 3, 'w', [1, 2]),
      sessionLogEvent(2, 2),
      simpleScalarEvent(2, 2, 'loss', 20),
      simpleScalarEvent(2, 3, 'loss', 30),
    ];
    return readEvents(events).run;
  };

  it('with file_version 2, discards values written earlier at steps ≥ the restart step', () => {
    const r = run('brain.Event:2');
    expect(plain(r.scalars.get('loss'))).toEqual({ steps: [1, 2, 3], values: [1, 20, 30] });
    expect(r.histograms.get('w')?.steps).toEqual([]);
    expect(r.histograms.get('w')?.first).toBeNull();
    expect(r.restarts).toEqual([{ step: 2, discarded: 3 }]);
  });

  it('without file_version ≥ 2, keeps everything', () => {
    for (const version of [null, 'brain.Event:1']) {
      const r = run(version);
      expect(plain(r.scalars.get('loss')).values).toEqual([1, 2, 3, 20, 30]);
      expect(r.restarts).toEqual([]);
    }
  });

  it('applies across the files of a run, read in order', () => {
    const a = new EventFileWriter('pytorch', { startTime: 100 });
    a.scalar('loss', 1, 1).scalar('loss', 2, 2).scalar('loss', 3, 3);
    const b = new EventFileWriter('pytorch', { startTime: 200 });
    b.sessionStart(2).scalar('loss', 20, 2);
    const r = readRun('.', [
      { name: a.fileName(), open: () => bufferSource(a.bytes().bytes) },
      { name: b.fileName(), open: () => bufferSource(b.bytes().bytes) },
    ]);
    expect(plain(r.run.scalars.get('loss')).values).toEqual([1, 20]);
    expect(r.run.files).toEqual([a.fileName(), b.fileName()]);
  });
});

describe('the scalar fast path', () => {
  /** Every sink call (or the error) of decoding `bytes`, with the fast path on or off. */
  function calls(bytes: Uint8Array, fast: boolean, decoder?: EventDecoder): string {
    const out: unknown[] = [];
    const sink = {
      fileVersion: (v: string) => out.push(['version', v]),
      sessionStart: (s: number) => out.push(['start', s]),
      scalar: (...a: unknown[]) => out.push(['scalar', ...a]),
      histogram: (t: string, s: number) => out.push(['histogram', t, s]),
    };
    try {
      (decoder ?? new EventDecoder(sink, { fast })).decode(bytes, 0, bytes.length);
    } catch (err) {
      out.push(['error', (err as Error).name]);
    }
    return JSON.stringify(out, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  }

  const scalarRecord = fc
    .record({
      style: fc.constantFrom('simple', 'tensor', 'tensor-no-metadata', 'tensor-f64'),
      wall: fc.double({ noNaN: true }),
      step: fc.oneof(fc.integer({ min: -5, max: 300 }), fc.constant(2 ** 40 + 3)),
      tag: fc.string({ maxLength: 140 }),
      value: fc.float(),
    })
    .map(({ style, wall, step, tag, value }) =>
      style === 'simple'
        ? simpleScalarEvent(wall, step, tag, value)
        : tensorScalarEvent(wall, step, tag, value, {
            metadata: style !== 'tensor-no-metadata',
            dtype: style === 'tensor-f64' ? 'float64' : 'float32',
          }),
    );

  it('gives what the general decoder gives, on scalar records and on mutations of them', () => {
    fc.assert(
      fc.property(
        scalarRecord,
        fc.array(fc.record({ at: fc.nat(), byte: fc.nat({ max: 255 }) }), { maxLength: 3 }),
        (record, edits) => {
          const bytes = record.slice();
          for (const e of edits) if (bytes.length) bytes[e.at % bytes.length] = e.byte;
          expect(calls(bytes, true)).toBe(calls(bytes, false));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps the plugin a tag was first logged with, as the general decoder does', () => {
    const first = tensorScalarEvent(1, 0, 'loss', 0.5, { metadata: false });
    const histogramPlugin = tensorEvent(
      1,
      'loss',
      (t) => t.int(1, DT.FLOAT).bytes(4, new Uint8Array(12)),
      'histograms',
    );
    for (const fast of [true, false]) {
      const out: string[] = [];
      const decoder = new EventDecoder(
        {
          fileVersion() {},
          sessionStart() {},
          scalar: () => out.push('scalar'),
          histogram: () => out.push('histogram'),
        },
        { fast },
      );
      try {
        decoder.decode(histogramPlugin, 0, histogramPlugin.length);
      } catch {
        out.push('error');
      }
      try {
        decoder.decode(first, 0, first.length);
      } catch {
        out.push('error');
      }
      expect(out, `fast ${fast}`).toEqual(['error', 'error']);
    }
  });
});
