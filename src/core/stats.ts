// Small numeric helpers shared by probes and checks (plain arrays, no framework).

export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  return sum / xs.length;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Number of points in a window covering `fraction` of a series (at least one). */
export function windowSize(length: number, fraction: number): number {
  return Math.max(1, Math.floor(length * fraction));
}

/** Means of the first and last `fraction` of a series (at least one point each). */
export function edgeMeans(values: readonly number[], fraction: number): { first: number; last: number } {
  const w = windowSize(values.length, fraction);
  return { first: mean(values.slice(0, w)), last: mean(values.slice(values.length - w)) };
}
