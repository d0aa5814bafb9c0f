// What the three renderers (terminal, Markdown, HTML) show, computed once from the Report: the
// report with every string made visible, the checks in checklist order, the sections, the counts
// and tallies, the diagnosis resolved to its checks, the findings to act on. Each renderer only
// lays this out in its own format (colours and wrapping, Markdown escaping, HTML escaping).
//
// Escaping happens here, once, where strings from the user's files enter text output: a file
// name, class folder, layer name, TensorBoard tag or anything in a saved report may hold ESC, BEL,
// CR or a newline; every string of the report (and every key of its maps) goes through
// `visible`, so no renderer can print a raw control character. Code meant to be copied (a verified
// fix in the user's terms) keeps its newlines and nothing else.
import { SECTIONS } from '../core/check.ts';
import type { CheckResult, Report } from '../core/report.ts';
import { visible, visibleLines } from '../shared/text.ts';
import { fmtValue, humanize, STATUS_LABEL, VERDICT_LABEL } from './format.ts';

export type Status = CheckResult['status'];
export type Verdict = Report['verdict'];

/** Most urgent first: the order of tallies and of the findings to act on. */
export const STATUS_ORDER: readonly Status[] = ['fail', 'warn', 'error', 'pass', 'skip'];

const STATUS_WORDS: Record<Status, [string, string]> = {
  fail: ['failed', 'failed'],
  warn: ['warning', 'warnings'],
  error: ['could not run', 'could not run'],
  pass: ['passed', 'passed'],
  skip: ['skipped', 'skipped'],
};

export interface CheckView {
  /** The check as reported, every string made visible (`status` is always a known one). */
  check: CheckResult;
  id: string;
  status: Status;
  section: string;
  sectionTitle: string;
  /** Measured values and thresholds as [label, value] text. */
  measured: [string, string][];
  thresholds: [string, string][];
}

export interface TallyItem {
  status: Status;
  count: number;
  /** `3 failed`, `1 warning`. */
  text: string;
}

export interface SectionView {
  key: string;
  title: string;
  checks: CheckView[];
  counts: Record<Status, number>;
  tally: TallyItem[];
}

export interface ReportView {
  /** The report with every string (and map key) made visible. */
  report: Report;
  /** A known verdict (a hand-edited report's unknown one reads as inconclusive). */
  verdict: Verdict;
  /** Every check in checklist order: by section (SECTIONS order, unknown sections last), then as reported. */
  checks: CheckView[];
  byId: Map<string, CheckView>;
  counts: Record<Status, number>;
  tally: TallyItem[];
  /** The sections that have checks, in checklist order. */
  sections: SectionView[];
  /** The diagnosis' primary check, when the report names one that it has. */
  primary: CheckView | null;
  /** The diagnosis' ranking resolved to checks, most likely first (the primary included). */
  ranked: CheckView[];
  /** `ranked` without the primary. */
  alsoFlagged: CheckView[];
  /** Failed, warning and could-not-run checks: by status (fail, warn, error), then checklist order. */
  open: CheckView[];
  /** Checks that could not run, in checklist order. */
  errors: CheckView[];
}

const MULTILINE = new Set(['tfjs', 'keras', 'modelJson']);

/**
 * `value` with every string and key made visible; objects and arrays are copied only where
 * something changed (the evidence's long numeric series are not). Loops over arrays of any
 * length; the nesting is bounded (a saved report is validated at most 64 levels deep).
 */
function visibleDeep(value: unknown, multiline: boolean): unknown {
  if (typeof value === 'string') return multiline ? visibleLines(value) : visible(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'number') continue;
      const w = visibleDeep(v, false);
      if (w !== v) {
        copy ??= value.slice();
        copy[i] = w;
      }
    }
    return copy ?? value;
  }
  // Entries are collected only once something changed (most objects are copied by reference);
  // Object.fromEntries defines keys as own properties, so a `__proto__` key stays a plain key.
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let entries: [string, unknown][] | null = null;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = obj[k];
    const key = visible(k);
    const w = visibleDeep(v, MULTILINE.has(k));
    if (!entries && (key !== k || w !== v))
      entries = keys.slice(0, i).map((p): [string, unknown] => [p, obj[p]]);
    entries?.push([key, w]);
  }
  return entries ? Object.fromEntries(entries) : value;
}

