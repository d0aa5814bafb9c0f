// Event / Summary / Value decoding. Each record's Event is decoded in place and handed to a sink
// as scalars and histograms; every other summary kind (images, audio, text, graphs, hparams, PR
// curves…) is skipped. Plugin metadata is often written only with a tag's first value, so the
// decoder remembers each tag's plugin for the values that follow.
import { estimateMoments, type HistogramData, HistogramScratch } from './histogram.ts';
import { decodeTensor, TensorScratch } from './tensor.ts';
import { utf8, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, Wire, WireError } from './wire.ts';

export interface EventSink {
  /** The file's `file_version` event (e.g. `brain.Event:2`). */
  fileVersion(version: string): void;
  /** SessionLog START at `step`: the writer restarted (e.g. from a checkpoint). */
  sessionStart(step: number): void;
  scalar(tag: string, step: number, wallTime: number, value: number): void;
  /** `histogram` is the decoder's scratch, overwritten by the next one: copy what you keep (or take
   * its arrays with BucketCopy.takeFrom, which hands the scratch others in exchange). */
  histogram(tag: string, step: number, wallTime: number, histogram: HistogramData): void;
}

const SESSION_START = 1;

/** Plugins whose tensors we read; anything else with a plugin name is skipped. */
const SCALARS = 'scalars';
const HISTOGRAMS = 'histograms';

export class EventDecoder {
  private readonly wire = new Wire(new Uint8Array(0));
  private readonly histogram = new HistogramScratch();
  private readonly tensor = new TensorScratch();
  /** Plugin name per tag, from the first value that carried metadata. */
  private readonly plugins = new Map<string, string>();

  constructor(private readonly sink: EventSink) {}

  /** Decodes one Event record from buf[start, end). Throws WireError when it is malformed. */
  decode(buf: Uint8Array, start: number, end: number): void {
    const w = this.wire.reset(buf, start, end);
    let step = 0;
    let wallTime = 0;
    let summaryStart = -1;
    let summaryEnd = -1;
    let sessionLogStart = -1;
    let sessionLogEnd = -1;
    let versionStart = -1;
    let versionEnd = -1;
    while (w.pos < end) {
      const t = w.tag();
      const field = t >>> 3;
      const wt = t & 7;
      if (field === 0 || t > 0xffffffff) throw new WireError(`invalid field tag ${t}`);
      if (field === 1 && wt === WIRE_FIXED64) wallTime = w.double();
      else if (field === 2 && wt === WIRE_VARINT) step = w.int64();
      else if (field === 3 && wt === WIRE_LEN) {
        versionEnd = w.len();
        versionStart = w.pos;
        w.pos = versionEnd;
      } else if (field === 5 && wt === WIRE_LEN) {
        summaryEnd = w.len();
        summaryStart = w.pos;
        w.pos = summaryEnd;
      } else if (field === 7 && wt === WIRE_LEN) {
        sessionLogEnd = w.len();
        sessionLogStart = w.pos;
        w.pos = sessionLogEnd;
      } else w.skip(wt);
    }
    if (versionStart >= 0) this.sink.fileVersion(utf8(buf, versionStart, versionEnd));
    if (sessionLogStart >= 0) {
      w.pos = sessionLogStart;
      w.end = sessionLogEnd;
      let status = 0;
      while (w.pos < sessionLogEnd) {
        const t = w.tag();
        if (t >>> 3 === 1 && (t & 7) === WIRE_VARINT) status = w.varint();
        else w.skip(t & 7);
      }
      if (status === SESSION_START) this.sink.sessionStart(step);
    }
    if (summaryStart >= 0) {
      w.pos = summaryStart;
      w.end = summaryEnd;
      while (w.pos < summaryEnd) {
        const t = w.tag();
        if (t >>> 3 === 1 && (t & 7) === WIRE_LEN) {
          const valueEnd = w.len();
          this.value(w, valueEnd, step, wallTime);
          w.pos = valueEnd;
          w.end = summaryEnd;
        } else w.skip(t & 7);
      }
    }
  }

