// `nn-doctor diagnose LOGDIR`: TensorBoard event files → evidence → the same checks and report as
// `check`. Bad input (no such folder, no event files, a bad --map) is a UsageError naming the path
// or flag; damaged files are not: what can be read is used and the damage is reported in
// report.warnings with the file and byte offset.
//
// A log directory may hold several experiments (run folders with their train/validation
// sub-runs). Each is diagnosed; the report details the most recently written one that the checks
// could judge (not inconclusive) — else the most recent with any value — and lists every
// experiment with its own verdict and the reason for the choice (report.logs).
//
// The folder is streamed (stream-logdir.ts): each experiment is judged as soon as its runs are
// read and only its verdict is kept, with the few experiments the choice may still fall on (the
// newest, the newest the checks could judge, the newest with a recognized tag), so memory is
// bounded by the largest job, not by the number of runs.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import type { DistributedEvidence } from '../core/evidence.ts';
import type { LogExperiment, LogTag, Report } from '../core/report.ts';
import { buildReport, checksWith, type ExtraCheck } from '../registry.ts';
import { pushAll } from '../shared/array.ts';
import type { Experiment } from './experiments.ts';
import { type FileProblem, localRunSource, type RunSource } from './logdir.ts';
import { objectRunSource } from './object-logdir.ts';
import { isObjectUrl, openObjectStore } from './object-store.ts';
import { attachJob } from './ranks.ts';
import { type MapEntry, parseMap } from './roles.ts';
import { explainSkips } from './skip-reasons.ts';
import { streamLogdir } from './stream-logdir.ts';
import { type MappingResult, toEvidence } from './to-evidence.ts';

export interface DiagnoseOptions {
  /** Explicit tag meanings, TAG → ROLE (see roles.ts). */
  map?: Record<string, string>;
  /** Run only / skip these check ids or section prefixes. */
  only?: string[];
  skip?: string[];
  /** Checks of your own, run after the built-in ones (docs/library.md, "Checks of your own"). */
  extraChecks?: ExtraCheck[];
  /** Report creation time (for reproducible tests). */
  createdAt?: Date;
  /** S3-compatible endpoint for an `s3://` log directory (object-store.ts). */
  endpoint?: string;
}

/** Detailed problem lines per file before the rest are summed up in one line. */
const PROBLEMS_PER_FILE = 10;

function problemWarnings(problems: FileProblem[]): string[] {
  const byFile = new Map<string, FileProblem[]>();
  for (const p of problems) {
    const list = byFile.get(p.file);
    if (list) list.push(p);
    else byFile.set(p.file, [p]);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    for (const p of list.slice(0, PROBLEMS_PER_FILE)) out.push(`${file} at byte ${p.offset}: ${p.message}`);
    if (list.length > PROBLEMS_PER_FILE) {
      const rest = list.slice(PROBLEMS_PER_FILE);
      const count = rest.reduce((n, p) => n + (p.count ?? 1), 0);
      const last = rest[rest.length - 1];
      out.push(
        `${file}: ${count} more damaged records between bytes ${rest[0].offset} and ${last.until ?? last.offset} (skipped)`,
      );
    }
  }
  return out;
}

interface Diagnosed {
  experiment: Experiment;
  /** The experiment's name as the user knows it: its folder's (the log directory's own for '.'). */
  name: string;
  mapped: MappingResult;
  report: Report;
}

/** The experiment's name as the user knows it: its folder's (the log directory's own for '.'). */
const shownName = (experiment: Experiment, logdir: string): string =>
  experiment.name === '.' ? basename(resolve(logdir)) : experiment.name;

function mapOne(experiment: Experiment, logdir: string, map: MapEntry[]): MappingResult {
  return toEvidence(experiment, { map, name: shownName(experiment, logdir) });
}

function diagnoseOne(
  experiment: Experiment,
  mapped: MappingResult,
  logdir: string,
  options: DiagnoseOptions,
): Diagnosed {
  const name = shownName(experiment, logdir);
  // A rank's own verdict is its own checks: its job's ranks are attached to its evidence after
  // (at the end of the job's runs), and the cross-rank checks judge the job in the detailed report.
  const report = buildReport({
    checks: checksWith(options.extraChecks),
    evidence: mapped.evidence,
    options: { only: options.only, skip: options.skip },
    backend: null,
    createdAt: options.createdAt,
  });
  report.checks = explainSkips(report.checks, mapped);
  return { experiment, name, mapped, report };
}

const wallIso = (t: number): string | null => (t > 0 ? new Date(t * 1000).toISOString() : null);

/** What is kept of every experiment once judged: its line under Logs and what the choice needs. */
interface Judged {
  name: string;
  runs: string[];
  lastWallTime: number;
  verdict: Report['verdict'];
  primary: Report['diagnosis']['primary'];
  checksRun: number;
  /** It holds a tag nn-doctor recognizes. */
  recognized: boolean;
  unmatchedMap: MapEntry[];
  /** Reading order. */
  seq: number;
}

