// Shared by the activation checks: a per-layer fraction (dead, saturated), worst over the start
// and end snapshots of the run, and the worst layer overall.
import type { ActivationStats, TrainingEvidence } from '../../core/evidence.ts';

export interface LayerWorst {
  layer: string;
  fraction: number;
  snapshot: 'start' | 'end';
  stats: ActivationStats;
}

export function worstByLayer(
  snapshots: NonNullable<TrainingEvidence['activations']>,
  include: (stats: ActivationStats, snapshot: 'start' | 'end') => boolean,
  fraction: (stats: ActivationStats) => number,
): { layers: LayerWorst[]; top: LayerWorst } | null {
  const worst = new Map<string, LayerWorst>();
  for (const snapshot of ['start', 'end'] as const) {
    for (const stats of snapshots[snapshot]) {
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
