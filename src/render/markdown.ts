// The Markdown report, for pull requests and CI summaries: the HTML report's content minus the
// plots. Verdict and diagnosis, one table of every check, then each non-pass finding with why it
// matters and what to do, then the subject and timings. Reads only the versioned Report; every
// string from the report is escaped so it cannot break the table or inject HTML or links.
import { SECTIONS } from '../core/check.ts';
import type { RemediesReport, Spread, TriedFix } from '../core/remedies.ts';
import type { CheckResult, Report } from '../core/report.ts';
import { fmtEffect, fmtScore, METRIC_LABEL } from '../remedies/score.ts';
import { fmtDuration, fmtNumber, fmtValue, humanize, STATUS_LABEL, VERDICT_LABEL } from './html/format.ts';

type Status = CheckResult['status'];

const EMOJI: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '➖', error: '⛔' };
const ORDER: Status[] = ['fail', 'warn', 'error', 'pass', 'skip'];
const WORDS: Record<Status, [string, string]> = {
  fail: ['failed', 'failed'],
  warn: ['warning', 'warnings'],
  error: ['could not run', 'could not run'],
  pass: ['passed', 'passed'],
  skip: ['skipped', 'skipped'],
};

/**
 * Escapes a string from the report for Markdown text and table cells: whitespace (newlines
 * included) collapses to one space, HTML special characters become entities, and Markdown
 * punctuation that could start emphasis, code, links or a table cell is backslash-escaped.
 */
export function mdEscape(value: unknown): string {
  return String(value ?? '')
    .replace(/\s+/g, ' ')
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

function count(checks: CheckResult[], s: Status): number {
  return checks.filter((c) => c.status === s).length;
}

function tally(checks: CheckResult[]): string {
  return ORDER.filter((s) => count(checks, s) > 0)
    .map((s) => `${count(checks, s)} ${WORDS[s][count(checks, s) === 1 ? 0 : 1]}`)
    .join(' · ');
}

function sectionTitle(section: string): string {
  return (SECTIONS as Record<string, string>)[section] ?? humanize(section);
}

/** Checks in checklist order: by section (SECTIONS order, unknown sections last), then as reported. */
function ordered(checks: CheckResult[]): CheckResult[] {
  const keys = Object.keys(SECTIONS);
  const rank = (s: string) => {
    const i = keys.indexOf(s);
    return i < 0 ? keys.length : i;
  };
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c.section) - rank(b.c.section) || a.i - b.i)
    .map(({ c }) => c);
}

function verdictBlock(report: Report): string[] {
  const model = report.subject?.model;
  const data = report.subject?.data;
  const about = [
    model ? `model ${mdEscape(model.name)}` : '',
    data ? `data ${mdEscape(data.source)} (${fmtNumber(data.records)} records)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [`# nn-doctor checkup: ${verdictText(report.verdict)}`, ''];
  lines.push(`**${tally(report.checks) || 'no check ran'}**${about ? ` — ${about}` : ''}`, '');
  const byId = new Map(report.checks.map((c) => [c.id as string, c]));
  const primary = report.diagnosis.primary ? byId.get(report.diagnosis.primary) : undefined;
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
  const others = report.diagnosis.ranked
    .filter((id) => id !== report.diagnosis.primary)
    .map((id) => byId.get(id))
    .filter((c): c is CheckResult => c !== undefined);
  if (others.length) {
    lines.push(
      `Also flagged, most likely first: ${others.map((c) => `${mdId(c.id)} (${mdEscape(STATUS_LABEL[c.status] ?? c.status)})`).join(', ')}.`,
      '',
    );
  }
  if (report.warnings?.length) {
    lines.push(
      '**Notes from gathering the evidence:**',
      '',
      ...report.warnings.map((w) => `- ${mdEscape(w)}`),
      '',
    );
  }
  return lines;
}

function checksTable(report: Report): string[] {
  if (report.checks.length === 0) return ['## Checks', '', 'No check ran.', ''];
  const rows = ordered(report.checks).map(
    (c) =>
      `| ${mdEscape(sectionTitle(c.section))} | ${mdEscape(c.title)} (${mdId(c.id)}) | ${status(c.status)} | ${mdEscape(c.summary)} |`,
  );
  return [
    '## Checks',
    '',
    '| Section | Check | Status | Summary |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

function findings(report: Report): string[] {
  const rank = (s: Status) => ORDER.indexOf(s);
  const open = ordered(report.checks)
    .filter((c) => c.status === 'fail' || c.status === 'warn' || c.status === 'error')
    .sort((a, b) => rank(a.status) - rank(b.status));
  if (open.length === 0) return [];
  const lines = ['## Findings', ''];
  for (const c of open) {
    lines.push(`### ${status(c.status)}: ${mdEscape(c.title)} (${mdId(c.id)})`, '', mdEscape(c.summary), '');
    if (c.why) lines.push(`- **Why it matters:** ${mdEscape(c.why)}`);
    if (c.remedy) lines.push(`- **What to do:** ${mdEscape(c.remedy)}`);
    const measured = Object.entries(c.measured ?? {});
    if (measured.length) {
      lines.push(
        `- **Measured:** ${measured.map(([k, v]) => `${mdEscape(humanize(k))} ${mdEscape(fmtValue(v))}`).join('; ')}`,
      );
    }
    const thresholds = Object.entries(c.thresholds ?? {});
    if (thresholds.length) {
      lines.push(
        `- **Thresholds:** ${thresholds.map(([k, v]) => `${mdEscape(humanize(k))} ${mdEscape(fmtValue(v))}`).join('; ')}`,
      );
    }
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
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((m) => m.length));
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
    ...r.tried.map((t) => triedRow(r, t)),
    '',
  );
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
export function renderMarkdown(report: Report): string {
  return [
    ...verdictBlock(report),
    ...checksTable(report),
    ...findings(report),
    ...watchBlock(report),
    ...remediesBlock(report),
    ...logsBlock(report),
    ...subject(report),
  ].join('\n');
}
