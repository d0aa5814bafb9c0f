// Ids of the report's plots. A check names the plot that shows its evidence (Check.plot) and the
// thresholds of its own that the plot draws; the HTML renderer draws each plot from
// report.evidence, its lines from the checks' effective thresholds in the report, and anchors it
// by this id.
export const PLOT_IDS = [
  'loss-curve', // training.loss / dataLoss / regLoss (and valLoss) per step
  'overfit-curve', // overfit.loss per step
  'control-curve', // control.loss per step (and simplified user vs simple)
  'lr-sweep', // lrSweep.lrs vs losses, configured and suggested LR marked
  'gradient-norms', // training.weights[].gradNorm per step, one line per layer
  'update-ratios', // training.weights[].updateRatio per layer, 1e-4 and 1e-1 lines
  'weight-variance', // model.kernels variance (and expected) vs depth
  'activations', // training.activations dead/saturated fractions and std per layer
  'class-counts', // dataset.classCounts
  'remedy-curves', // remedies: held-out score per step with and without each fix tried
  'ranks', // distributed.ranks: loss per rank, replica spread of weight norms per step
] as const;
export type PlotId = (typeof PLOT_IDS)[number];

/** The threshold lines each plot can draw, by name (a plot without lines has none). */
export interface PlotLines {
  'loss-curve': never;
  /** The loss the 50-record run must fall to, as a fraction of its first loss. */
  'overfit-curve': 'targetLossRatio';
  'control-curve': never;
  'lr-sweep': never;
  'gradient-norms': never;
  /** Below: learning too slowly; above: too fast. */
  'update-ratios': 'tooSlowBelow' | 'tooFastAbove';
  'weight-variance': never;
  /** Dead units' fail and warn lines; saturated units' warn line. */
  activations: 'deadFail' | 'deadWarn' | 'saturatedWarn';
  'class-counts': never;
  'remedy-curves': never;
  /** The replica spread that fails. */
  ranks: 'replicaSpreadFail';
}
export type PlotLine = PlotLines[PlotId];

/**
 * A check's plot and the lines it draws at the check's thresholds (K: their names). Each of the
 * plot's lines a check declares is one of its thresholds, so a renamed threshold is a compile
 * error, not a line the plot silently draws at a copied default.
 */
export type PlotSpec<K extends string> = {
  [P in PlotId]: { id: P; lines: Partial<Record<PlotLines[P], K>> };
}[PlotId];
