// The HTML report: one self-contained file (inline CSS, inline static SVG plots, no scripts, no
// network requests) that reads only the versioned Report. It leads with the verdict and the primary
// diagnosis, then the checklist by section (failing checks expanded), the evidence plots, and
// the subject, settings and timings at the end. Reads the view model (src/render/view-model.ts:
// control characters already made visible); every string taken from the report is escaped here.
import type { EvidenceKey } from '../../core/evidence.ts';
import type { PlotId } from '../../core/plots.ts';
import type { CheckResult, Report } from '../../core/report.ts';
import { maxOf } from '../../shared/array.ts';
import { fmtDuration, fmtNumber, pct } from '../../shared/format.ts';
import { STATUS_ICON, STATUS_LABEL, VERDICT_ICON, VERDICT_LABEL } from '../format.ts';
import { type CheckView, type ReportView, type Status, tallyText, viewModel } from '../view-model.ts';
import { esc, slug } from './escape.ts';
import { buildPlots, createDocument, type PlotFigure } from './plots/index.ts';
import { STYLES } from './styles.ts';

/** Content-Security-Policy of the page: nothing may load or run; inline styles only. */
export const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Anchor of a check in the page (`inputs/class-balance` → `check-inputs-class-balance`). */
export const checkAnchor = (id: string): string => `check-${slug(id)}`;
/** Anchor of a plot in the page: the plot id itself (`report.html#loss-curve`). */
export const plotAnchor = (id: string): string => slug(id);

const OPEN: ReadonlySet<Status> = new Set<Status>(['fail', 'warn', 'error']);

function badge(status: Status, extraClass = ''): string {
  const s = STATUS_LABEL[status] ? status : 'error';
  return `<span class="badge s-${s}${extraClass ? ` ${extraClass}` : ''}"><span class="glyph" aria-hidden="true">${STATUS_ICON[s]}</span>${STATUS_LABEL[s]}</span>`;
}

/** The overall verdict's badge; an unknown verdict (a hand-edited report) reads as inconclusive. */
function verdictBadge(verdict: Report['verdict']): string {
  const v = VERDICT_LABEL[verdict] ? verdict : 'inconclusive';
  return `<span class="badge s-${v} verdict-badge"><span class="glyph" aria-hidden="true">${VERDICT_ICON[v]}</span>${VERDICT_LABEL[v]}</span>`;
}

function tally(view: ReportView): string {
  const items = view.tally.map(
    (t) =>
      `<li><span class="badge s-${t.status}"><span class="glyph" aria-hidden="true">${STATUS_ICON[t.status]}</span>${t.text}</span></li>`,
  );
  return `<ul class="tally" aria-label="Checks by status">${items.join('')}</ul>`;
}

function headline(view: ReportView): string {
  const fails = view.counts.fail;
  const warns = view.counts.warn;
  if (view.verdict === 'fail') {
    return `${fails} check${fails === 1 ? '' : 's'} failed: this network is unlikely to learn as set up`;
  }
  if (view.verdict === 'warn') {
    return `No check failed, but ${warns} warning${warns === 1 ? '' : 's'} deserve${warns === 1 ? 's' : ''} a look`;
  }
  if (view.verdict === 'inconclusive' || view.checks.length === 0)
    return 'Inconclusive: nothing could be judged, so this is not a pass';
  return 'Healthy: nothing found that keeps this network from learning';
}

function checkLink(c: CheckResult): string {
  return `<a href="#${checkAnchor(c.id)}">${esc(c.title)}</a>`;
}

function plotLink(c: CheckResult, drawn: Map<string, PlotFigure>, cls = 'plot-link'): string {
  if (!c.plot) return '';
  const fig = drawn.get(c.plot);
  if (!fig) return `<p class="${cls} none">No plot: the evidence it draws was not gathered.</p>`;
  return `<p><a class="${cls}" href="#${plotAnchor(fig.id)}">See the plot: ${esc(fig.title)} ↓</a></p>`;
}

