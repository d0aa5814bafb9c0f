// Event-file writers in the styles of the three writers nn-doctor reads, for fixtures:
// - 'pytorch'  torch.utils.tensorboard.SummaryWriter: `events.out.tfevents.<time>.<host>.<pid>.<n>`,
//              scalars as simple_value, add_histogram as a legacy HistogramProto (TF default edges);
// - 'keras'    TF2 tf.summary (the Keras TensorBoard callback): `….v2`, scalars as float32 rank-0
//              tensors with plugin "scalars", histograms as float64 [k,3] tensors with plugin
//              "histograms" (30 buckets);
// - 'tfjs'     tfjs-node's summary writer: `….v2`, scalars as simple_value, histograms as float32
//              [k,3] tensors with plugin "histograms".
// Every file starts with a file_version "brain.Event:2" event. Wall times advance by a fixed tick
// so that fixtures are byte-for-byte reproducible.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fileVersionEvent,
  legacyHistogramEvent,
  sessionLogEvent,
  simpleScalarEvent,
  tensorHistogramEvent,
  tensorScalarEvent,
} from './events.ts';
import { frameRecords } from './record-writer.ts';

export type WriterStyle = 'pytorch' | 'keras' | 'tfjs';

export interface EventFileWriterOptions {
  /** Wall time of the first event (seconds). */
  startTime?: number;
  /** keras: write SummaryMetadata with every value ('every', default) or with a tag's first only. */
  metadata?: 'every' | 'first';
  /** Histogram buckets for the tensor styles (default 30). */
  buckets?: number;
  /** Wall-time source shared by writers of one training run (default: own clock, 0.25 s per event). */
  clock?: () => number;
}

/** A deterministic wall clock: `start`, then +`tick` seconds per call. */
export function fakeClock(start = 1_700_000_000, tick = 0.25): () => number {
  let t = start;
  return () => {
    const now = t;
    t += tick;
    return now;
  };
}

export class EventFileWriter {
  readonly records: Uint8Array[] = [];
  private readonly tick: () => number;
  private readonly seenTags = new Set<string>();

  constructor(
    readonly style: WriterStyle,
    private readonly options: EventFileWriterOptions = {},
  ) {
    this.tick = options.clock ?? fakeClock(options.startTime);
    this.records.push(fileVersionEvent(this.tick()));
  }

  private withMetadata(tag: string): boolean {
    const first = !this.seenTags.has(tag);
    this.seenTags.add(tag);
    return this.options.metadata === 'first' ? first : true;
  }

  scalar(tag: string, value: number, step: number): this {
    const t = this.tick();
    this.records.push(
      this.style === 'keras'
        ? tensorScalarEvent(t, step, tag, value, { metadata: this.withMetadata(tag) })
        : simpleScalarEvent(t, step, tag, value),
    );
    return this;
  }

  histogram(tag: string, values: ArrayLike<number>, step: number): this {
    const t = this.tick();
    if (this.style === 'pytorch') this.records.push(legacyHistogramEvent(t, step, tag, values));
    else {
      this.records.push(
        tensorHistogramEvent(t, step, tag, values, {
          dtype: this.style === 'keras' ? 'float64' : 'float32',
          buckets: this.options.buckets,
          metadata: this.withMetadata(tag),
        }),
      );
    }
    return this;
  }

  /** A SessionLog START: the writer restarted at `step` (e.g. resumed from a checkpoint). */
  sessionStart(step: number): this {
    this.records.push(sessionLogEvent(this.tick(), step, 1));
    return this;
  }

  /** The file's name as the style's writer would choose it. */
  fileName(index = 0): string {
    const base = `events.out.tfevents.${Math.floor(this.options.startTime ?? 1_700_000_000)}.testhost.4242.${index}`;
    return this.style === 'pytorch' ? base : `${base}.v2`;
  }

  /** The framed file, and where each record starts. */
  bytes(): { bytes: Uint8Array; offsets: number[] } {
    return frameRecords(this.records);
  }

  /** Writes the file into `dir` (created if needed); returns its path. */
  writeTo(dir: string, index = 0): string {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, this.fileName(index));
    writeFileSync(path, this.bytes().bytes);
    return path;
  }
}

/** The file with one byte of record `index`'s data flipped: a CRC mismatch there. */
export function corruptRecord(file: { bytes: Uint8Array; offsets: number[] }, index: number): Uint8Array {
  const bytes = file.bytes.slice();
  bytes[file.offsets[index] + 12 + 1] ^= 0x40;
  return bytes;
}

/** The file cut in the middle of its last record: a writer still writing. */
export function truncateLastRecord(file: { bytes: Uint8Array; offsets: number[] }): Uint8Array {
  const last = file.offsets[file.offsets.length - 1];
  return file.bytes.slice(0, last + Math.floor((file.bytes.length - last) / 2));
}
