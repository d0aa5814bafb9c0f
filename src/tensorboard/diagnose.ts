// `nn-doctor diagnose LOGDIR`: TensorBoard event files → evidence → the same checks and report as
// `check`. Bad input (no such folder, no event files, a bad --map) is a UsageError naming the path
// or flag; damaged files are not: what can be read is used and the damage is reported in
// report.warnings with the file and byte offset.
//
// A log directory may hold several experiments (run folders with their train/validation
// sub-runs). Each is diagnosed; the report details the most recently written one that the checks
// could judge (not inconclusive) — else the most recent with any value — and lists every
// experiment with its own verdict and the reason for the choice (report.logs).
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import type { LogExperiment, LogTag, Report } from '../core/report.ts';
import { buildReport, checksWith, type ExtraCheck } from '../registry.ts';
import { pushAll } from '../shared/array.ts';
import { type Experiment, groupExperiments, withValues } from './experiments.ts';
import { type FileProblem, findRuns, type LogdirData, readLogdir } from './logdir.ts';
import { readObjectLogdir } from './object-logdir.ts';
import { isObjectUrl, openObjectStore } from './object-store.ts';
import { attachDistributed, splitRankTags } from './ranks.ts';
import { type MapEntry, parseMap } from './roles.ts';
import { explainSkips } from './skip-reasons.ts';
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
  // A rank's own verdict is its own checks; the cross-rank ones judge the job, in the detailed report.
  const skip = mapped.evidence.distributed ? [...(options.skip ?? []), 'distributed/'] : options.skip;
  const report = buildReport({
    checks: checksWith(options.extraChecks),
    evidence: mapped.evidence,
    options: { only: options.only, skip },
    backend: null,
    createdAt: options.createdAt,
  });
  report.checks = explainSkips(report.checks, mapped);
  return { experiment, name, mapped, report };
}

const wallIso = (t: number): string | null => (t > 0 ? new Date(t * 1000).toISOString() : null);

function summaryOf(d: Diagnosed, diagnosed: boolean): LogExperiment {
  return {
    name: d.name,
    runs: d.experiment.runs.map(({ run }) => run.name),
    lastWritten: wallIso(d.experiment.lastWallTime),
    verdict: d.report.verdict,
    primary: d.report.diagnosis.primary,
    checksRun: d.report.checks.filter(
      (c) => c.status === 'pass' || c.status === 'warn' || c.status === 'fail',
    ).length,
    diagnosed,
  };
}

/** The experiment to detail, and why: the newest the checks could judge, else the newest with any tag used. */
function choose(all: Diagnosed[]): { chosen: Diagnosed; because: string } {
  if (all.length === 1)
    return { chosen: all[0], because: 'the only experiment in the log directory that holds values' };
  const judged = all.findIndex((d) => d.report.verdict !== 'inconclusive');
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
  const withTags = all.findIndex((d) => d.mapped.summary.seen.some((t) => t.recognized));
  const i = Math.max(0, withTags);
  return {
    chosen: all[i],
    because:
      i === 0
        ? `the most recently written of ${all.length} experiments; none holds anything the checks could judge`
        : `the most recently written of ${all.length} experiments with a tag nn-doctor recognizes; none holds anything the checks could judge`,
  };
}

function readLocal(logdir: string): LogdirData {
  let isDir: boolean;
  try {
    isDir = statSync(logdir).isDirectory();
  } catch {
    throw new UsageError(`${logdir}: no such directory`);
  }
  if (!isDir) throw new UsageError(`${logdir}: not a directory (diagnose takes a TensorBoard log directory)`);
  if (findRuns(logdir).size === 0) {
    throw new UsageError(
      `${logdir}: no TensorBoard event files (events.out.tfevents.*) in it or its subfolders`,
    );
  }
  return readLogdir(logdir);
}

/** `s3://bucket/prefix` (object-store.ts): the same LogdirData, read one run at a time. */
async function readStored(url: string, options: DiagnoseOptions): Promise<LogdirData> {
  const store = await openObjectStore(url, { endpoint: options.endpoint });
  const runs = await store.listRuns();
  if (runs.size === 0)
    throw new UsageError(`${url}: no TensorBoard event files (events.out.tfevents.*) under this prefix`);
  return readObjectLogdir(store, runs);
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
  const data = isObjectUrl(logdir) ? await readStored(logdir, options) : readLocal(logdir);
  const readMs = performance.now() - startedAt;
  const warnings = problemWarnings(data.problems);
  for (const run of data.runs) {
    for (const r of run.restarts) {
      warnings.push(
        `run ${run.name}: training restarted at step ${r.step} (SessionLog START); ${r.discarded} values logged earlier at steps ≥ ${r.step} were discarded`,
      );
    }
  }
  // Rank-tagged tags become one run per rank, so each rank is an experiment of its own.
  const experiments = groupExperiments(splitRankTags(data.runs));
  const candidates = withValues(experiments);
  if (candidates.length === 0) {
    const first = warnings[0] ? `; ${warnings[0]}` : '';
    throw new UsageError(
      `${logdir}: ${data.files} event file(s) but no scalar or histogram summaries could be read from them${first}`,
    );
  }

  const mapStarted = performance.now();
  // --map entries are checked against every experiment: one that matches no tag anywhere is noted.
  const mappedAll = candidates.map((experiment) => ({ experiment, value: mapOne(experiment, logdir, map) }));
  // The ranks of a data-parallel job, side by side on each rank's evidence (ranks.ts).
  attachDistributed(mappedAll);
  const all = mappedAll.map(({ experiment, value }) => diagnoseOne(experiment, value, logdir, options));
  const choice = choose(all);
  const { chosen } = choice;
  const emptyCount = experiments.length - candidates.length;
  const because =
    emptyCount > 0
      ? `${choice.because} (${emptyCount} more hold${emptyCount === 1 ? 's' : ''} no value at all)`
      : choice.because;
  const mapMs = performance.now() - mapStarted;
  const unmatched = (entry: MapEntry) => all.every((d) => d.mapped.unmatchedMap.includes(entry));
  pushAll(warnings, chosen.mapped.warnings);
  for (const entry of map)
    if (unmatched(entry))
      warnings.push(`--map ${entry.tag}=${entry.role}: no tag '${entry.tag}' in the logs`);
  const empty = experiments.filter((e) => !candidates.includes(e));

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
    probeTimings: { 'read-event-files': readMs, 'map-evidence': mapMs },
    startedAt,
    createdAt: options.createdAt,
  });
  report.checks = explainSkips(report.checks, chosen.mapped);
  report.logs = {
    experiment: chosen.name,
    chosenBecause: because,
    experiments: [
      ...all.map((d) => summaryOf(d, d === chosen)),
      ...empty.map((e) => ({
        name: e.name,
        runs: e.runs.map(({ run }) => run.name),
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