function countsOf(checks: readonly CheckView[]): Record<Status, number> {
  const counts: Record<Status, number> = { fail: 0, warn: 0, error: 0, pass: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return counts;
}

function tallyOf(counts: Record<Status, number>): TallyItem[] {
  return STATUS_ORDER.filter((s) => counts[s] > 0).map((s) => ({
    status: s,
    count: counts[s],
    text: `${counts[s]} ${STATUS_WORDS[s][counts[s] === 1 ? 0 : 1]}`,
  }));
}

/** `3 failed · 1 warning` (empty when no check ran). */
export function tallyText(tally: readonly TallyItem[]): string {
  return tally.map((t) => t.text).join(' · ');
}

function sectionTitle(section: string): string {
  return (SECTIONS as Record<string, string>)[section] ?? humanize(section);
}

function pairs(values: Record<string, unknown> | undefined): [string, string][] {
  return Object.entries(values ?? {}).map(([k, v]): [string, string] => [humanize(k), visible(fmtValue(v))]);
}

export function viewModel(original: Report): ReportView {
  const report = visibleDeep(original, false) as Report;
  // Known sections in SECTIONS order, then unknown ones (a hand-edited report) as they first appear.
  const sectionRank = new Map<string, number>(Object.keys(SECTIONS).map((k, i) => [k, i]));
  for (const c of report.checks)
    if (!sectionRank.has(c.section)) sectionRank.set(c.section, sectionRank.size);
  const rank = (s: string) => sectionRank.get(s) ?? 0;
  const views = report.checks.map(
    (c): CheckView => ({
      check: c,
      id: c.id,
      status: STATUS_LABEL[c.status] ? c.status : 'error',
      section: c.section,
      sectionTitle: sectionTitle(c.section),
      measured: pairs(c.measured),
      thresholds: pairs(c.thresholds),
    }),
  );
  // Sorted by section, stable within one (Array.prototype.sort is stable): checklist order.
  const checks = views
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c.section) - rank(b.c.section) || a.i - b.i)
    .map(({ c }) => c);
  const byId = new Map<string, CheckView>();
  for (const c of checks) if (!byId.has(c.id)) byId.set(c.id, c);

  const sections: SectionView[] = [];
  for (const c of checks) {
    let last = sections[sections.length - 1];
    if (!last || last.key !== c.section) {
      last = { key: c.section, title: c.sectionTitle, checks: [], counts: countsOf([]), tally: [] };
      sections.push(last);
    }
    last.checks.push(c);
  }
  for (const s of sections) {
    s.counts = countsOf(s.checks);
    s.tally = tallyOf(s.counts);
  }

  const counts = countsOf(checks);
  const primaryId = report.diagnosis?.primary;
  const primary = (primaryId && byId.get(primaryId)) || null;
  const ranked = (report.diagnosis?.ranked ?? [])
    .map((id) => byId.get(id))
    .filter((c): c is CheckView => c !== undefined);
  const order = (s: Status) => STATUS_ORDER.indexOf(s);
  const open = checks
    .filter((c) => c.status === 'fail' || c.status === 'warn' || c.status === 'error')
    .sort((a, b) => order(a.status) - order(b.status));
  return {
    report,
    verdict: VERDICT_LABEL[report.verdict] ? report.verdict : 'inconclusive',
    checks,
    byId,
    counts,
    tally: tallyOf(counts),
    sections,
    primary,
    ranked,
    alsoFlagged: ranked.filter((c) => c.id !== primaryId),
    open,
    errors: checks.filter((c) => c.status === 'error'),
  };
}
