// The Markdown report, for pull requests and CI summaries: the HTML report's content minus the
// plots. Verdict and diagnosis, one table of every check, then each non-pass finding with why it
// matters and what to do, then the subject and timings. Reads the view model
// (src/render/view-model.ts: control characters already made visible); every string from the
// report is escaped here so it cannot break the table or inject HTML or links.
import type { RemediesReport, Spread, TriedFix } from '../core/remedies.ts';
import { fmtEffect, fmtScore, METRIC_LABEL } from '../core/remedies.ts';
import type { Report } from '../core/report.ts';
import { maxOf } from '../shared/array.ts';
import { fmtDuration, fmtNumber } from '../shared/format.ts';
import { visible } from '../shared/text.ts';
import { STATUS_LABEL, VERDICT_LABEL } from './format.ts';
import { type ReportView, type Status, tallyText, viewModel } from './view-model.ts';

const EMOJI: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '➖', error: '⛔' };

/**
 * Escapes a string from the report for Markdown text and table cells: whitespace (newlines
 * included) collapses to one space, HTML special characters become entities, and Markdown
 * punctuation that could start emphasis, code, links or a table cell is backslash-escaped.
 */
export function mdEscape(value: unknown): string {
  return visible(String(value ?? '').replace(/\s+/g, ' '))
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

/** A check id in a code span when it has the id shape (so it needs no escaping), else escaped text. */
function mdId(id: string): string {
  return /^[a-z0-9-]+\/[a-z0-9-]+$/.test(id) ? `\`${id}\`` : mdEscape(id);
}

function status(s: Status): string {
  const known = STATUS_LABEL[s] ? s : 'error';
  return `${EMOJI[known]} ${STATUS_LABEL[known]}`;
}

const VERDICT_EMOJI: Record<Report['verdict'], string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  inconclusive: '❔',
};

function verdictText(verdict: Report['verdict']): string {
  const v = VERDICT_LABEL[verdict] ? verdict : 'inconclusive';
  return `${VERDICT_EMOJI[v]} ${VERDICT_LABEL[v]}`;
}

