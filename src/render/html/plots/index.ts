// The report's plots, drawn from report.evidence with Observable Plot into static SVG at render
// time (a linkedom document stands in for the browser's). Each plot exists only when its evidence
// does, and carries the id (core/plots.ts) that a check links to.
import type { PlotId } from '../../../core/plots.ts';
import type { Report } from '../../../core/report.ts';
import { activations } from './activations.ts';
import { classCounts } from './class-counts.ts';
import { controlCurve } from './control-curve.ts';
import { gradientNorms } from './gradient-norms.ts';
import { lossCurve } from './loss-curve.ts';
import { lrSweep } from './lr-sweep.ts';
import { overfitCurve } from './overfit-curve.ts';
import { ranks } from './ranks.ts';
import { remedyCurves } from './remedy-curves.ts';
import type { Builder, PlotFigure } from './shared.ts';
import { updateRatios } from './update-ratios.ts';
import { weightVariance } from './weight-variance.ts';

export { createDocument, type PlotFigure } from './shared.ts';

const BUILDERS: [PlotId, Builder][] = [
  ['loss-curve', lossCurve],
  ['overfit-curve', overfitCurve],
  ['control-curve', controlCurve],
  ['lr-sweep', lrSweep],
  ['gradient-norms', gradientNorms],
  ['update-ratios', updateRatios],
  ['weight-variance', weightVariance],
  ['activations', activations],
  ['class-counts', classCounts],
  ['remedy-curves', remedyCurves],
  ['ranks', ranks],
];

/** Every plot the report's evidence supports, in report order. A plot that fails to draw is left out, with a note. */
export function buildPlots(
  report: Report,
  document: Document,
): { figures: PlotFigure[]; failures: string[] } {
  const figures: PlotFigure[] = [];
  const failures: string[] = [];
  for (const [id, build] of BUILDERS) {
    try {
      const figure = build(report, document);
      if (figure) figures.push(figure);
    } catch (err) {
      failures.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { figures, failures };
}
