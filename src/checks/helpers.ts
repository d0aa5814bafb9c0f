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

// Numbers for sentences: the project's one formatter (re-exported: the checks import it from here).
export { fmt, pct } from '../shared/format.ts';

/** `value` when finite, else null (measured values must serialize to JSON). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
