// The normalized in-memory form of one run: per tag, a scalar series or a histogram series (moments
// per step, plus the buckets of the first and last histogram). Histograms are reduced as they are
// read, so memory grows with the number of steps logged, not with the size of the files.

import type { EventSink } from './event.ts';
import { BucketCopy, type HistogramData, HistogramScratch } from './histogram.ts';

/** A logged scalar series, in write order. Typed columns: a dense log holds millions of points. */
export interface ScalarSeries {
  steps: Float64Array;
  /** float32 when every logged value is one (exact), else float64. */
  values: Float32Array | Float64Array;
  wallTimes: Float64Array;
}

export interface HistogramSeries {
  steps: number[];
  wallTimes: number[];
  num: number[];
  min: number[];
  max: number[];
  sum: number[];
  sumSquares: number[];
  /** Every moment came from the writer (legacy HistogramProto); false when estimated from buckets. */
  exact: boolean;
  /** Buckets of the first- and last-written histogram (null after a restart discarded them). */
  first: BucketCopy | null;
  last: BucketCopy | null;
}

export interface Restart {
  step: number;
  /** Values written earlier at steps ≥ `step`, discarded. */
  discarded: number;
}

export interface RunData {
  /** Path relative to the log directory, '/'-separated; '.' for the directory itself. */
  name: string;
  /** Event files, relative to the log directory, in reading order. */
  files: string[];
  /** Tags in order of first appearance (Map order). */
  scalars: Map<string, ScalarSeries>;
  histograms: Map<string, HistogramSeries>;
  /** Latest wall time seen (seconds since the epoch), 0 if none. */
  lastWallTime: number;
  /** Values read (scalars + histograms), before any restart purge. */
  values: number;
  restarts: Restart[];
}

export function emptyRun(name: string): RunData {
  return {
    name,
    files: [],
    scalars: new Map(),
    histograms: new Map(),
    lastWallTime: 0,
    values: 0,
    restarts: [],
  };
}

/**
 * A scalar series being read: three growing typed columns. Appending to typed buffers that double
 * costs a fraction of pushing onto plain arrays (measured ~2.5× cheaper per point, bench/
 * tensorboard-read.ts dense file), and `finish` hands out trimmed views without copying.
 */
class ScalarColumns {
  steps = new Float64Array(64);
  /** float32 while every value is one (simple_value and DT_FLOAT tensors are), else float64. */
  values: Float32Array | Float64Array = new Float32Array(64);
  wallTimes = new Float64Array(64);
  n = 0;

  constructor(readonly series: ScalarSeries) {}

  push(step: number, value: number, wallTime: number): void {
    const n = this.n;
    if (n === this.steps.length) this.grow(n * 2);
    if (this.values instanceof Float32Array && Math.fround(value) !== value && !Number.isNaN(value)) {
      const wide = new Float64Array(this.steps.length);
      wide.set(this.values.subarray(0, n));
      this.values = wide;
    }
    this.steps[n] = step;
    this.values[n] = value;
    this.wallTimes[n] = wallTime;
    this.n = n + 1;
  }

  private grow(size: number): void {
    const n = this.n;
    const steps = new Float64Array(size);
    steps.set(this.steps.subarray(0, n));
    this.steps = steps;
    const wallTimes = new Float64Array(size);
    wallTimes.set(this.wallTimes.subarray(0, n));
    this.wallTimes = wallTimes;
    const values = this.values instanceof Float32Array ? new Float32Array(size) : new Float64Array(size);
    values.set(this.values.subarray(0, n));
    this.values = values;
  }

  /** Keeps the points at steps below `from`; returns how many were dropped. */
  keepBefore(from: number): number {
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      if (this.steps[i] >= from) continue;
      this.steps[k] = this.steps[i];
      this.values[k] = this.values[i];
      this.wallTimes[k] = this.wallTimes[i];
      k++;
    }
    const dropped = this.n - k;
    this.n = k;
    return dropped;
  }

  finish(): void {
    this.series.steps = this.steps.subarray(0, this.n);
    this.series.values = this.values.subarray(0, this.n);
    this.series.wallTimes = this.wallTimes.subarray(0, this.n);
  }
}

