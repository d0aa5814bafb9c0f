// Event records as the real writers serialize them, field by field (REFERENCE.md "TensorBoard event
// files"). proto3 rules apply: fields are written in field-number order and a scalar field holding
// its default (0) is left out — so `step` 0 is absent from the wire, as in real files — except
// inside a oneof (Summary.Value.simple_value is one, so a 0.0 scalar is still written).
import { DT } from '../tensor.ts';
import { float32Bytes, float64Bytes, ProtoWriter } from './proto-writer.ts';

function event(wallTime: number, step: number, body: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter(128);
  w.double(1, wallTime);
  if (step !== 0) w.int(2, step);
  body(w);
  return w.finish();
}

/** The first record of every file: `file_version: "brain.Event:2"`. */
export function fileVersionEvent(wallTime: number, version = 'brain.Event:2'): Uint8Array {
  return event(wallTime, 0, (w) => w.string(3, version));
}

/** SessionLog (Event field 7); status START = 1. */
export function sessionLogEvent(wallTime: number, step: number, status = 1): Uint8Array {
  return event(wallTime, step, (w) => w.message(7, (s) => s.int(1, status)));
}

function summary(w: ProtoWriter, value: (v: ProtoWriter) => void): void {
  w.message(5, (s) => s.message(1, value));
}

/** SummaryMetadata { plugin_data { plugin_name }, data_class } (Value field 9). */
function metadata(v: ProtoWriter, plugin: string, dataClass: number): void {
  v.message(9, (m) => {
    m.message(1, (p) => p.string(1, plugin));
    m.int(4, dataClass);
  });
}

/** PyTorch `add_scalar` / tfjs-node `scalar`: Value { tag, simple_value }. */
export function simpleScalarEvent(wallTime: number, step: number, tag: string, value: number): Uint8Array {
  return event(wallTime, step, (w) => summary(w, (v) => v.string(1, tag).float(2, value)));
}

/** TF2 `tf.summary.scalar`: a float32 rank-0 tensor (tensor_content), plugin "scalars". */
export function tensorScalarEvent(
  wallTime: number,
  step: number,
  tag: string,
  value: number,
  options: { metadata?: boolean; dtype?: 'float32' | 'float64' } = {},
): Uint8Array {
  const double = options.dtype === 'float64';
  return event(wallTime, step, (w) =>
    summary(w, (v) => {
      v.string(1, tag);
      v.message(8, (t) => {
        t.int(1, double ? DT.DOUBLE : DT.FLOAT);
        t.bytes(2, new Uint8Array(0)); // empty TensorShapeProto: a scalar
        t.bytes(4, double ? float64Bytes([value]) : float32Bytes([value]));
      });
      if (options.metadata ?? true) metadata(v, 'scalars', 1);
    }),
  );
}

/** TensorFlow's default histogram bucket edges: ±1e-12·1.1ᵏ up to 1e20, and 0. */
export function tfDefaultEdges(): number[] {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  return [...pos.map((x) => -x).reverse(), 0, ...pos];
}

const DEFAULT_EDGES = tfDefaultEdges();

/**
 * PyTorch `add_histogram` (bins='tensorflow'): counts over the default edges with numpy's
 * semantics (bins [e_i, e_{i+1}), the last one closed; values outside, and NaN, are not counted),
 * trimmed to one empty bucket before the first non-empty one and nothing after the last; each
 * bucket is stored by its right edge. min/max/num/sum/sum_squares are over all values.
 */
export function pytorchHistogram(values: ArrayLike<number>): {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  limits: number[];
  counts: number[];
} {
  const edges = DEFAULT_EDGES;
  const counts = new Array<number>(edges.length - 1).fill(0);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isNaN(x)) {
      min = max = Number.NaN;
    } else if (!Number.isNaN(min)) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    sum += x;
    sumSquares += x * x;
    if (!(x >= edges[0] && x <= edges[edges.length - 1])) continue;
    let a = 0;
    let b = edges.length - 1;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (edges[m] <= x) a = m;
      else b = m;
    }
    counts[a]++;
  }
  let first = -1;
  let last = -1;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0) {
      if (first < 0) first = i;
      last = i;
    }
  }
  const keptCounts: number[] = [];
  const limits: number[] = [];
  if (first >= 0) {
    for (let i = Math.max(0, first - 1); i <= last; i++) {
      keptCounts.push(counts[i]);
      limits.push(edges[i + 1]);
    }
    if (first === 0) {
      keptCounts.unshift(0);
      limits.unshift(edges[0]);
    }
  }
  return { min, max, num: values.length, sum, sumSquares, limits, counts: keptCounts };
}

