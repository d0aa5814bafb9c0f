// The one in-memory form of a histogram, whichever writer produced it. Bucket i holds count[i]
// values in (left[i], right[i]] (legacy HistogramProto: left[i] = bucket_limit[i-1], left[0] = min;
// TF2/tfjs [k,3] tensors: the (left, right, count) rows as written).

/** Buckets and moments of one histogram. `num`, `sum`, `sumSquares` are exact when the writer
 * stored them (legacy HistogramProto), else estimated from the buckets (tensor histograms). */
export interface HistogramData {
  k: number;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  count: ArrayLike<number>;
  num: number;
  min: number;
  max: number;
  sum: number;
  sumSquares: number;
  /** Moments come from the writer, not from bucket midpoints. */
  exact: boolean;
}

/** A reusable histogram the decoder fills in place (valid until the next decode). */
export class HistogramScratch implements HistogramData {
  k = 0;
  left = new Float64Array(64);
  right = new Float64Array(64);
  count = new Float64Array(64);
  num = 0;
  min = 0;
  max = 0;
  sum = 0;
  sumSquares = 0;
  exact = false;

  clear(): void {
    this.k = 0;
    this.num = 0;
    this.min = 0;
    this.max = 0;
    this.sum = 0;
    this.sumSquares = 0;
    this.exact = false;
  }

  /** Makes room for `k` buckets, keeping the first `keep`. */
  reserve(k: number, keep = 0): void {
    if (k <= this.left.length) return;
    let size = Math.max(64, this.left.length);
    while (size < k) size *= 2;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, keep));
      return b;
    };
    this.left = grow(this.left);
    this.right = grow(this.right);
    this.count = grow(this.count);
  }
}

/**
 * Fills num/min/max/sum/sumSquares from the buckets (tensor histograms carry no moments): values
 * are taken as uniform within their bucket, so Σx² gets the w²/12 (Sheppard) term. NaN/Inf edges
 * make the moments NaN/Inf, which is what the checks must see for a NaN-poisoned tensor.
 */
export function estimateMoments(h: HistogramScratch): void {
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let poisoned = false;
  for (let i = 0; i < h.k; i++) {
    const c = h.count[i];
    const l = h.left[i];
    const r = h.right[i];
    if (Number.isNaN(l) || Number.isNaN(r) || Number.isNaN(c)) poisoned = true;
    if (!(c > 0)) continue;
    num += c;
    const mid = (l + r) / 2;
    const w = r - l;
    sum += c * mid;
    sumSquares += c * (mid * mid + (w * w) / 12);
    if (l < min) min = l;
    if (r > max) max = r;
  }
  h.num = num;
  h.exact = false;
  if (poisoned) {
    h.sum = h.sumSquares = h.min = h.max = Number.NaN;
    return;
  }
  h.sum = sum;
  h.sumSquares = sumSquares;
  h.min = num > 0 ? min : 0;
  h.max = num > 0 ? max : 0;
}

/** Mean and population variance from the moments (variance clamped at 0 against rounding). */
export function meanVariance(h: { num: number; sum: number; sumSquares: number }): {
  mean: number;
  variance: number;
} {
  if (!(h.num > 0)) return { mean: Number.NaN, variance: Number.NaN };
  const mean = h.sum / h.num;
  const variance = h.sumSquares / h.num - mean * mean;
  return { mean, variance: Math.max(0, variance) };
}

/** A stored copy of one histogram's buckets (first/last per tag), reused across overwrites. */
export class BucketCopy {
  step = 0;
  k = 0;
  left = new Float64Array(0);
  right = new Float64Array(0);
  count = new Float64Array(0);
  num = 0;
  min = 0;
  max = 0;
  sum = 0;
  sumSquares = 0;
  exact = false;

  copyFrom(h: HistogramData, step: number): void {
    const k = h.k;
    if (this.left.length < k) {
      this.left = new Float64Array(k);
      this.right = new Float64Array(k);
      this.count = new Float64Array(k);
    }
    if (h instanceof HistogramScratch) {
      this.left.set(h.left.subarray(0, k));
      this.right.set(h.right.subarray(0, k));
      this.count.set(h.count.subarray(0, k));
    } else {
      for (let i = 0; i < k; i++) {
        this.left[i] = h.left[i];
        this.right[i] = h.right[i];
        this.count[i] = h.count[i];
      }
    }
    this.step = step;
    this.k = k;
    this.num = h.num;
    this.min = h.min;
    this.max = h.max;
    this.sum = h.sum;
    this.sumSquares = h.sumSquares;
    this.exact = h.exact;
  }

  /**
   * Takes the scratch's bucket arrays instead of copying them, handing its own to the scratch in
   * exchange (the decoder overwrites them on its next histogram).
   */
  takeFrom(h: HistogramScratch, step: number): void {
    const { left, right, count } = this;
    this.left = h.left;
    this.right = h.right;
    this.count = h.count;
    h.left = left.length >= 64 ? left : new Float64Array(64);
    h.right = right.length >= 64 ? right : new Float64Array(64);
    h.count = count.length >= 64 ? count : new Float64Array(64);
    if (h.left.length !== h.right.length || h.left.length !== h.count.length) {
      const size = Math.max(h.left.length, h.right.length, h.count.length);
      h.left = new Float64Array(size);
      h.right = new Float64Array(size);
      h.count = new Float64Array(size);
    }
    this.step = step;
    this.k = h.k;
    this.num = h.num;
    this.min = h.min;
    this.max = h.max;
    this.sum = h.sum;
    this.sumSquares = h.sumSquares;
    this.exact = h.exact;
  }

  /** A plain, trimmed copy (for evidence). */
  toData(): HistogramData & { step: number } {
    return {
      step: this.step,
      k: this.k,
      left: Array.from(this.left.subarray(0, this.k)),
      right: Array.from(this.right.subarray(0, this.k)),
      count: Array.from(this.count.subarray(0, this.k)),
      num: this.num,
      min: this.min,
      max: this.max,
      sum: this.sum,
      sumSquares: this.sumSquares,
      exact: this.exact,
    };
  }
}
