// Plot `control-curve`: loss on the control corpus, and your model against a simple one.
import * as Plot from '@observablehq/plot';
import { fmtNumber } from '../../../shared/format.ts';
import { type Builder, C, finite, isNum, lineLabel, lossLabel, renderPanel, seriesPoints } from './shared.ts';

export const controlCurve: Builder = (report, document) => {
  const c = report.evidence.control;
  const s = report.evidence.simplified;
  const panels: string[] = [];
  const captions: string[] = [];
  if (c?.loss) {
    const points = seriesPoints(c.loss, 'loss', finite);
    if (points.some((p) => isNum(p.value))) {
      const marks: Plot.Markish[] = [
        Plot.lineY(points, { x: 'step', y: 'value', stroke: C.data, strokeWidth: 1.8 }),
      ];
      if (isNum(c.chanceLoss)) {
        marks.push(
          Plot.ruleY([c.chanceLoss], { stroke: C.bad, strokeDasharray: '4,3' }),
          lineLabel(c.chanceLoss, `chance (constant predictor) ${fmtNumber(c.chanceLoss)}`, C.bad),
        );
      }
      panels.push(
        renderPanel(
          document,
          {
            x: { label: 'training step →' },
            y: {
              label: `↑ ${lossLabel(report)} on the ${c.corpus === 'mnist' ? 'MNIST' : 'synthetic'} control`,
              grid: true,
              zero: true,
            },
            marks,
          },
          'Loss on the control corpus',
        ),
      );
      const acc = isNum(c.finalAccuracy)
        ? ` Held-out accuracy ${fmtNumber(c.finalAccuracy * 100)}% (chance ${fmtNumber((c.chanceAccuracy ?? 0) * 100)}%).`
        : '';
      captions.push(
        `${s?.userLoss && s.simpleLoss ? 'Left: the' : 'The'} same architecture and training code on a known-learnable ${c.corpus === 'mnist' ? 'MNIST' : 'synthetic'} corpus; healthy when the loss falls well under chance.${acc}`,
      );
    }
  }
  if (s?.userLoss && s.simpleLoss) {
    const points = [
      ...seriesPoints(s.userLoss, 'your model', finite),
      ...seriesPoints(s.simpleLoss, 'simple model (dense 64 relu)', finite),
    ];
    if (points.some((p) => isNum(p.value))) {
      panels.push(
        renderPanel(
          document,
          {
            x: { label: 'training step →' },
            y: { label: `↑ ${lossLabel(report)} on your data`, grid: true, zero: true },
            color: {
              domain: ['your model', 'simple model (dense 64 relu)'],
              range: [C.data, C.reg],
              legend: true,
            },
            marks: [Plot.lineY(points, { x: 'step', y: 'value', stroke: 'series', strokeWidth: 1.8 })],
          },
          'Your model against a simple model',
        ),
      );
      captions.push(
        `${panels.length > 1 ? 'Right' : 'Here'}: your model against a deliberately simple one on your data and the same budget; a simple model that learns far better points at the architecture.`,
      );
    }
  }
  if (panels.length === 0) return null;
  return {
    id: 'control-curve',
    title:
      c && panels.length > 1
        ? 'Control corpus and a simple model'
        : c
          ? 'Control corpus'
          : 'Your model against a simple model',
    caption: captions.join(' '),
    panels,
    notes: [],
  };
};