/** PyTorch `add_histogram`: Value { tag, histo: HistogramProto }. */
export function legacyHistogramEvent(
  wallTime: number,
  step: number,
  tag: string,
  values: ArrayLike<number>,
): Uint8Array {
  const h = pytorchHistogram(values);
  return event(wallTime, step, (w) =>
    summary(w, (v) => {
      v.string(1, tag);
      v.message(5, (p) => {
        if (h.min !== 0) p.double(1, h.min);
        if (h.max !== 0) p.double(2, h.max);
        if (h.num !== 0) p.double(3, h.num);
        if (h.sum !== 0) p.double(4, h.sum);
        if (h.sumSquares !== 0) p.double(5, h.sumSquares);
        if (h.limits.length) p.packedDoubles(6, h.limits);
        if (h.counts.length) p.packedDoubles(7, h.counts);
      });
    }),
  );
}

/**
 * TF2 `tf.summary.histogram` / tfjs-node `histogram`: `buckets` equal-width buckets from min to
 * max as [k,3] rows (left, right, count); a value equal to max goes in the last bucket; when all
 * values are equal, every bucket is [v, v] and the last holds them all.
 */
export function equalWidthRows(values: ArrayLike<number>, buckets = 30): number[] {
  const n = values.length;
  if (n === 0) return [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (Number.isNaN(x)) {
      min = max = Number.NaN;
      break;
    }
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const rows: number[] = [];
  if (Number.isNaN(min)) {
    for (let i = 0; i < buckets; i++) rows.push(Number.NaN, Number.NaN, i === buckets - 1 ? n : 0);
    return rows;
  }
  if (min === max) {
    for (let i = 0; i < buckets; i++) rows.push(min, max, i === buckets - 1 ? n : 0);
    return rows;
  }
  const width = (max - min) / buckets;
  const counts = new Array<number>(buckets).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((values[i] - min) / width)));
    counts[b]++;
  }
  for (let i = 0; i < buckets; i++)
    rows.push(min + i * width, i === buckets - 1 ? max : min + (i + 1) * width, counts[i]);
  return rows;
}

/** TF2 (float64) or tfjs-node (float32) histogram tensor, plugin "histograms". */
export function tensorHistogramEvent(
  wallTime: number,
  step: number,
  tag: string,
  values: ArrayLike<number>,
  options: { dtype: 'float64' | 'float32'; buckets?: number; metadata?: boolean },
): Uint8Array {
  const rows = equalWidthRows(values, options.buckets ?? 30);
  const k = rows.length / 3;
  return event(wallTime, step, (w) =>
    summary(w, (v) => {
      v.string(1, tag);
      v.message(8, (t) => {
        t.int(1, options.dtype === 'float64' ? DT.DOUBLE : DT.FLOAT);
        t.message(2, (s) => {
          s.message(2, (d) => {
            if (k !== 0) d.int(1, k);
          });
          s.message(2, (d) => d.int(1, 3));
        });
        if (rows.length) t.bytes(4, options.dtype === 'float64' ? float64Bytes(rows) : float32Bytes(rows));
      });
      if (options.metadata ?? true) metadata(v, 'histograms', 2);
    }),
  );
}

/** An image summary (skipped by the reader): Value { tag, image { height, width, colorspace, encoded } }. */
export function imageEvent(wallTime: number, step: number, tag: string): Uint8Array {
  return event(wallTime, step, (w) =>
    summary(w, (v) => {
      v.string(1, tag);
      v.message(4, (img) =>
        img
          .int(1, 2)
          .int(2, 2)
          .int(3, 1)
          .bytes(4, new Uint8Array([0x89, 0x50, 0x4e, 0x47])),
      );
    }),
  );
}

/** A graph_def event (Event field 4, skipped by the reader). */
export function graphEvent(wallTime: number): Uint8Array {
  return event(wallTime, 0, (w) => w.bytes(4, new Uint8Array([0x0a, 0x03, 0x0a, 0x01, 0x78])));
}