function judgedOf(d: Diagnosed, seq: number): Judged {
  return {
    seq,
    name: d.name,
    runs: d.experiment.runs.map(({ run }) => run.name),
    lastWallTime: d.experiment.lastWallTime,
    verdict: d.report.verdict,
    primary: d.report.diagnosis.primary,
    checksRun: d.report.checks.filter(
      (c) => c.status === 'pass' || c.status === 'warn' || c.status === 'fail',
    ).length,
    recognized: d.mapped.summary.seen.some((t) => t.recognized),
    unmatchedMap: d.mapped.unmatchedMap,
  };
}

function summaryOf(j: Judged, diagnosed: boolean): LogExperiment {
  const { name, runs, verdict, primary, checksRun } = j;
  return { name, runs, lastWritten: wallIso(j.lastWallTime), verdict, primary, checksRun, diagnosed };
}

/**
 * Most recently written first (then by name, then reading order): the order experiments are listed
 * and chosen in. A strict order, so that the candidates kept while streaming are the ones `choose`
 * picks from the sorted list, even for two experiments of one name.
 */
const newerFirst = (a: Judged, b: Judged): number =>
  b.lastWallTime - a.lastWallTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.seq - b.seq);

/**
 * The experiments `choose` may fall on, kept whole while the folder streams: the newest, the newest
 * the checks could judge, the newest with a recognized tag (at most three at a time).
 */
class Candidates {
  private readonly slots = new Map<'any' | 'judged' | 'recognized', { judged: Judged; full: Diagnosed }>();

  offer(judged: Judged, full: Diagnosed): void {
    const fits = { any: true, judged: judged.verdict !== 'inconclusive', recognized: judged.recognized };
    for (const slot of ['any', 'judged', 'recognized'] as const) {
      const held = this.slots.get(slot);
      if (fits[slot] && (!held || newerFirst(judged, held.judged) < 0))
        this.slots.set(slot, { judged, full });
    }
  }

  /** The end of a job's runs: its ranks side by side on the evidence of those kept. */
  attachJobs(jobs: Map<string, DistributedEvidence>): void {
    for (const { full } of this.slots.values()) {
      const job = jobs.get(full.experiment.name);
      if (job && !full.mapped.evidence.distributed) attachJob(full.mapped.evidence, job);
    }
  }

  full(judged: Judged): Diagnosed {
    for (const held of this.slots.values()) if (held.judged === judged) return held.full;
    throw new Error(`internal: experiment '${judged.name}' was chosen but not kept`);
  }
}

/** The experiment to detail, and why: the newest the checks could judge, else the newest with any tag used. */
function choose(all: Judged[]): { chosen: Judged; because: string } {
  if (all.length === 1)
    return { chosen: all[0], because: 'the only experiment in the log directory that holds values' };
  const judged = all.findIndex((d) => d.verdict !== 'inconclusive');
  const newer = (i: number) => all.slice(0, i).map((d) => `'${d.name}'`);
  const list = (names: string[]) =>
    names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  if (judged === 0)
    return { chosen: all[0], because: `the most recently written of ${all.length} experiments` };
  if (judged > 0) {
    return {
      chosen: all[judged],
      because: `the most recently written of ${all.length} experiments that the checks could judge; newer ${list(newer(judged))} ${judged === 1 ? 'holds' : 'hold'} nothing they could judge`,
    };
  }
  const withTags = all.findIndex((d) => d.recognized);
  const i = Math.max(0, withTags);
  return {
    chosen: all[i],
    because:
      i === 0
        ? `the most recently written of ${all.length} experiments; none holds anything the checks could judge`
        : `the most recently written of ${all.length} experiments with a tag nn-doctor recognizes; none holds anything the checks could judge`,
  };
}

function localSource(logdir: string): RunSource {
  let isDir: boolean;
  try {
    isDir = statSync(logdir).isDirectory();
  } catch {
    throw new UsageError(`${logdir}: no such directory`);
  }
  if (!isDir) throw new UsageError(`${logdir}: not a directory (diagnose takes a TensorBoard log directory)`);
  const source = localRunSource(logdir);
  if (source.runs.size === 0) {
    throw new UsageError(
      `${logdir}: no TensorBoard event files (events.out.tfevents.*) in it or its subfolders`,
    );
  }
  return source;
}

/** `s3://bucket/prefix` (object-store.ts): the same runs, each read when its turn comes. */
async function storedSource(url: string, options: DiagnoseOptions): Promise<RunSource> {
  const store = await openObjectStore(url, { endpoint: options.endpoint });
  const runs = await store.listRuns();
  if (runs.size === 0)
    throw new UsageError(`${url}: no TensorBoard event files (events.out.tfevents.*) under this prefix`);
  return objectRunSource(store, runs);
}