function hero(view: ReportView, drawn: Map<string, PlotFigure>): string {
  const report = view.report;
  const primary = view.primary;
  const verdict = view.verdict;
  let cause: string;
  if (primary) {
    const c = primary.check;
    const label = primary.status === 'fail' ? 'Most likely cause' : 'Strongest warning';
    const todo = c.remedy
      ? `<div class="todo"><p class="eyebrow">What to do</p><p>${esc(c.remedy)}</p></div>`
      : '';
    const plot = c.plot && drawn.has(c.plot) ? plotLink(c, drawn) : '';
    cause = `<div class="cause"><p class="eyebrow">${label}</p>
<p class="title"><a href="#${checkAnchor(c.id)}">${esc(c.title)}</a> ${badge(primary.status)}</p>
<p>${esc(report.diagnosis.summary)}</p>${todo}${plot}</div>`;
  } else {
    cause = `<div class="cause"><p class="eyebrow">Diagnosis</p><p>${esc(report.diagnosis.summary)}</p></div>`;
  }
  const ranked = new Set(view.alsoFlagged.map((c) => c.id));
  const listed = [...view.alsoFlagged, ...view.errors.filter((c) => !ranked.has(c.id))];
  const shown = listed.slice(0, 7);
  const also = listed.length
    ? `<div class="also"><p class="eyebrow">${primary ? 'Also flagged, most likely first' : 'Could not run'}</p><ol>${shown
        .map((c) => `<li>${badge(c.status)}${checkLink(c.check)}</li>`)
        .join(
          '',
        )}</ol>${listed.length > shown.length ? `<p class="more">and ${listed.length - shown.length} more below</p>` : ''}</div>`
    : '';
  const warnings = report.warnings?.length
    ? `<div class="notice" role="note"><b>${report.warnings.length} note${report.warnings.length === 1 ? '' : 's'} from gathering the evidence</b><ul>${report.warnings
        .map((w) => `<li>${esc(w)}</li>`)
        .join('')}</ul></div>`
    : '';
  return `<section class="hero v-${verdict}" aria-labelledby="verdict">
<div class="verdict-line">${verdictBadge(verdict)}<h1 id="verdict">${esc(headline(view))}</h1></div>
${tally(view)}
<div class="diagnosis${also ? '' : ' single'}">${cause}${also}</div>
${vitals(report, drawn)}
${warnings}
</section>`;
}

const finiteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function firstLast(values: unknown): [number, number] | null {
  if (!Array.isArray(values)) return null;
  const ok = values.filter(finiteNum);
  return ok.length ? [ok[0], ok[ok.length - 1]] : null;
}

const pctOf = (x: number): string => pct(x, 'table');

