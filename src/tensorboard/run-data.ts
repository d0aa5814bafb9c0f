// The normalized in-memory form of one run: per tag, a scalar series or a histogram series (moments
// per step, plus the buckets of the first and last histogram). Histograms are reduced as they are
// read, so memory grows with the number of steps logged, not with the size of the files.

import type { EventSink } from './event.ts';
import { BucketCopy, type HistogramData, HistogramScratch } from './histogram.ts';

export interface ScalarSeries {
  steps: number[];
  values: number[];
  wallTimes: number[];
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

/** Receives decoded events for one run (across its files, in order). */
export class RunAccumulator implements EventSink {
  /** file_version of the file being read: 'brain.Event:2' → 2; 0 until seen. */
  private version = 0;

  constructor(readonly run: RunData) {}

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
    let s = this.run.scalars.get(tag);
    if (!s) {
      s = { steps: [], values: [], wallTimes: [] };
      this.run.scalars.set(tag, s);
    }
    s.steps.push(step);
    s.values.push(value);
    s.wallTimes.push(wallTime);
    this.seen(wallTime);
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
    for (const s of this.run.scalars.values()) {
      const keep = keepIndices(s.steps, from);
      if (keep === null) continue;
      discarded += s.steps.length - keep.length;
      s.steps = pick(s.steps, keep);
      s.values = pick(s.values, keep);
      s.wallTimes = pick(s.wallTimes, keep);
    }
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