/** The experiment's tags; on a rank of a job, its `weight_norm/<param>` scalars are used (replica divergence reads them). */
function rankTags(mapped: MappingResult): { used: LogTag[]; unused: LogTag[] } {
  const { used, unused } = mapped.tags;
  if (!mapped.evidence.distributed) return { used, unused };
  const isNorm = (t: LogTag) => t.kind === 'scalar' && t.tag.startsWith('weight_norm/');
  return {
    used: [
      ...used,
      ...unused.filter(isNorm).map(({ map: _map, ...t }) => ({
        ...t,
        as: `weight norm of ${t.tag.slice('weight_norm/'.length)} (compared across ranks)`,
      })),
    ],
    unused: unused.filter((t) => !isNorm(t)),
  };
}

export async function diagnoseLogdir(
  logdir: string,
  options: DiagnoseOptions = {},
): Promise<{ report: Report }> {
  const startedAt = performance.now();
  const map = parseMap(options.map);
  checksWith(options.extraChecks); // a bad extra check is a usage error before anything is read
  const source = isObjectUrl(logdir) ? await storedSource(logdir, options) : localSource(logdir);
  const judged: Judged[] = [];
  const candidates = new Candidates();
  let mapMs = 0;
  const data = await streamLogdir(source, {
    experiment(experiment) {
      const started = performance.now();
      // --map entries are checked against every experiment: one that matches no tag anywhere is noted.
      const diagnosed = diagnoseOne(experiment, mapOne(experiment, logdir, map), logdir, options);
      const j = judgedOf(diagnosed, judged.length);
      judged.push(j);
      candidates.offer(j, diagnosed);
      mapMs += performance.now() - started;
      return diagnosed.mapped;
    },
    // The ranks of a data-parallel job, side by side on each rank's evidence (ranks.ts).
    jobs: (jobs) => candidates.attachJobs(jobs),
  });
  const warnings = problemWarnings(data.problems);
  pushAll(warnings, data.restarts);
  const all = judged.sort(newerFirst);
  if (all.length === 0) {
    const first = warnings[0] ? `; ${warnings[0]}` : '';
    throw new UsageError(
      `${logdir}: ${data.files} event file(s) but no scalar or histogram summaries could be read from them${first}`,
    );
  }

  const choice = choose(all);
  const chosen = candidates.full(choice.chosen);
  const emptyCount = data.empty.length;
  const because =
    emptyCount > 0
      ? `${choice.because} (${emptyCount} more hold${emptyCount === 1 ? 's' : ''} no value at all)`
      : choice.because;
  const unmatched = (entry: MapEntry) => all.every((j) => j.unmatchedMap.includes(entry));
  pushAll(warnings, chosen.mapped.warnings);
  for (const entry of map)
    if (unmatched(entry))
      warnings.push(`--map ${entry.tag}=${entry.role}: no tag '${entry.tag}' in the logs`);

  const report = buildReport({
    checks: checksWith(options.extraChecks),
    evidence: chosen.mapped.evidence,
    options: { only: options.only, skip: options.skip },
    settings: {
      command: 'diagnose',
      logdir,
      map: options.map ?? {},
      tensorboard: {
        files: data.files,
        bytes: data.bytes,
        records: data.records,
        experiment: chosen.name,
        runs: chosen.mapped.summary.runs,
      },
    },
    backend: null,
    warnings,
    probeTimings: { 'read-event-files': data.readMs, 'map-evidence': mapMs },
    startedAt,
    createdAt: options.createdAt,
  });
  report.checks = explainSkips(report.checks, chosen.mapped);
  report.logs = {
    experiment: chosen.name,
    chosenBecause: because,
    experiments: [
      ...all.map((j) => summaryOf(j, j === choice.chosen)),
      ...data.empty.map((e) => ({
        name: e.name,
        runs: e.runs,
        lastWritten: null,
        verdict: 'inconclusive' as const,
        primary: null,
        checksRun: 0,
        diagnosed: false,
      })),
    ],
    ...rankTags(chosen.mapped),
    notes: chosen.mapped.summary.notes,
  };
  const unused = chosen.mapped.tags.unused;
  if (report.verdict === 'inconclusive' && unused.length > 0) {
    const maps = [...new Set(unused.flatMap((t) => (t.map ? [t.map] : [])))];
    report.diagnosis.summary += ` ${unused.length} tag${unused.length === 1 ? ' was' : 's were'} not read (listed under Logs)${maps.length ? `; ${maps.join(' ')} would read ${maps.length === 1 ? 'it' : 'them'}` : ''}.`;
  }
  return { report };
}
