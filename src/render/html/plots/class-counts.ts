// Plot `class-counts`: records per class, and held-out recall with and without rebalancing.
import * as Plot from '@observablehq/plot';
import { fmtNumber } from '../../../shared/format.ts';
import { type Builder, C, finite, isNum, renderPanel } from './shared.ts';

export const classCounts: Builder = (report, document) => {
  const counts = report.evidence.dataset?.classCounts;
  if (!Array.isArray(counts) || counts.length === 0) return null;
  const rows = counts.map((n, i) => ({ cls: String(i), count: finite(n) }));
  const many = rows.length > 24;
  const missing = rows.filter((r) => r.count === 0);
  const panels: string[] = [];
  panels.push(
    renderPanel(
      document,
      {
        x: {
          label: 'class →',
          domain: rows.map((r) => r.cls),
          padding: 0.15,
          ticks: many
            ? rows.filter((_, i) => i % Math.ceil(rows.length / 20) === 0).map((r) => r.cls)
            : undefined,
        },
        y: { label: '↑ records', grid: true, zero: true },
        marks: [
          Plot.barY(rows, {
            x: 'cls',
            y: 'count',
            fill: C.data,
            title: (d: { cls: string; count: number }) => `class ${d.cls}: ${d.count} records`,
          }),
          many
            ? null
            : Plot.text(rows, {
                x: 'cls',
                y: 'count',
                text: (d: { count: number }) => fmtNumber(d.count),
                dy: -7,
                fill: C.total,
              }),
          Plot.text(missing, {
            x: 'cls',
            y: 0,
            text: () => 'missing',
            dy: -20,
            rotate: -90,
            textAnchor: 'start',
            fill: C.bad,
            fontWeight: 700,
          }),
          Plot.ruleY([0]),
        ],
      },
      'Records per class',
    ),
  );
  const r = report.evidence.rebalancing;
  if (r?.plain && Array.isArray(r.plain.recall)) {
    const strategies: [string, { recall: number[] } | undefined][] = [
      ['plain', r.plain],
      ['class weights', r.weighted],
      ['oversampling', r.oversampled],
    ];
    const recall = strategies.flatMap(([name, s]) =>
      (s?.recall ?? []).map((v, i) => ({ cls: String(i), recall: finite(v), strategy: name })),
    );
    const strategyDomain = strategies.map(([n]) => n);
    if (recall.some((x) => isNum(x.recall)) && !many) {
      panels.push(
        renderPanel(
          document,
          {
            fx: { label: 'class →', domain: rows.map((x) => x.cls), padding: 0.1 },
            x: { axis: null, domain: strategyDomain, padding: 0.05 },
            y: { label: '↑ held-out recall (%)', domain: [0, 100], grid: true },
            color: { domain: strategyDomain, range: [C.muted, C.data, C.reg], legend: true },
            marks: [
              Plot.barY(recall, {
                fx: 'cls',
                x: 'strategy',
                y: (d: { recall: number }) => d.recall * 100,
                fill: 'strategy',
                title: (d: { cls: string; strategy: string; recall: number }) =>
                  `class ${d.cls}, ${d.strategy}: ${fmtNumber(d.recall * 100)}% recall`,
              }),
              Plot.ruleY([0]),
            ],
          },
          'Held-out recall per class with and without rebalancing',
        ),
      );
    }
  }
  const finiteCounts = counts.filter(isNum);
  const lo = Math.min(...finiteCounts);
  const hi = Math.max(...finiteCounts);
  const ratio =
    lo > 0
      ? `largest/smallest = ${fmtNumber(hi / lo)}`
      : `${missing.length} class${missing.length === 1 ? '' : 'es'} without records`;
  return {
    id: 'class-counts',
    title: 'Records per class',
    caption: `Training records per class (${ratio}). Healthy: no class is missing and the largest is within about 3× the smallest.${panels.length > 1 ? ' Right: recall of each class on held-out records after plain training, with class weights and with oversampling.' : ''}`,
    panels,
    notes: [],
  };
};
