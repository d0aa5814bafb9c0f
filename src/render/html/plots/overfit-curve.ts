// Plot `overfit-curve`: loss while overfitting a few records, against the target ratio.
import * as Plot from '@observablehq/plot';
import { fmtNumber } from '../../../shared/format.ts';
import {
  type Builder,
  C,
  finite,
  isNum,
  lineLabel,
  logScale,
  lossLabel,
  plotLine,
  positive,
  renderPanel,
  seriesPoints,
  wantsLog,
} from './shared.ts';

export const overfitCurve: Builder = (report, document) => {
  const o = report.evidence.overfit;
  if (!o?.loss) return null;
  const points = seriesPoints(o.loss, 'loss', finite);
  if (!points.some((p) => isNum(p.value))) return null;
  const log = wantsLog(
    points.map((p) => p.value),
    10,
  );
  const ratio = plotLine(report, 'inputs/overfit-small', 'overfit-curve', 'targetLossRatio');
  const marks: Plot.Markish[] = [
    Plot.lineY(log ? points.map((p) => ({ ...p, value: positive(p.value) })) : points, {
      x: 'step',
      y: 'value',
      stroke: C.data,
      strokeWidth: 1.8,
    }),
  ];
  if (isNum(o.initialLoss) && o.initialLoss > 0) {
    marks.push(
      Plot.ruleY([o.initialLoss], { stroke: C.muted, strokeDasharray: '2,3' }),
      lineLabel(o.initialLoss, `initial ${fmtNumber(o.initialLoss)}`, C.muted, 12),
    );
    if (ratio !== null) {
      const target = o.initialLoss * ratio;
      marks.push(
        Plot.ruleY([target], { stroke: C.ok, strokeDasharray: '6,3' }),
        lineLabel(target, `target: ${fmtNumber(ratio * 100)}% of initial = ${fmtNumber(target)}`, C.ok),
      );
    }
  }
  const svg = renderPanel(
    document,
    {
      x: { label: 'training step →' },
      y: log
        ? logScale(
            [...points.map((p) => p.value), o.initialLoss, o.initialLoss * (ratio ?? 1)],
            `↑ ${lossLabel(report)} (log scale)`,
          )
        : { label: `↑ ${lossLabel(report)}`, grid: true },
      marks,
    },
    `Loss while overfitting ${o.records} records`,
  );
  const acc = isNum(o.finalAccuracy) ? `; final train accuracy ${fmtNumber(o.finalAccuracy * 100)}%` : '';
  const removed =
    Array.isArray(o.removed) && o.removed.length
      ? ` Switched off for this run: ${o.removed.join(', ')}.`
      : '';
  return {
    id: 'overfit-curve',
    title: `Overfitting ${o.records} records`,
    caption: `Loss while training on only ${o.records} records with regularization off (final loss ${fmtNumber(o.finalLoss)}${acc}). Healthy: the curve drops below the target line; a model that cannot memorize a handful of records has a bug.${removed}`,
    panels: [svg],
    notes: [],
  };
};