const EMPTY = new Float64Array(0);

/** Receives decoded events for one run (across its files, in order); call `finish` at the end. */
export class RunAccumulator implements EventSink {
  /** file_version of the file being read: 'brain.Event:2' → 2; 0 until seen. */
  private version = 0;
  private readonly columns = new Map<string, ScalarColumns>();

  constructor(readonly run: RunData) {}

  /** Makes the scalar series readable (trimmed views of the columns). Reading may go on after. */
  finish(): void {
    for (const c of this.columns.values()) c.finish();
  }

  /** Call before each file: the version is a property of the file. */
  startFile(file: string): void {
    this.run.files.push(file);
    this.version = 0;
  }

  fileVersion(version: string): void {
    const m = /:(\d+)$/.exec(version);
    this.version = m ? Number(m[1]) : 0;
  }

  sessionStart(step: number): void {
    // With file_version ≥ 2, a restart at step s orphans everything written earlier at steps ≥ s.
    if (this.version < 2) return;
    const discarded = this.purge(step);
    if (discarded > 0) this.run.restarts.push({ step, discarded });
  }

  scalar(tag: string, step: number, wallTime: number, value: number): void {
    let c = this.columns.get(tag);
    if (!c) {
      const series = { steps: EMPTY, values: EMPTY, wallTimes: EMPTY };
      this.run.scalars.set(tag, series);
      c = new ScalarColumns(series);
      this.columns.set(tag, c);
    }
    c.push(step, value, wallTime);
    this.run.values++;
    if (wallTime > this.run.lastWallTime) this.run.lastWallTime = wallTime;
  }

  histogram(tag: string, step: number, wallTime: number, h: HistogramData): void {
    let s = this.run.histograms.get(tag);
    if (!s) {
      s = {
        steps: [],
        wallTimes: [],
        num: [],
        min: [],
        max: [],
        sum: [],
        sumSquares: [],
        exact: true,
        first: null,
        last: null,
      };
      this.run.histograms.set(tag, s);
    }
    s.steps.push(step);
    s.wallTimes.push(wallTime);
    s.num.push(h.num);
    s.min.push(h.min);
    s.max.push(h.max);
    s.sum.push(h.sum);
    s.sumSquares.push(h.sumSquares);
    if (!h.exact) s.exact = false;
    if (s.first === null) {
      s.first = new BucketCopy();
      s.first.copyFrom(h, step);
    } else {
      s.last ??= new BucketCopy();
      if (h instanceof HistogramScratch) s.last.takeFrom(h, step);
      else s.last.copyFrom(h, step);
    }
    this.seen(wallTime);
  }

  private seen(wallTime: number): void {
    this.run.values++;
    if (wallTime > this.run.lastWallTime) this.run.lastWallTime = wallTime;
  }

  private purge(from: number): number {
    let discarded = 0;
    for (const c of this.columns.values()) discarded += c.keepBefore(from);
    for (const s of this.run.histograms.values()) {
      const keep = keepIndices(s.steps, from);
      if (keep === null) continue;
      discarded += s.steps.length - keep.length;
      s.steps = pick(s.steps, keep);
      s.wallTimes = pick(s.wallTimes, keep);
      s.num = pick(s.num, keep);
      s.min = pick(s.min, keep);
      s.max = pick(s.max, keep);
      s.sum = pick(s.sum, keep);
      s.sumSquares = pick(s.sumSquares, keep);
      if (s.first && s.first.step >= from) s.first = null;
      if (s.last && s.last.step >= from) s.last = null;
      if (s.first === null && s.last !== null) {
        s.first = s.last;
        s.last = null;
      }
    }
    return discarded;
  }
}

/** Indices of steps below `from`, or null when none is purged. */
function keepIndices(steps: number[], from: number): number[] | null {
  let any = false;
  const keep: number[] = [];
  for (let i = 0; i < steps.length; i++) {
    if (steps[i] < from) keep.push(i);
    else any = true;
  }
  return any ? keep : null;
}

function pick(values: number[], keep: number[]): number[] {
  return keep.map((i) => values[i]);
}