/** Headline numbers from the evidence, each linking to the plot that shows it (no verdicts: the checks judge). */
function vitals(report: Report, drawn: Map<string, PlotFigure>): string {
  const e = report.evidence ?? { source: 'replay' };
  const tiles: { label: string; value: string; sub: string; plot?: string }[] = [];
  const t = e.training;
  if (t) {
    const fl = firstLast(t.loss?.values);
    const lr = finiteNum(t.learningRate) ? ` at LR ${fmtNumber(t.learningRate)}` : '';
    const steps = Array.isArray(t.loss?.steps) ? t.loss.steps.length : 0;
    if (finiteNum(t.nonFiniteStep)) {
      tiles.push({
        label: 'Training loss',
        value: `NaN at step ${t.nonFiniteStep}`,
        sub: `${t.optimizer ?? 'optimizer'}${lr}`,
        plot: 'loss-curve',
      });
    } else if (fl) {
      tiles.push({
        label: 'Training loss',
        value: `${fmtNumber(fl[0])} → ${fmtNumber(fl[1])}`,
        sub: `${steps} steps, ${t.optimizer ?? 'optimizer'}${lr}`,
        plot: 'loss-curve',
      });
    }
  }
  const o = e.overfit;
  if (o) {
    const value = finiteNum(o.finalAccuracy)
      ? `${pctOf(o.finalAccuracy)} train acc.`
      : `loss ${fmtNumber(o.finalLoss)}`;
    tiles.push({
      label: `Overfit ${o.records} records`,
      value,
      sub: `loss ${fmtNumber(o.initialLoss)} → ${fmtNumber(o.finalLoss)} in ${o.steps} steps`,
      plot: 'overfit-curve',
    });
  }
  const c = e.control;
  if (c) {
    const value = finiteNum(c.finalAccuracy)
      ? `${pctOf(c.finalAccuracy)} held-out`
      : `loss ${fmtNumber(c.finalLoss)}`;
    const chance = finiteNum(c.chanceAccuracy)
      ? `chance ${pctOf(c.chanceAccuracy)}`
      : `chance loss ${fmtNumber(c.chanceLoss)}`;
    tiles.push({
      label: `Control corpus (${c.corpus === 'mnist' ? 'MNIST' : 'synthetic'})`,
      value,
      sub: chance,
      plot: 'control-curve',
    });
  }
  const l = e.lrSweep;
  if (l && (finiteNum(l.suggestedLr) || finiteNum(l.configuredLr))) {
    tiles.push({
      label: 'Learning rate',
      value: `${fmtNumber(l.configuredLr)} → ${fmtNumber(l.suggestedLr)}`,
      sub: 'configured → suggested by the range test',
      plot: 'lr-sweep',
    });
  }
  const g = firstLast(t?.gradNorm?.values);
  if (g)
    tiles.push({
      label: 'Gradient norm',
      value: `${fmtNumber(g[0])} → ${fmtNumber(g[1])}`,
      sub: 'global L2 norm, first → last step',
      plot: 'gradient-norms',
    });
  const d = e.dataset;
  if (d) {
    const classes = Array.isArray(d.classCounts) ? `, ${d.classCounts.length} classes` : '';
    tiles.push({
      label: 'Inputs: mean / std',
      value: `${fmtNumber(d.mean)} / ${fmtNumber(d.std)}`,
      sub: `${fmtNumber(d.records)} records, values in [${fmtNumber(d.min)}, ${fmtNumber(d.max)}]${classes}`,
      plot: 'class-counts',
    });
  }
  if (tiles.length === 0) return '';
  const items = tiles.map((tile) => {
    const inner = `<span class="v-label">${esc(tile.label)}</span><span class="v-value">${esc(tile.value)}</span><span class="v-sub">${esc(tile.sub)}</span>`;
    return tile.plot && drawn.has(tile.plot)
      ? `<li><a href="#${plotAnchor(tile.plot)}">${inner}</a></li>`
      : `<li><div>${inner}</div></li>`;
  });
  return `<div class="vitals"><p class="eyebrow">Vital signs</p><ul>${items.join('')}</ul></div>`;
}

function toc(view: ReportView, figures: PlotFigure[]): string {
  const links = view.sections.map(({ key, title, counts }) => {
    const f = counts.fail;
    const w = counts.warn;
    const ok = counts.pass;
    const marks = [
      f ? `<span class="n fail">${f} ✕</span>` : '',
      w ? `<span class="n warn">${w} !</span>` : '',
      !f && !w && ok ? `<span class="n ok">${ok} ✓</span>` : '',
    ].join('');
    return `<li><a href="#section-${slug(key)}">${esc(title)}${marks}</a></li>`;
  });
  if (figures.length)
    links.push(`<li><a href="#plots">Plots <span class="n">${figures.length}</span></a></li>`);
  links.push('<li><a href="#subject">Model, data &amp; run</a></li>');
  return `<nav aria-label="Contents"><ul class="toc">${links.join('')}</ul></nav>`;
}

function kvTable(caption: string, rows: [string, string][]): string {
  if (rows.length === 0) return '';
  return `<div class="kv-block"><p class="kv-caption">${esc(caption)}</p><table class="kv"><tbody>${rows
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</tbody></table></div>`;
}

