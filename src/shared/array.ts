// Array helpers for arrays whose length comes from the user's files (a step per event, a warning
// per record, a record per class): `Math.max(...xs)` and `out.push(...xs)` pass every element as an
// argument and overflow the stack past about 100,000 of them; these loop.

/** The largest of `xs` (-Infinity when empty, like Math.max()); NaN when one is NaN. */
export function maxOf(xs: Iterable<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    if (Number.isNaN(x)) return Number.NaN;
    if (x > m) m = x;
  }
  return m;
}

/** The smallest of `xs` (Infinity when empty, like Math.min()); NaN when one is NaN. */
export function minOf(xs: Iterable<number>): number {
  let m = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    if (Number.isNaN(x)) return Number.NaN;
    if (x < m) m = x;
  }
  return m;
}

/** Appends every element of `items` to `out` (for any length); returns `out`. */
export function pushAll<T>(out: T[], items: Iterable<T>): T[] {
  for (const x of items) out.push(x);
  return out;
}
