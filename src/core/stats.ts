// Small numeric helpers shared by probes and checks (plain arrays, no framework).

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : Number.NaN;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Mean of the first / last `fraction` of a series (at least one point each). */
export function headTailMeans(xs: readonly number[], fraction = 0.1): { head: number; tail: number } {
  const k = Math.max(1, Math.round(xs.length * fraction));
  return { head: mean(xs.slice(0, k)), tail: mean(xs.slice(-k)) };
}
