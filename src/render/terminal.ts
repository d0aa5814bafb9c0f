// The terminal report: the diagnosis first, then the checklist grouped by section, one line per
// check with its status and measured value, then the remedies of what failed or warned. Reads the
// view model (src/render/view-model.ts): every string from the report is already made visible, so
// nothing here can send a control character to the terminal or break a line in two.
import type { RemediesReport, TriedFix } from '../core/remedies.ts';
import { fmtEffect, fmtScore, METRIC_LABEL } from '../core/remedies.ts';
import type { LogsReport, LogTag, Report } from '../core/report.ts';
import { type CheckView, type SectionView, type Status, viewModel } from './view-model.ts';

const LABEL: Record<Status, string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
  error: 'ERR ',
};
const COLOR: Record<Status, string> = { pass: '32', warn: '33', fail: '31', skip: '90', error: '35' };

export interface TerminalOptions {
  color?: boolean;
  /** Line width to wrap long text at (default 100). */
  width?: number;
  /** Cut passing/skipped checks' summaries to one screen line (for terminals, not logs). */
  truncate?: boolean;
}

function paint(text: string, code: string, on: boolean): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - indent.length) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

function checkLine(view: CheckView, color: boolean, width: number, truncate: boolean): string {
  const c = view.check;
  const badge = paint(`[${LABEL[view.status]}]`, COLOR[view.status], color);
  const head = `  ${badge} ${c.id.padEnd(27)}`;
  const room = Math.max(30, width - 36);
  const summary =
    truncate && c.summary.length > room && (view.status === 'pass' || view.status === 'skip')
      ? `${c.summary.slice(0, room - 1)}…`
      : c.summary;
  return `${head} ${summary}`;
}

/**
 * A section none of whose checks applies, all for one reason (the five distributed checks of a
 * checkup, which sees one process): one line for the section, not one per check. The JSON,
 * Markdown and HTML reports keep every check.
 */
