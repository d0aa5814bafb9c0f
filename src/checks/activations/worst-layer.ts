// Shared by the activation checks: a per-layer fraction (dead, saturated), worst over the start
// and end snapshots of the run (and, for a trained checkpoint, the checkpoint as given), and the
// worst layer overall.
import type { ActivationStats, ModelEvidence, TrainingEvidence } from '../../core/evidence.ts';

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

/**
 * Layers that do not train: a layer with weights frozen (`trainable: false`), and a layer without
 * weights (an Activation, a pooling layer) whose nearest weighted layer before it is frozen. What
 * is measured on them is a property of the frozen (usually pretrained) part the user keeps, not
 * something training can change: a note, not a finding (issue 20, class 6).
 */
export function frozenLayers(model: ModelEvidence | undefined): Set<string> {
  const frozen = new Set<string>();
  if (!model) return frozen;
  let previousFrozen = false;
  for (const layer of [...model.layers].sort((a, b) => a.depth - b.depth)) {
    if (layer.params > 0) previousFrozen = !layer.trainable;
    if (!layer.trainable || (layer.params === 0 && previousFrozen)) frozen.add(layer.name);
  }
  return frozen;
}

/** The worst frozen layer, for the note (null when no frozen layer of the kind was measured). */
/** The worst frozen layer, kept as a note beside a verdict on the layers that train. */
export type FrozenNote = { frozenLayer?: string; frozenFraction?: number; frozenLayers?: string };

export function frozenNote(
  snapshots: Snapshots,
  frozen: Set<string>,
  include: (stats: ActivationStats) => boolean,
  fraction: (stats: ActivationStats) => number,
): { frozenLayer: string; frozenFraction: number; frozenLayers: string } | null {
  if (frozen.size === 0) return null;
  const found = worstByLayer(snapshots, (s) => frozen.has(s.layer) && include(s), fraction);
  if (!found) return null;
  return {
    frozenLayer: found.top.layer,
    frozenFraction: found.top.fraction,
    frozenLayers: found.layers.map((l) => l.layer).join(','),
  };
}