function checkItem(view: CheckView, drawn: Map<string, PlotFigure>): string {
  const { check: c, status, measured, thresholds } = view;
  const numbers =
    measured.length || thresholds.length
      ? `<div class="numbers">${kvTable('Measured', measured)}${kvTable('Thresholds', thresholds)}</div>`
      : '';
  const remedy = c.remedy
    ? `<div class="remedy"><span class="label">What to do.</span> ${esc(c.remedy)}</div>`
    : '';
  const details = c.details ? `<p class="details">${esc(c.details)}</p>` : '';
  const why = c.why ? `<p><span class="label">Why it matters.</span> ${esc(c.why)}</p>` : '';
  return `<details class="check s-${status}" id="${checkAnchor(c.id)}" data-check-id="${esc(c.id)}" data-status="${esc(status)}"${OPEN.has(status) ? ' open' : ''}>
<summary>${badge(status)}<div><div class="check-head"><span class="check-title">${esc(c.title)}</span><code class="check-id">${esc(c.id)}</code></div><div class="check-summary">${esc(c.summary)}</div></div><span class="chevron" aria-hidden="true">▶</span></summary>
<div class="check-body">${remedy}${why}${numbers}${details}${plotLink(c, drawn)}</div>
</details>`;
}

function checklist(view: ReportView, drawn: Map<string, PlotFigure>): string {
  if (view.checks.length === 0) {
    return '<section class="block" id="checklist"><h2>Checklist</h2><p>No check ran.</p></section>';
  }
  return view.sections
    .map(({ key, title, checks, tally }) => {
      const sub = tallyText(tally);
      return `<section class="block" id="section-${slug(key)}" aria-labelledby="h-${slug(key)}">
<h2 id="h-${slug(key)}">${esc(title)}<span class="sub">${esc(sub)}</span></h2>
<div class="checks">${checks.map((c) => checkItem(c, drawn)).join('\n')}</div>
</section>`;
    })
    .join('\n');
}

const EVIDENCE_NAMES: Record<EvidenceKey, string> = {
  task: 'task',
  dataset: 'dataset statistics',
  model: 'model',
  checkpoint: 'trained checkpoint',
  training: 'instrumented training run',
  overfit: 'overfit run',
  control: 'control corpus run',
  lrSweep: 'LR range test',
  simplified: 'simple-model run',
  rebalancing: 'rebalancing A/B',
  labelSignal: 'label-signal run',
  remedies: 'fix experiments',
  distributed: 'ranks of a distributed job',
};