function foldedLine(section: SectionView, color: boolean, width: number, truncate: boolean): string | null {
  const [first, ...rest] = section.checks;
  if (!first || rest.length === 0) return null;
  const summary = first.check.summary;
  if (!section.checks.every((c) => c.status === 'skip' && c.check.summary === summary)) return null;
  const badge = paint(`[${LABEL.skip}]`, COLOR.skip, color);
  const room = Math.max(30, width - 36);
  const shown = truncate && summary.length > room ? `${summary.slice(0, room - 1)}…` : summary;
  return `  ${badge} ${`${section.key}/* (${section.checks.length} checks)`.padEnd(27)} ${shown}`;
}

/** Tags not used are listed up to this many; the JSON report has them all. */
const UNUSED_SHOWN = 12;

/** What diagnose read from the logs: the experiment and why, tags read and not, --map proposals. */
function logsLines(logs: LogsReport, width: number, color: boolean): string[] {
  const out = ['', paint('Logs', '1', color)];
  out.push(wrap(`Diagnosed ${logs.experiment}: ${logs.chosenBecause}.`, width, '  '));
  const others = logs.experiments.filter((e) => !e.diagnosed);
  if (others.length) {
    const shown = others
      .slice(0, 6)
      .map((e) => `${e.name} (${e.verdict}${e.primary ? `: ${e.primary}` : ''})`)
      .join(', ');
    out.push(
      wrap(
        `Other experiments: ${shown}${others.length > 6 ? `, and ${others.length - 6} more` : ''}.`,
        width,
        '  ',
      ),
    );
  }
  for (const note of logs.notes) out.push(wrap(`Note: ${note}.`, width, '  '));
  const where = (t: LogTag) => (t.run === '.' || t.run === logs.experiment ? '' : ` [${t.run}]`);
  if (logs.used.length) {
    out.push(
      wrap(`Read: ${logs.used.map((t) => `${t.tag}${where(t)} as ${t.as}`).join('; ')}.`, width, '  '),
    );
  }
  if (logs.unused.length) {
    out.push(`  Not used (${logs.unused.length}):`);
    for (const t of logs.unused.slice(0, UNUSED_SHOWN))
      out.push(wrap(`${t.tag}${where(t)} — ${t.as}${t.map ? `; to read it: ${t.map}` : ''}`, width, '    '));
    if (logs.unused.length > UNUSED_SHOWN)
      out.push(`    … and ${logs.unused.length - UNUSED_SHOWN} more (see the JSON report)`);
    const maps = new Set<string>();
    for (const t of logs.unused) if (t.map) maps.add(t.map);
    if (maps.size)
      out.push(wrap(`To read them: nn-doctor diagnose LOGDIR ${[...maps].join(' ')}`, width, '  '));
  }
  return out;
}

/** Code lines shown per fix (the JSON, Markdown and HTML reports have them all). */
const CODE_LINES = 8;

function codeLines(label: string, code: string | null, width: number): string[] {
  if (!code) return [];
  const lines = code.split('\n');
  const shown = lines
    .slice(0, CODE_LINES)
    .map((l, i) => `${i === 0 ? label.padEnd(12) : ' '.repeat(12)}${l}`);
  if (lines.length > CODE_LINES)
    shown.push(`${' '.repeat(12)}… (${lines.length - CODE_LINES} more lines in the report)`);
  return shown.map((l) => `      ${l.length > width - 6 ? `${l.slice(0, width - 7)}…` : l}`);
}

function triedLines(r: RemediesReport, t: TriedFix, width: number, color: boolean): string[] {
  const metric = r.metric ?? 'balanced-accuracy';
  const mark = t.verified ? paint('VERIFIED', '1;32', color) : paint('not verified', '90', color);
  const on = t.on.length ? ` on top of ${t.on.join(' + ')}` : '';
  const out = [`  ${mark} ${t.fix} — ${t.title} (for ${t.finding}${on})`];
  out.push(wrap(`Change: ${t.change}.`, width, '      '));
  out.push(
    wrap(
      `${fmtScore(metric, t.before.mean)} → ${fmtScore(metric, t.after.mean)} (seeds ${t.after.values.map((v) => fmtScore(metric, v)).join(', ')}): ${fmtEffect(metric, t.effect)}, seed spread ${fmtEffect(metric, t.spread).replace(/^\+/, '')}; random-fix baseline ${fmtScore(metric, t.random.mean)}. ${t.why}`,
      width,
      '      ',
    ),
  );
  if (t.verified) {
    out.push(...codeLines('TF.js:', t.terms.tfjs, width)); // at most CODE_LINES + 1 each
    out.push(...codeLines('Keras:', t.terms.keras, width));
    out.push(...codeLines('model.json:', t.terms.modelJson, width));
  }
  return out;
}

/** The fixes tried on clones and what was verified (nothing when no experiment ran on a healthy setup). */
function remediesLines(report: Report, width: number, color: boolean): string[] {
  const r = report.remedies;
  // A failed checkup of a model whose fixes were not tried (verification is opt-in: it costs
  // about 4× the checkup) points at the flag that tries them.
  if (!r && report.verdict === 'fail' && report.evidence.source === 'tfjs')
    return [
      '',
      wrap(
        'Fixes were not tried: add --verify on to try the candidate fixes on clones of the model and report which of them verifiably help (about 4× the time).',
        width,
        '',
      ),
    ];
  if (!r || (r.status === 'not-run' && report.verdict !== 'fail')) return [];
  const out = ['', paint('Fixes tried on clones', '1', color)];
  if (r.metric && r.tried.length)
    out.push(
      `  ${r.seeds} seeds × ${r.steps} steps per fix, judged on ${METRIC_LABEL[r.metric]} (${r.heldOut} records)`,
    );
  out.push(wrap(r.summary, width, '  '));
  for (const t of r.tried) for (const line of triedLines(r, t, width, color)) out.push(line);
  return out;
}

export function renderTerminal(original: Report, options: TerminalOptions = {}): string {
  const color = options.color ?? false;
  const width = options.width ?? 100;
  const view = viewModel(original);
  const report = view.report;
  const out: string[] = [];
  const subject = report.subject;
  const model = subject.model
    ? `${subject.model.name} (${subject.model.params.toLocaleString('en-US')} params)`
    : 'training log';
  const data = subject.data
    ? `${subject.data.source}, ${subject.data.records.toLocaleString('en-US')} records`
    : '';
  out.push(`${paint('nn-doctor checkup', '1', color)} — ${model}${data ? ` on ${data}` : ''}`);
  out.push(
    `${report.evidence.source === 'tensorboard' ? 'from TensorBoard event files' : `backend ${report.environment.backend ?? 'n/a'}`} · ${(report.timings.totalMs / 1000).toFixed(1)} s`,
  );
  out.push('');
  const verdictColor =
    view.verdict === 'pass' ? '32' : view.verdict === 'warn' ? '33' : view.verdict === 'fail' ? '31' : '35';
  out.push(`${paint(`Verdict: ${view.verdict.toUpperCase()}`, `1;${verdictColor}`, color)}`);
  out.push(wrap(report.diagnosis.summary, width, '  '));

  for (const section of view.sections) {
    out.push('');
    out.push(paint(section.title, '1', color));
    const folded = foldedLine(section, color, width, options.truncate ?? false);
    if (folded) out.push(folded);
    else for (const c of section.checks) out.push(checkLine(c, color, width, options.truncate ?? false));
  }

  if (view.ranked.length) {
    out.push('');
    out.push(paint('What to do', '1', color));
    for (const { check: c, status } of view.ranked) {
      out.push(`  ${paint(LABEL[status].trim(), COLOR[status], color)} ${c.id} — ${c.title}`);
      out.push(wrap(c.summary, width, '      '));
      out.push(wrap(`Why: ${c.why}`, width, '      '));
      if (c.remedy) out.push(wrap(`Do: ${c.remedy}`, width, '      '));
    }
  }
  if (report.watch) {
    out.push('');
    const n = report.watch.findings.length;
    out.push(paint(`Found while watching (${report.watch.steps} steps)`, '1', color));
    if (n === 0) out.push('  Nothing was raised during the run.');
    for (const f of report.watch.findings)
      out.push(wrap(`step ${f.step} ${f.status.toUpperCase()} ${f.id}: ${f.summary}`, width, '  '));
  }
  for (const line of remediesLines(report, width, color)) out.push(line);
  if (report.logs) for (const line of logsLines(report.logs, width, color)) out.push(line);
  if (view.errors.length) {
    out.push('');
    out.push(paint('Could not run', '1', color));
    for (const { check: c } of view.errors) out.push(wrap(`${c.id}: ${c.summary}`, width, '  '));
  }
  if (report.warnings.length) {
    out.push('');
    out.push(paint('Warnings', '1', color));
    for (const w of report.warnings.slice(0, 20)) out.push(wrap(w, width, '  '));
    if (report.warnings.length > 20)
      out.push(`  … and ${report.warnings.length - 20} more (see the JSON report)`);
  }
  return `${out.join('\n')}\n`;
}
