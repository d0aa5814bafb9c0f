// Shared by the activation checks: a per-layer fraction (dead, saturated), worst over the start
// and end snapshots of the run (and, for a trained checkpoint, the checkpoint as given), and the
// worst layer overall.
import type { ActivationStats, TrainingEvidence } from '../../core/evidence.ts';

export type Snapshot = 'start' | 'end' | 'checkpoint';

export interface LayerWorst {
  layer: string;
  fraction: number;
  snapshot: Snapshot;
  stats: ActivationStats;
}

export type Snapshots = NonNullable<TrainingEvidence['activations']> & { checkpoint?: ActivationStats[] };

/** The fraction of a layer at a snapshot, when measured. */
export function fractionAt(
  snapshots: Snapshots,
  snapshot: Snapshot,
  layer: string,
  fraction: (stats: ActivationStats) => number,
): number | null {
  const stats = snapshots[snapshot]?.find((s) => s.layer === layer);
  return stats ? fraction(stats) : null;
}

export function worstByLayer(
  snapshots: Snapshots,
  include: (stats: ActivationStats, snapshot: Snapshot) => boolean,
  fraction: (stats: ActivationStats) => number,
): { layers: LayerWorst[]; top: LayerWorst } | null {
  const worst = new Map<string, LayerWorst>();
  for (const snapshot of ['start', 'end', 'checkpoint'] as const) {
    for (const stats of snapshots[snapshot] ?? []) {
      if (!include(stats, snapshot)) continue;
      const prev = worst.get(stats.layer);
      const f = fraction(stats);
      if (!prev || f > prev.fraction)
        worst.set(stats.layer, { layer: stats.layer, fraction: f, snapshot, stats });
    }
  }
  if (worst.size === 0) return null;
  const layers = [...worst.values()].sort((a, b) => a.stats.depth - b.stats.depth);
  return { layers, top: layers.reduce((a, b) => (b.fraction > a.fraction ? b : a)) };
}