function plotsSection(view: ReportView, figures: PlotFigure[], failures: string[]): string {
  const report = view.report;
  const usedBy = (id: PlotId) => view.checks.filter((c) => c.check.plot === id);
  const cards = figures.map((f) => {
    const users = usedBy(f.id);
    const by = users.length
      ? `<p class="used-by"><span>Judged by:</span>${users.map((c) => `<span>${badge(c.status)} ${checkLink(c.check)}</span>`).join('')}</p>`
      : '';
    const notes = f.notes.length
      ? `<ul class="plot-notes">${f.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
      : '';
    return `<figure class="plot-card${f.panels.length > 1 ? ' wide' : ''}" id="${plotAnchor(f.id)}" data-plot="${esc(f.id)}">
<figcaption><h3>${esc(f.title)}</h3><p>${esc(f.caption)}</p></figcaption>
<div class="panels">${f.panels.join('\n')}</div>${notes}${by}
</figure>`;
  });
  const unavailable = Object.entries(report.evidence?.unavailable ?? {}).map(
    ([key, why]) =>
      `<li><b>${esc(EVIDENCE_NAMES[key as EvidenceKey] ?? key)}</b> (${esc(why?.status)}): ${esc(why?.reason)}</li>`,
  );
  const failed = failures.map((f) => `<li>${esc(f)}</li>`);
  const missing =
    unavailable.length || failed.length
      ? `<div class="not-drawn">${unavailable.length ? `<p>Evidence not gathered, so not plotted:</p><ul>${unavailable.join('')}</ul>` : ''}${
          failed.length ? `<p>Plots that could not be drawn:</p><ul>${failed.join('')}</ul>` : ''
        }</div>`
      : '';
  if (cards.length === 0 && !missing) return '';
  return `<section class="block" id="plots" aria-labelledby="h-plots">
<h2 id="h-plots">Plots<span class="sub">drawn from the evidence the checks judged</span></h2>
<div class="plots">${cards.join('\n')}</div>${missing}
</section>`;
}

function settingValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return fmtNumber(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function subjectSection(report: Report): string {
  const model = report.subject?.model;
  const data = report.subject?.data;
  const cards: string[] = [];
  if (model) {
    const layers = Array.isArray(model.layers) ? model.layers : [];
    const rows = layers
      .map(
        (l, i) =>
          `<tr><td class="num">${i}</td><td class="mono">${esc(l.name)}</td><td>${esc(l.className)}</td><td>${esc(l.activation ?? '—')}</td><td class="num">${esc(fmtNumber(l.params))}</td></tr>`,
      )
      .join('');
    const table = `<table class="grid-table"><thead><tr><th class="num idx">#</th><th>Layer</th><th>Class</th><th>Activation</th><th class="num">Params</th></tr></thead><tbody>${rows}</tbody></table>`;
    const body =
      layers.length > 30 ? `<details><summary>${layers.length} layers</summary>${table}</details>` : table;
    cards.push(
      `<div class="fact-card wide"><h3>Model <span class="mono">${esc(model.name)}</span> · ${esc(fmtNumber(model.params))} parameters</h3>${body}</div>`,
    );
  }
  if (data) {
    cards.push(
      `<div class="fact-card"><h3>Data</h3>${kvTable('Training records', [
        ['Source', data.source],
        ['Records', fmtNumber(data.records)],
        ['Features per record', fmtNumber(data.features)],
        ['Classes', data.classes === null ? 'regression' : fmtNumber(data.classes)],
      ])}</div>`,
    );
  }
  const settings = Object.entries(report.settings ?? {}).filter(([, v]) => v !== undefined);
  const env = report.environment;
  cards.push(
    `<div class="fact-card"><h3>Run</h3>${kvTable(
      'Settings',
      settings.map(([k, v]): [string, string] => [k, settingValue(v)]),
    )}${kvTable('Environment', [
      ['Backend', env?.backend ?? '—'],
      ['Node', env?.node ?? '—'],
      ['Platform', env?.platform ?? '—'],
      ['Evidence source', String(report.evidence?.source ?? '—')],
    ])}</div>`,
  );
  const probes = Object.entries(report.timings?.probes ?? {}).filter(([, ms]) => typeof ms === 'number');
  const longest = maxOf([1, ...probes.map(([, ms]) => ms)]);
  const total = report.timings?.totalMs;
  const probeRows = probes
    .map(
      ([name, ms]) =>
        `<tr><td>${esc(name)}</td><td class="num">${esc(fmtDuration(ms))}</td><td style="width:45%"><span class="bar" style="width:${Math.max(1, Math.round((ms / longest) * 100))}%"></span></td></tr>`,
    )
    .join('');
  cards.push(
    `<div class="fact-card"><h3>Timings · ${esc(fmtDuration(total))} in all</h3>${
      probes.length
        ? `<table class="grid-table"><thead><tr><th>Probe</th><th class="num">Time</th><th></th></tr></thead><tbody>${probeRows}</tbody></table>`
        : '<p>No probe timings recorded.</p>'
    }</div>`,
  );
  return `<section class="block" id="subject" aria-labelledby="h-subject">
<h2 id="h-subject">Model, data &amp; run</h2>
<div class="facts">${cards.join('\n')}</div>
</section>`;
}

/** `watch`: the findings raised while the run went on, each with its step and a link to its check. */
function watchSection(report: Report): string {
  const w = report.watch;
  if (!w) return '';
  const rows = w.findings
    .map(
      (f) =>
        `<tr data-check-id="${esc(f.id)}"><td class="num">${esc(f.step)}</td><td>${badge(f.status)}</td><td><a href="#${checkAnchor(f.id)}"><code>${esc(f.id)}</code></a></td><td>${esc(f.summary)}</td><td class="num">${esc(f.firstSeenStep)}</td></tr>`,
    )
    .join('');
  const body = w.findings.length
    ? `<table class="grid-table"><thead><tr><th class="num">Step</th><th>Status</th><th>Check</th><th>Finding</th><th class="num">First seen</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p>Nothing was raised during the run.</p>';
  return `<section class="block" id="watch" aria-labelledby="h-watch">
<h2 id="h-watch">Found while watching<span class="sub">${esc(fmtNumber(w.steps))} steps; each finding raised once, when its evidence became conclusive</span></h2>
${body}
</section>`;
}

/** What diagnose read from the logs: the experiment and why, tags read and not, --map proposals. */
function logsSection(report: Report): string {
  const logs = report.logs;
  if (!logs) return '';
  const others = logs.experiments.filter((e) => !e.diagnosed);
  const otherList = others.length
    ? `<p>Other experiments: ${others
        .map(
          (e) => `${esc(e.name)} (${esc(e.verdict)}${e.primary ? `: <code>${esc(e.primary)}</code>` : ''})`,
        )
        .join(', ')}.</p>`
    : '';
  const notes = logs.notes.length ? `<ul>${logs.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  const rows = (tags: typeof logs.used, withMap: boolean) =>
    tags
      .map(
        (t) =>
          `<tr><td><code>${esc(t.tag)}</code></td><td>${esc(t.run)}</td><td>${esc(t.as)}</td>${withMap ? `<td>${t.map ? `<code>${esc(t.map)}</code>` : ''}</td>` : ''}</tr>`,
      )
      .join('');
  const used = logs.used.length
    ? `<div class="kv-block"><p class="kv-caption">Tags read</p><table class="kv"><thead><tr><th>Tag</th><th>Run</th><th>Read as</th></tr></thead><tbody>${rows(logs.used, false)}</tbody></table></div>`
    : '<p>No tag was read.</p>';
  const unused = logs.unused.length
    ? `<div class="kv-block" id="tags-not-used"><p class="kv-caption">Tags not used (${logs.unused.length})</p><table class="kv"><thead><tr><th>Tag</th><th>Run</th><th>Why</th><th>To read it</th></tr></thead><tbody>${rows(logs.unused, true)}</tbody></table></div>`
    : '';
  return `<section class="block" id="logs" aria-labelledby="h-logs">
<h2 id="h-logs">Logs</h2>
<p>Diagnosed <b>${esc(logs.experiment)}</b>: ${esc(logs.chosenBecause)}.</p>${otherList}${notes}${used}${unused}
</section>`;
}

function masthead(report: Report): string {
  const model = report.subject?.model;
  const data = report.subject?.data;
  const created = report.createdAt ? report.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '';
  const meta = [
    model ? `<span>Model <b>${esc(model.name)}</b></span>` : '',
    data ? `<span>Data <b>${esc(data.source)}</b> (${esc(fmtNumber(data.records))} records)</span>` : '',
    created ? `<span>${esc(created)}</span>` : '',
  ].join('');
  return `<header class="masthead"><span class="wordmark">nn<span>-</span>doctor</span><span>Checkup report</span><span class="meta">${meta}</span></header>`;
}

/** Renders the report as one self-contained HTML document. */
export function renderHtml(original: Report): string {
  const view = viewModel(original);
  const report = view.report;
  const dom = createDocument();
  let plots: { figures: PlotFigure[]; failures: string[] };
  try {
    plots = buildPlots(report, dom.document);
  } finally {
    dom.close();
  }
  const drawn = new Map<string, PlotFigure>(plots.figures.map((f) => [f.id, f]));
  const model = report.subject?.model?.name;
  const title = `nn-doctor: ${VERDICT_LABEL[view.verdict]}${model ? ` · ${model}` : ''}`;
  const version = report.tool ? `${report.tool.name} ${report.tool.version}` : 'nn-doctor';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="${esc(version)}">
<title>${esc(title)}</title>
<style>${STYLES}</style>
</head>
<body>
<div class="page">
${masthead(report)}
<main>
${hero(view, drawn)}
${toc(view, plots.figures)}
${checklist(view, drawn)}
${plotsSection(view, plots.figures, plots.failures)}
${watchSection(report)}
${logsSection(report)}
${subjectSection(report)}
</main>
<footer>Written by ${esc(version)} · report schema v${esc(report.schemaVersion)} · ${esc(report.checks.length)} checks · self-contained: opens offline, prints cleanly.</footer>
</div>
</body>
</html>
`;
}

/** Ids of the plots the report's evidence supports (what `renderHtml` draws). */
export function plotIds(report: Report): PlotId[] {
  const dom = createDocument();
  try {
    return buildPlots(report, dom.document).figures.map((f) => f.id);
  } finally {
    dom.close();
  }
}
