// Ids of the report's plots. A check names the plot that shows its evidence (Check.plot);
// the HTML renderer draws each from report.evidence and anchors it by this id.
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