function verdictBlock(view: ReportView): string[] {
  const report = view.report;
  const model = report.subject?.model;
  const data = report.subject?.data;
  const about = [
    model ? `model ${mdEscape(model.name)}` : '',
    data ? `data ${mdEscape(data.source)} (${fmtNumber(data.records)} records)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [`# nn-doctor checkup: ${verdictText(view.verdict)}`, ''];
  lines.push(`**${tallyText(view.tally) || 'no check ran'}**${about ? ` — ${about}` : ''}`, '');
  const primary = view.primary?.check;
  lines.push('## Diagnosis', '');
  if (primary) {
    const label = primary.status === 'fail' ? 'Most likely cause' : 'Strongest warning';
    lines.push(
      `**${label}: ${mdEscape(primary.title)}** (${mdId(primary.id)}, ${status(primary.status)})`,
      '',
    );
  }
  lines.push(mdEscape(report.diagnosis.summary), '');
  if (primary?.remedy) lines.push(`**What to do:** ${mdEscape(primary.remedy)}`, '');
  if (view.alsoFlagged.length) {
    lines.push(
      `Also flagged, most likely first: ${view.alsoFlagged.map((c) => `${mdId(c.id)} (${mdEscape(STATUS_LABEL[c.status])})`).join(', ')}.`,
      '',
    );
  }
  if (report.warnings?.length) {
    lines.push('**Notes from gathering the evidence:**', '');
    for (const w of report.warnings) lines.push(`- ${mdEscape(w)}`);
    lines.push('');
  }
  return lines;
}

function checksTable(view: ReportView): string[] {
  if (view.checks.length === 0) return ['## Checks', '', 'No check ran.', ''];
  const lines = ['## Checks', '', '| Section | Check | Status | Summary |', '| --- | --- | --- | --- |'];
  for (const { check: c, status: s, sectionTitle } of view.checks)
    lines.push(
      `| ${mdEscape(sectionTitle)} | ${mdEscape(c.title)} (${mdId(c.id)}) | ${status(s)} | ${mdEscape(c.summary)} |`,
    );
  lines.push('');
  return lines;
}

function findings(view: ReportView): string[] {
  if (view.open.length === 0) return [];
  const lines = ['## Findings', ''];
  for (const { check: c, status: s, measured, thresholds } of view.open) {
    lines.push(`### ${status(s)}: ${mdEscape(c.title)} (${mdId(c.id)})`, '', mdEscape(c.summary), '');
    if (c.why) lines.push(`- **Why it matters:** ${mdEscape(c.why)}`);
    if (c.remedy) lines.push(`- **What to do:** ${mdEscape(c.remedy)}`);
    if (measured.length)
      lines.push(`- **Measured:** ${measured.map(([k, v]) => `${mdEscape(k)} ${mdEscape(v)}`).join('; ')}`);
    if (thresholds.length)
      lines.push(
        `- **Thresholds:** ${thresholds.map(([k, v]) => `${mdEscape(k)} ${mdEscape(v)}`).join('; ')}`,
      );
    if (c.details) lines.push(`- **Details:** ${mdEscape(c.details)}`);
    lines.push('');
  }
  return lines;
}

function subject(report: Report): string[] {
  const lines = ['## Model, data and run', ''];
  const model = report.subject?.model;
  if (model) {
    const layers = Array.isArray(model.layers) ? model.layers : [];
    lines.push(
      `- **Model:** ${mdEscape(model.name)}, ${fmtNumber(model.params)} parameters, ${layers.length} layers`,
    );
    if (layers.length) {
      const shown = layers
        .slice(0, 40)
        .map(
          (l) =>
            `${mdEscape(l.name)} (${mdEscape(l.className)}${l.activation ? `, ${mdEscape(l.activation)}` : ''})`,
        );
      lines.push(
        `- **Layers:** ${shown.join(' → ')}${layers.length > 40 ? ` → … (${layers.length - 40} more)` : ''}`,
      );
    }
  }
  const data = report.subject?.data;
  if (data) {
    const classes = data.classes === null ? 'regression' : `${fmtNumber(data.classes)} classes`;
    lines.push(
      `- **Data:** ${mdEscape(data.source)}: ${fmtNumber(data.records)} records, ${fmtNumber(data.features)} features, ${classes}`,
    );
  }
  const settings = Object.entries(report.settings ?? {}).filter(([, v]) => v !== undefined && v !== null);
  if (settings.length) {
    const text = settings.map(
      ([k, v]) =>
        `${mdEscape(k)} ${mdEscape(typeof v === 'number' ? fmtNumber(v) : typeof v === 'string' ? v : JSON.stringify(v))}`,
    );
    lines.push(`- **Settings:** ${text.join('; ')}`);
  }
  const env = report.environment;
  if (env)
    lines.push(
      `- **Environment:** backend ${mdEscape(env.backend ?? '—')}, Node ${mdEscape(env.node)}, ${mdEscape(env.platform)}`,
    );
  const probes = Object.entries(report.timings?.probes ?? {});
  const time = probes.length
    ? ` (${probes.map(([k, ms]) => `${mdEscape(k)} ${fmtDuration(ms)}`).join(', ')})`
    : '';
  lines.push(`- **Time:** ${fmtDuration(report.timings?.totalMs)} in all${time}`);
  lines.push(
    '',
    `_Written by ${mdEscape(report.tool?.name ?? 'nn-doctor')} ${mdEscape(report.tool?.version ?? '')} on ${mdEscape(report.createdAt)} (report schema v${mdEscape(report.schemaVersion)})._`,
    '',
  );
  return lines;
}

/** `watch`: the findings raised while the run went on, with their steps. */
function watchBlock(report: Report): string[] {
  const w = report.watch;
  if (!w) return [];
  const lines = ['## Found while watching', '', `${fmtNumber(w.steps)} steps watched.`, ''];
  if (w.findings.length === 0) return [...lines, 'Nothing was raised during the run.', ''];
  lines.push('| step | status | check | finding | first seen |', '|---:|---|---|---|---:|');
  for (const f of w.findings)
    lines.push(
      `| ${f.step} | ${f.status.toUpperCase()} | ${mdEscape(f.id)} | ${mdEscape(f.summary)} | ${f.firstSeenStep} |`,
    );
  lines.push('');
  return lines;
}

/** What diagnose read from the logs: the experiment and why, tags read and not, --map proposals. */
function logsBlock(report: Report): string[] {
  const logs = report.logs;
  if (!logs) return [];
  const code = (s: string) => `\`${s.replaceAll('`', "'")}\``;
  const lines = [
    '## Logs',
    '',
    `Diagnosed ${mdEscape(logs.experiment)}: ${mdEscape(logs.chosenBecause)}.`,
    '',
  ];
  const others = logs.experiments.filter((e) => !e.diagnosed);
  if (others.length) {
    lines.push(
      `Other experiments: ${others.map((e) => `${mdEscape(e.name)} (${mdEscape(e.verdict)}${e.primary ? `: ${mdId(e.primary)}` : ''})`).join(', ')}.`,
      '',
    );
  }
  for (const note of logs.notes) lines.push(`- ${mdEscape(note)}`);
  if (logs.notes.length) lines.push('');
  if (logs.used.length) {
    lines.push('| Tag | Run | Read as |', '| --- | --- | --- |');
    for (const t of logs.used) lines.push(`| ${mdEscape(t.tag)} | ${mdEscape(t.run)} | ${mdEscape(t.as)} |`);
    lines.push('');
  }
  if (logs.unused.length) {
    lines.push(
      `**Tags not used (${logs.unused.length}):**`,
      '',
      '| Tag | Run | Why | To read it |',
      '| --- | --- | --- | --- |',
    );
    for (const t of logs.unused)
      lines.push(
        `| ${mdEscape(t.tag)} | ${mdEscape(t.run)} | ${mdEscape(t.as)} | ${t.map ? code(t.map) : ''} |`,
      );
    lines.push('');
  }
  return lines;
}

/** A fenced code block that text from the report cannot close: the fence is longer than any backtick run in it. */
export function mdFence(code: string, lang: string): string[] {
  const longest = maxOf([0, ...(code.match(/`+/g) ?? []).map((m) => m.length)]);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, code, fence];
}

function mdSpread(metric: NonNullable<RemediesReport['metric']>, s: Spread): string {
  return `${fmtScore(metric, s.mean)} (${fmtScore(metric, s.min)}–${fmtScore(metric, s.max)})`;
}

function triedRow(r: RemediesReport, t: TriedFix): string {
  const m = r.metric ?? 'balanced-accuracy';
  const verdict = t.verified ? '✅ verified' : '➖ not verified';
  return `| ${t.stage} | ${mdEscape(t.title)} (${mdEscape(t.fix)}) | ${mdId(t.finding)} | ${mdEscape(t.change)} | ${mdSpread(m, t.before)} | ${mdSpread(m, t.after)} | ${fmtEffect(m, t.effect)} (spread ${fmtEffect(m, t.spread).replace(/^\+/, '')}) | ${fmtScore(m, t.random.mean)} (${mdEscape(t.random.fixes.join(', '))}) | ${verdict} |`;
}

/** The fixes tried on clones: a table of every one, then the verified ones in the user's terms. */
function remediesBlock(report: Report): string[] {
  const r = report.remedies;
  if (!r || (r.status === 'not-run' && report.verdict !== 'fail')) return [];
  const lines = ['## Fixes tried on clones', '', mdEscape(r.summary), ''];
  if (!r.tried.length) return lines;
  lines.push(
    `Each fix trained ${r.seeds} times (seeds) for ${r.steps} steps on a clone, next to the setup as it is and next to fixes drawn at random from the catalogue; judged on the ${mdEscape(METRIC_LABEL[r.metric ?? 'balanced-accuracy'])} of ${r.heldOut} records. Verified = better than the seed spread and than the random-fix baseline, by at least ${fmtEffect(r.metric ?? 'balanced-accuracy', r.thresholds.minEffect)}.`,
    '',
    '| Stage | Fix | For | Change | Before | After | Effect | Random-fix baseline | Verdict |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const t of r.tried) lines.push(triedRow(r, t));
  lines.push('');
  for (const t of r.tried.filter((x) => x.verified)) {
    lines.push(`### ✅ ${mdEscape(t.title)} (${mdEscape(t.fix)})`, '', mdEscape(t.why), '');
    if (t.terms.where.length)
      lines.push(`- **What changes:** ${t.terms.where.map((w) => mdEscape(w)).join('; ')}`, '');
    lines.push(
      'TF.js:',
      '',
      ...mdFence(t.terms.tfjs, 'js'),
      '',
      'Keras:',
      '',
      ...mdFence(t.terms.keras, 'python'),
      '',
    );
    if (t.terms.modelJson) lines.push('model.json:', '', ...mdFence(t.terms.modelJson, 'text'), '');
  }
  return lines;
}

/** Renders the report as GitHub-flavoured Markdown. */
export function renderMarkdown(original: Report): string {
  const view = viewModel(original);
  const report = view.report;
  // Joined block by block, never spread: a block may have millions of lines (a warning, a tag each).
  return [
    verdictBlock(view),
    checksTable(view),
    findings(view),
    watchBlock(report),
    remediesBlock(report),
    logsBlock(report),
    subject(report),
  ]
    .filter((block) => block.length > 0)
    .map((block) => block.join('\n'))
    .join('\n');
}
