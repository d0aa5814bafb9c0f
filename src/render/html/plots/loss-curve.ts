// Plot `loss-curve`: total, data, regularization (and validation) loss per training step.
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
  markerLabel,
  type Point,
  positive,
  renderPanel,
  seriesPoints,
  wantsLog,
} from './shared.ts';

export const lossCurve: Builder = (report, document) => {
  const t = report.evidence.training;
  if (!t?.loss) return null;
  const parts: Point[] = [
    ...seriesPoints(t.loss, 'total loss', finite),
    ...seriesPoints(t.dataLoss, 'data loss', finite),
    ...seriesPoints(t.regLoss, 'regularization loss', finite),
  ];
  const val = seriesPoints(t.valLoss, 'validation loss', finite);
  const all = [...parts, ...val];
  if (!all.some((p) => isNum(p.value))) return null;
  const notes: string[] = [];
  const regValues = t.regLoss?.values ?? [];
  const regAllZero = regValues.length > 0 && regValues.every((v) => v === 0);
  // Without a regularization loss, total and data loss are the same line: draw it once.
  const dataValues: unknown[] = Array.isArray(t.dataLoss?.values) ? t.dataLoss.values : [];
  const totalValues: unknown[] = Array.isArray(t.loss.values) ? t.loss.values : [];
  const totalIsData =
    dataValues.length === totalValues.length &&
    dataValues.every((v, i) => {
      const w = totalValues[i];
      return !isNum(v) || !isNum(w) || Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(v));
    });
  const lines = parts.filter(
    (p) => !(regAllZero && p.series === 'regularization loss') && !(totalIsData && p.series === 'total loss'),
  );
  if (regAllZero)
    notes.push(
      'The regularization loss is 0 at every step (the model has no regularizers), so total loss = data loss.',
    );
  const shown = [...lines, ...val];
  const classes = report.evidence.task?.kind === 'classification' ? report.evidence.task.classes : null;
  const expectedInitial = isNum(classes) && classes > 1 ? Math.log(classes) : Number.NaN;
  const log = wantsLog(shown.map((p) => p.value));
  const plotted = log ? lines.map((p) => ({ ...p, value: positive(p.value) })) : lines;
  const domain = ['total loss', 'data loss', 'regularization loss', 'validation loss'].filter((name) =>
    shown.some((p) => p.series === name && isNum(p.value)),
  );
  const colors: Record<string, string> = {
    'total loss': C.total,
    'data loss': C.data,
    'regularization loss': C.reg,
    'validation loss': C.val,
  };
  const marks: Plot.Markish[] = [
    Plot.lineY(plotted, { x: 'step', y: 'value', stroke: 'series', strokeWidth: 1.8 }),
    Plot.lineY(val, { x: 'step', y: 'value', stroke: 'series', strokeWidth: 1.8, strokeDasharray: '5,3' }),
    Plot.dot(val, { x: 'step', y: 'value', stroke: 'series', fill: 'white', r: 2.5 }),
  ];
  if (isNum(classes) && classes > 1) {
    marks.push(
      Plot.ruleY([expectedInitial], { stroke: C.muted, strokeDasharray: '2,3' }),
      lineLabel(
        expectedInitial,
        `expected initial loss ln(${classes}) = ${fmtNumber(expectedInitial)}`,
        C.muted,
      ),
    );
  }
  if (isNum(t.initialLoss) && (!log || t.initialLoss > 0)) {
    marks.push(
      Plot.dot([{ step: 0, value: t.initialLoss, label: `initial loss ${fmtNumber(t.initialLoss)}` }], {
        x: 'step',
        y: 'value',
        symbol: 'diamond',
        r: 5,
        fill: C.total,
        title: 'label',
      }),
    );
  }
  if (isNum(t.nonFiniteStep)) {
    marks.push(
      Plot.ruleX([t.nonFiniteStep], { stroke: C.bad, strokeWidth: 1.5 }),
      markerLabel(t.nonFiniteStep, `loss NaN/Inf from step ${t.nonFiniteStep}`, C.bad, 'end'),
    );
    notes.push(`The loss became NaN or infinite at step ${t.nonFiniteStep}; the lines stop there.`);
  }
  const svg = renderPanel(
    document,
    {
      x: { label: 'training step →', nice: true },
      y: log
        ? logScale(
            [...shown.map((p) => p.value), t.initialLoss, expectedInitial],
            `↑ ${lossLabel(report)} (log scale)`,
          )
        : { label: `↑ ${lossLabel(report)}`, grid: true, nice: true },
      color: { domain, range: domain.map((d) => colors[d]), legend: true },
      marks,
    },
    'Loss per training step',
  );
  // Logs are the user's own run; a checkup's curve is its short instrumented run.
  const logged = report.evidence.source === 'tensorboard';
  return {
    id: 'loss-curve',
    title: logged ? 'Loss of the logged run' : 'Loss of the instrumented run',
    caption: `${logged ? 'Loss per logged step of your run' : 'Total, data and regularization loss per step of the short training run on your setup'} (validation loss when a validation set exists). Healthy: the data loss falls steadily from about the expected initial loss, and the regularization loss stays well below it.`,
    panels: [svg],
    notes,
  };
};