  private value(w: Wire, end: number, step: number, wallTime: number): void {
    const buf = w.buf;
    let tag = '';
    let simple = Number.NaN;
    let hasSimple = false;
    let histoStart = -1;
    let histoEnd = -1;
    let tensorStart = -1;
    let tensorEnd = -1;
    let plugin: string | null = null;
    w.end = end;
    while (w.pos < end) {
      const t = w.tag();
      const field = t >>> 3;
      const wt = t & 7;
      if (field === 1 && wt === WIRE_LEN) {
        const e = w.len();
        tag = utf8(buf, w.pos, e);
        w.pos = e;
      } else if (field === 2 && wt === WIRE_FIXED32) {
        simple = w.float();
        hasSimple = true;
      } else if (field === 5 && wt === WIRE_LEN) {
        histoEnd = w.len();
        histoStart = w.pos;
        w.pos = histoEnd;
      } else if (field === 8 && wt === WIRE_LEN) {
        tensorEnd = w.len();
        tensorStart = w.pos;
        w.pos = tensorEnd;
      } else if (field === 9 && wt === WIRE_LEN) {
        const e = w.len();
        plugin = pluginName(w, e);
        w.pos = e;
      } else w.skip(wt);
    }
    if (plugin !== null && tag !== '') this.plugins.set(tag, plugin);
    if (histoStart >= 0) {
      w.pos = histoStart;
      w.end = histoEnd;
      decodeHistogramProto(w, histoEnd, this.histogram);
      this.sink.histogram(tag, step, wallTime, this.histogram);
      return;
    }
    if (hasSimple) {
      this.sink.scalar(tag, step, wallTime, simple);
      return;
    }
    if (tensorStart < 0) return; // image, audio, or an empty value
    const kind = plugin ?? this.plugins.get(tag) ?? '';
    if (kind !== '' && kind !== SCALARS && kind !== HISTOGRAMS) return;
    w.pos = tensorStart;
    w.end = tensorEnd;
    const tensor = this.tensor;
    decodeTensor(w, tensorEnd, tensor);
    if (tensor.unsupported) {
      if (kind === '') return;
      throw new WireError(`'${tag}': ${kind} tensor has non-numeric dtype ${tensor.dtype}`);
    }
    const dims = tensor.dims;
    const isRows = dims.length === 2 && dims[1] === 3;
    if (kind === HISTOGRAMS || (kind === '' && isRows)) {
      if (!isRows) throw new WireError(`'${tag}': histogram tensor has shape [${dims.join(',')}], not [k,3]`);
      rowsToHistogram(tensor, dims[0], this.histogram);
      this.sink.histogram(tag, step, wallTime, this.histogram);
      return;
    }
    if (tensor.n === 1) this.sink.scalar(tag, step, wallTime, tensor.values[0]);
    else if (kind === SCALARS) throw new WireError(`'${tag}': scalar tensor has ${tensor.n} values`);
  }
}

/** SummaryMetadata → plugin_data.plugin_name ('' when absent). */
function pluginName(w: Wire, end: number): string {
  let name = '';
  while (w.pos < end) {
    const t = w.tag();
    if (t >>> 3 === 1 && (t & 7) === WIRE_LEN) {
      const pe = w.len();
      while (w.pos < pe) {
        const pt = w.tag();
        if (pt >>> 3 === 1 && (pt & 7) === WIRE_LEN) {
          const ne = w.len();
          name = utf8(w.buf, w.pos, ne);
          w.pos = ne;
        } else w.skip(pt & 7);
      }
    } else w.skip(t & 7);
  }
  return name;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Appends a packed (LEN) or one unpacked (FIXED64) repeated-double entry to h[which] at `n`; returns the new count. */
function readDoubles(w: Wire, wt: number, h: HistogramScratch, which: 'right' | 'count', n: number): number {
  if (wt === WIRE_LEN) {
    const e = w.len();
    const bytes = e - w.pos;
    if (bytes % 8 !== 0) throw new WireError('packed doubles are not a multiple of 8 bytes');
    const add = bytes / 8;
    ensureKept(h, n + add);
    const arr = h[which];
    if (LITTLE_ENDIAN) {
      // The wire's little-endian doubles are the array's own bytes: one memcpy.
      new Uint8Array(arr.buffer, n * 8, bytes).set(w.buf.subarray(w.pos, e));
    } else {
      const v = w.view;
      for (let i = 0, p = w.pos; i < add; i++, p += 8) arr[n + i] = v.getFloat64(p, true);
    }
    w.pos = e;
    return n + add;
  }
  if (wt === WIRE_FIXED64) {
    ensureKept(h, n + 1);
    h[which][n] = w.double();
    return n + 1;
  }
  w.skip(wt);
  return n;
}

/** Grows the scratch arrays, keeping everything written so far. */
function ensureKept(h: HistogramScratch, k: number): void {
  if (k > h.left.length) h.reserve(k, h.left.length);
}

/** HistogramProto (legacy `histo`) → scratch, with exact moments from the message. */
export function decodeHistogramProto(w: Wire, end: number, h: HistogramScratch): void {
  h.clear();
  let nLimits = 0;
  let nCounts = 0;
  let min = 0;
  let max = 0;
  while (w.pos < end) {
    const t = w.tag();
    const field = t >>> 3;
    const wt = t & 7;
    if (field >= 1 && field <= 5 && wt === WIRE_FIXED64) {
      const v = w.double();
      if (field === 1) min = v;
      else if (field === 2) max = v;
      else if (field === 3) h.num = v;
      else if (field === 4) h.sum = v;
      else h.sumSquares = v;
    } else if (field === 6) nLimits = readDoubles(w, wt, h, 'right', nLimits);
    else if (field === 7) nCounts = readDoubles(w, wt, h, 'count', nCounts);
    else w.skip(wt);
  }
  if (nLimits !== nCounts)
    throw new WireError(`histogram has ${nLimits} bucket limits but ${nCounts} buckets`);
  const k = nLimits;
  h.k = k;
  h.min = min;
  h.max = max;
  h.exact = true;
  if (k > 0) {
    h.left.set(h.right.subarray(0, k - 1), 1);
    // biome-ignore lint/complexity/useMathMinMax: a NaN min must not become the edge
    h.left[0] = min <= h.right[0] ? min : h.right[0];
  }
}

/** [k,3] rows (left, right, count) → scratch, with moments estimated from the buckets. */
function rowsToHistogram(t: TensorScratch, k: number, h: HistogramScratch): void {
  h.clear();
  h.reserve(k);
  const v = t.values;
  for (let i = 0; i < k; i++) {
    h.left[i] = v[3 * i];
    h.right[i] = v[3 * i + 1];
    h.count[i] = v[3 * i + 2];
  }
  h.k = k;
  estimateMoments(h);
}
