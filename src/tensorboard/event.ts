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

/** `tensor { dtype: DT_FLOAT, tensor_shape {}, tensor_content: <4 bytes> }` up to the content. */
const TENSOR_F32_HEAD = [0x42, 0x0a, 0x08, 0x01, 0x12, 0x00, 0x22, 0x04];
const SCALARS_BYTES = [...SCALARS].map((c) => c.charCodeAt(0));
/** `metadata { plugin_data { plugin_name: "scalars" } }` (TF 2.0–2.2, Keras of that time)… */
const SCALARS_METADATA = [0x4a, 0x0b, 0x0a, 0x09, 0x0a, 0x07, ...SCALARS_BYTES];
/** …and with `data_class: DATA_CLASS_SCALAR` (later TF). */
const SCALARS_METADATA_CLASS = [0x4a, 0x0d, 0x0a, 0x09, 0x0a, 0x07, ...SCALARS_BYTES, 0x20, 0x01];

function matches(buf: Uint8Array, at: number, bytes: readonly number[]): boolean {
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}

/**
 * Tag strings by their bytes. Dense logs repeat a handful of tags millions of times: decoding each
 * afresh makes a new string per record, which the sink then hashes again to find its series. The
 * interner returns one string per distinct byte sequence, found by a hash over the bytes.
 */
class TagInterner {
  private readonly byHash = new Map<number, { bytes: Uint8Array; text: string }[]>();
  /** Direct-mapped cache in front of the map: a dense log cycles through a few tags. */
  private readonly recent: ({ bytes: Uint8Array; text: string } | undefined)[] = new Array(256);
  /** Distinct tags kept (a hostile file could hold millions; past this, tags are not cached). */
  private size = 0;
  static readonly MAX = 100_000;

  get(buf: Uint8Array, start: number, end: number): string {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const slot = (h ^ (h >>> 16)) & 255;
    const hit = this.recent[slot];
    if (hit !== undefined && sameBytes(hit.bytes, buf, start, end)) return hit.text;
    const list = this.byHash.get(h);
    if (list) {
      for (const e of list) {
        if (!sameBytes(e.bytes, buf, start, end)) continue;
        this.recent[slot] = e;
        return e.text;
      }
    }
    const text = utf8(buf, start, end);
    if (this.size < TagInterner.MAX) {
      const entry = { bytes: buf.slice(start, end), text };
      if (list) list.push(entry);
      else this.byHash.set(h, [entry]);
      this.recent[slot] = entry;
      this.size++;
    }
    return text;
  }
}

function sameBytes(a: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}

export class EventDecoder {
  private readonly wire = new Wire(new Uint8Array(0));
  private readonly tags = new TagInterner();
  private readonly histogram = new HistogramScratch();
  private readonly tensor = new TensorScratch();
  /** Plugin name per tag, from the first value that carried metadata. */
  private readonly plugins = new Map<string, string>();

  /** `fast: false` turns the scalar fast path off (tests compare both paths). */
  constructor(
    private readonly sink: EventSink,
    private readonly options: { fast?: boolean } = {},
  ) {}

  /** Decodes one Event record from buf[start, end). Throws WireError when it is malformed. */
  decode(buf: Uint8Array, start: number, end: number): void {
    const w = this.wire.reset(buf, start, end);
    if (this.options.fast !== false && this.fastScalar(w, buf, start, end)) return;
    w.pos = start;
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

  /**
   * The two record shapes dense logs are made of, decoded without the general field loop (the
   * loop costs several times more per record than the framing and CRCs of a ~50-byte record):
   *   Event { wall_time, [step], summary { value { tag, simple_value } } }       PyTorch, tfjs
   *   Event { wall_time, [step], summary { value { tag, tensor { DT_FLOAT, shape [], 4 content
   *           bytes }, [metadata { plugin_data { plugin_name: "scalars" } }] } } }   TF2, Keras
   * Exactly those bytes, one-byte lengths, nothing else; anything else (or any doubt) returns
   * false and the general decoder reads the record, with the same result.
   */
  private fastScalar(w: Wire, buf: Uint8Array, start: number, end: number): boolean {
    let p = start;
    if (end - p < 9 + 2 + 2 + 2 + 5 || buf[p] !== 0x09) return false;
    const wallTime = w.view.getFloat64(p + 1, true);
    p += 9;
    let step = 0;
    if (buf[p] === 0x10) {
      const b0 = buf[p + 1];
      const b1 = buf[p + 2];
      if (b0 < 0x80) {
        step = b0;
        p += 2;
      } else if (b1 < 0x80) {
        step = (b0 & 0x7f) | (b1 << 7);
        p += 3;
      } else {
        w.pos = p + 1;
        step = w.int64();
        p = w.pos;
      }
    }
    // summary (field 5) and its one value (field 1), each running to the end of the record
    if (buf[p] !== 0x2a || buf[p + 1] >= 0x80 || p + 2 + buf[p + 1] !== end) return false;
    p += 2;
    if (buf[p] !== 0x0a || buf[p + 1] >= 0x80 || p + 2 + buf[p + 1] !== end) return false;
    p += 2;
    if (buf[p] !== 0x0a || buf[p + 1] >= 0x80) return false;
    const tagStart = p + 2;
    const tagEnd = tagStart + buf[p + 1];
    p = tagEnd;
    if (p + 5 === end && buf[p] === 0x15) {
      const value = w.view.getFloat32(p + 1, true);
      this.sink.scalar(this.tags.get(buf, tagStart, tagEnd), step, wallTime, value);
      return true;
    }
    // tensor (field 8): dtype 1 (DT_FLOAT), empty shape, tensor_content of 4 bytes
    if (p + 12 > end || !matches(buf, p, TENSOR_F32_HEAD)) return false;
    const value = w.view.getFloat32(p + 8, true);
    p += 12;
    const tag = this.tags.get(buf, tagStart, tagEnd);
    if (p === end) {
      const plugin = this.plugins.get(tag);
      if (plugin !== undefined && plugin !== SCALARS) return false;
    } else if (
      (p + SCALARS_METADATA.length === end && matches(buf, p, SCALARS_METADATA)) ||
      (p + SCALARS_METADATA_CLASS.length === end && matches(buf, p, SCALARS_METADATA_CLASS))
    ) {
      if (tag !== '') this.plugins.set(tag, SCALARS);
    } else return false;
    this.sink.scalar(tag, step, wallTime, value);
    return true;
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
        tag = this.tags.get(buf, w.pos, e);
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
