// What the live page shows, as one JSON snapshot: the status line, the findings raised so far and
// the report's plots drawn from the evidence so far (SVG strings).
import type { LiveFinding, Report } from '../../core/report.ts';
import { buildPlots, createDocument } from '../../render/html/plots/index.ts';

export interface PagePlot {
  id: string;
  title: string;
  caption: string;
  svg: string;
  /** What the plot cannot show by itself (a layer with no gradient at any step, drawn on the floor line). */
  notes: string[];
  /** Points of evidence behind the plot (training steps for the curves), for a person and for tests. */
  points: number;
}

export interface PageState {
  phase: 'watching' | 'finished';
  verdict: Report['verdict'];
  /** One line: the state of the run as judged so far. */
  headline: string;
  step: number | null;
  updated: string;
  findings: LiveFinding[];
  plots: PagePlot[];
  /** Checks that judged something so far, by status. */
  tally: Record<string, number>;
}

function pointsOf(report: Report, id: string): number {
  const t = report.evidence.training;
  if (!t) return 0;
  if (id === 'loss-curve') return t.loss.values.length + (t.valLoss?.values.length ?? 0);
  if (id === 'gradient-norms' || id === 'update-ratios') return t.weights[0]?.steps.length ?? 0;
  return 1;
}

/**
 * The primary cause behind the findings raised so far: the first raised in the diagnosis' ranking,
 * traced back along the causal links to its root (a raised update-ratio finding whose cause is a
 * diverging learning rate names the learning rate, as the report's diagnosis does), with its remedy.
 */
function primaryCause(report: Report, findings: LiveFinding[]): { id: string; remedy: string | null } | null {
  const raised = new Set(findings.filter((f) => f.status === 'fail' || f.status === 'warn').map((f) => f.id));
  const { primary, ranked } = report.diagnosis;
  let id: string | undefined = [primary, ...ranked].find(
    (c): c is NonNullable<typeof c> => c !== null && raised.has(c),
  );
  if (!id) return null;
  const seen = new Set<string>();
  for (let up = report.checks.find((c) => c.id === id)?.symptomOf; up && !seen.has(up.cause); ) {
    seen.add(up.cause);
    id = up.cause;
    up = report.checks.find((c) => c.id === up?.cause)?.symptomOf;
  }
  return { id, remedy: report.checks.find((c) => c.id === id)?.remedy ?? null };
}

function headline(report: Report, findings: LiveFinding[], phase: PageState['phase']): string {
  const fails = findings.filter((f) => f.status === 'fail');
  const warns = findings.filter((f) => f.status === 'warn');
  const lead = phase === 'finished' ? 'Finished' : 'Watching';
  const cause = primaryCause(report, findings);
  const because = cause
    ? ` — most likely cause: ${cause.id}${cause.remedy ? `. Do: ${cause.remedy}` : ''}`
    : '';
  if (fails.length) return `${lead}: ${fails.length} check${fails.length === 1 ? '' : 's'} failed${because}`;
  if (warns.length)
    return `${lead}: no check failed, ${warns.length} warning${warns.length === 1 ? '' : 's'}${because}`;
  if (!report.evidence.training) return `${lead}: waiting for the first training values`;
  return `${lead}: nothing found so far`;
}

export function pageState(report: Report, phase: PageState['phase']): PageState {
  const findings = report.watch?.findings ?? [];
  const dom = createDocument();
  let plots: PagePlot[];
  try {
    plots = buildPlots(report, dom.document).figures.map((f) => ({
      id: f.id,
      title: f.title,
      caption: f.caption,
      svg: f.panels.join('\n'),
      notes: f.notes,
      points: pointsOf(report, f.id),
    }));
  } finally {
    dom.close();
  }
  const tally: Record<string, number> = {};
  for (const c of report.checks) if (c.status !== 'skip') tally[c.status] = (tally[c.status] ?? 0) + 1;
  const steps = report.evidence.training?.loss.steps;
  return {
    phase,
    verdict: report.verdict,
    headline: headline(report, findings, phase),
    step: steps?.length ? steps[steps.length - 1] : null,
    updated: new Date().toISOString(),
    findings,
    plots,
    tally,
  };
}
