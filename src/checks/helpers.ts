// Helpers for the checks' wording and series: which loss curve to judge, numbers for sentences.
import type { Series, TrainingEvidence } from '../core/evidence.ts';

export function finiteValues(xs: readonly (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null && Number.isFinite(x));
}

/** The curve the optimizer drives down on the data: `dataLoss` when recorded, else the total loss. */
export function trainingCurve(training: TrainingEvidence): { series: Series; name: 'dataLoss' | 'loss' } {
  if (training.dataLoss && training.dataLoss.values.length > 0)
    return { series: training.dataLoss, name: 'dataLoss' };
  return { series: training.loss, name: 'loss' };
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
