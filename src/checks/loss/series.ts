// Small numeric helpers shared by the loss, activations and other checks: window means over
// per-step series, medians, loss-name normalization and number formatting for the wording.
import type { Series, TrainingEvidence } from '../../core/evidence.ts';

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function finiteValues(xs: readonly (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null && Number.isFinite(x));
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

/** The curve the optimizer drives down on the data: `dataLoss` when recorded, else the total loss. */
export function trainingCurve(training: TrainingEvidence): { series: Series; name: 'dataLoss' | 'loss' } {
  if (training.dataLoss && training.dataLoss.values.length > 0)
    return { series: training.dataLoss, name: 'dataLoss' };
  return { series: training.loss, name: 'loss' };
}

const LOSS_ALIASES: Record<string, string> = {
  mse: 'mean_squared_error',
  mae: 'mean_absolute_error',
  mape: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error',
  bce: 'binary_crossentropy',
  binary_cross_entropy: 'binary_crossentropy',
  categorical_cross_entropy: 'categorical_crossentropy',
  sparse_categorical_cross_entropy: 'sparse_categorical_crossentropy',
  softmax_cross_entropy: 'categorical_crossentropy',
  sigmoid_cross_entropy: 'binary_crossentropy',
};

/** Loss name in snake_case with common aliases resolved (`meanSquaredError`, `mse` → `mean_squared_error`). */
export function normalizeLoss(name: string): string {
  const snake = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
  return LOSS_ALIASES[snake] ?? snake;
}

/** Activation name lowercased without separators (`hard_sigmoid` → `hardsigmoid`). */
export function normalizeActivation(name: string | null | undefined): string {
  return (name ?? 'linear').toLowerCase().replace(/[\s_-]+/g, '');
}

/** A number for a sentence: 3 significant digits, exponent form when very small or large. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return 'n/a';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return Number(x.toPrecision(digits)).toExponential();
  return String(Number(x.toPrecision(digits)));
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** `value` when finite, else null (measured values must serialize to JSON). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
