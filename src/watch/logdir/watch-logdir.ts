// `nn-doctor watch LOGDIR`: the checks of `diagnose`, run again as a job writes its TensorBoard
// logs. Each poll reads what was appended (tail.ts), maps every experiment that changed to evidence
// (the same mapping as diagnose) and evaluates the checks live (live-checks.ts): each finding is
// printed once, when it becomes conclusive, with its step. Watching ends on the abort signal
// (SIGINT/SIGTERM in the CLI) or after `idleTimeoutS` seconds without a new record; the report at
// the end is diagnose's report of the whole log, with the findings raised live.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import type { Evidence } from '../../core/evidence.ts';
import type { LiveFinding, Report } from '../../core/report.ts';
import { diagnoseLogdir } from '../../tensorboard/diagnose.ts';
import { type Experiment, groupExperiments, withValues } from '../../tensorboard/experiments.ts';
import { isObjectUrl, openObjectStore } from '../../tensorboard/object-store.ts';
import {
  attachDistributed,
  rankJobs,
  sourceRunOf,
  splitRankPath,
  splitRankTags,
} from '../../tensorboard/ranks.ts';
import { parseMap } from '../../tensorboard/roles.ts';
import type { RunData } from '../../tensorboard/run-data.ts';
import { toEvidence } from '../../tensorboard/to-evidence.ts';
import { progressOf } from '../conclusive.ts';
import { LiveChecks } from '../live-checks.ts';
import { ObjectTailIO } from './object-tail.ts';
import { LogdirTail } from './tail.ts';

export interface WatchLogdirOptions {
  map?: Record<string, string>;
  only?: string[];
  skip?: string[];
  /** Milliseconds between polls (default 1000). */
  pollMs?: number;
  /** Stop after this many seconds without a new record (default: never). */
  idleTimeoutS?: number;
  /** S3-compatible endpoint for an `s3://` log directory. */
  endpoint?: string;
  /** Stops watching (the report is still written). */
  signal?: AbortSignal;
  onFinding?: (finding: LiveFinding, experiment: string) => void;
  /** A line worth telling the user: a new run, a restart, a damaged record. */
  onNote?: (line: string) => void;
  /** After each poll that read something: the experiment most recently written and its evidence. */
  onUpdate?: (state: LiveState) => void;
}

export interface LiveState {
  experiment: string;
  evidence: Evidence;
  step: number;
  findings: LiveFinding[];
  /** Wall time of the newest value (seconds since the epoch). */
  lastWallTime: number;
}

/** Latest step logged in an experiment's runs. */
function lastStep(experiment: Experiment): number {
  let step = -1;
  for (const { run } of experiment.runs) {
    for (const s of run.scalars.values())
      if (s.steps.length) step = Math.max(step, s.steps[s.steps.length - 1]);
    for (const h of run.histograms.values())
      if (h.steps.length) step = Math.max(step, h.steps[h.steps.length - 1]);
  }
  return step;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((done) => {
    if (signal?.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      done();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });

/**
 * The object store's reader for `s3://bucket/prefix` (the tail reads what each poll's ranged GETs
 * fetched, object-tail.ts); null for a local folder, which must exist.
 */
async function openWatched(logdir: string, options: WatchLogdirOptions): Promise<ObjectTailIO | null> {
  if (isObjectUrl(logdir))
    return new ObjectTailIO(await openObjectStore(logdir, { endpoint: options.endpoint }));
  let isDir: boolean;
  try {
    isDir = statSync(logdir).isDirectory();
  } catch {
    throw new UsageError(`${logdir}: no such directory (create it, or start the training job first)`);
  }
  if (!isDir) throw new UsageError(`${logdir}: not a directory (watch takes a TensorBoard log directory)`);
  return null;
}

export async function watchLogdir(
  logdir: string,
  options: WatchLogdirOptions = {},
): Promise<{ report: Report }> {
  const objects = await openWatched(logdir, options);
  const map = parseMap(options.map);
  const runOptions = { only: options.only, skip: options.skip };
  const tail = new LogdirTail(logdir, objects ?? undefined);
  const live = new Map<string, LiveChecks>();
  const findings: { finding: LiveFinding; experiment: string }[] = [];
  const startedAt = Date.now();
  const pollMs = options.pollMs ?? 1000;
  let lastData = Date.now();
  let sawFiles = false;

  const evaluate = (runs: RunData[], changed: Set<string>) => {
    const experiments = withValues(groupExperiments(splitRankTags(runs)));
    // The experiments that changed, with the other ranks of their jobs (ranks.ts compares them).
    const isChanged = (e: Experiment) => e.runs.some(({ run }) => changed.has(sourceRunOf(run)));
    const jobOf = (e: Experiment) => splitRankPath(e.name)?.job;
    const jobs = new Set(experiments.filter(isChanged).map(jobOf));
    const entries = experiments
      .filter((e) => isChanged(e) || (jobOf(e) !== undefined && jobs.has(jobOf(e))))
      .map((experiment) => {
        const name = experiment.name === '.' ? basename(resolve(logdir)) : experiment.name;
        return { experiment, value: toEvidence(experiment, { map, name }) };
      });
    attachDistributed(entries);
    const firstRanks = new Set([...rankJobs(entries).values()].map((m) => m[0].experiment.name));
    for (const { experiment, value: mapped } of entries) {
      // A rank that did not change is evaluated too: the other ranks' new values are its evidence.
      let checks = live.get(experiment.name);
      if (!checks) {
        // The cross-rank checks are raised once per job, on its first rank.
        const others = mapped.evidence.distributed && !firstRanks.has(experiment.name);
        checks = new LiveChecks({
          ...runOptions,
          skip: others ? [...(runOptions.skip ?? []), 'distributed/'] : runOptions.skip,
          startedAt,
        });
        live.set(experiment.name, checks);
      }
      const probes = Math.max(0, ...mapped.collected.activations.map((a) => a.hist.steps.length));
      const step = lastStep(experiment);
      for (const f of checks.evaluate(mapped.evidence, progressOf(mapped.evidence, step, probes))) {
        findings.push({ finding: f, experiment: experiment.name });
        options.onFinding?.(f, experiment.name);
      }
      if (experiment === experiments[0])
        options.onUpdate?.({
          experiment: experiment.name,
          evidence: mapped.evidence,
          step,
          findings: checks.findings,
          lastWallTime: experiment.lastWallTime,
        });
    }
  };

  for (;;) {
    if (objects) await objects.prefetch((key) => tail.offsetOf(key));
    const polled = tail.poll();
    if (polled.newFiles.length) sawFiles = true;
    for (const run of polled.newRuns) options.onNote?.(`new run: ${run}`);
    for (const { run, restart } of polled.restarts)
      options.onNote?.(
        `run ${run}: training restarted at step ${restart.step} (SessionLog START); ${restart.discarded} values logged earlier at steps ≥ ${restart.step} discarded`,
      );
    for (const p of polled.problems) options.onNote?.(`${p.file} at byte ${p.offset}: ${p.message}`);
    if (polled.bytes > 0) {
      lastData = Date.now();
      evaluate(tail.runData, new Set(polled.changedRuns));
    }
    if (options.signal?.aborted) break;
    const idleS = (Date.now() - lastData) / 1000;
    if (options.idleTimeoutS !== undefined && idleS >= options.idleTimeoutS) {
      options.onNote?.(`no new record for ${options.idleTimeoutS} s: stopping`);
      break;
    }
    await sleep(pollMs, options.signal);
  }

  if (!sawFiles)
    throw new UsageError(
      `${logdir}: no TensorBoard event files (events.out.tfevents.*) appeared while watching`,
    );
  const { report } = await diagnoseLogdir(logdir, {
    map: options.map,
    only: options.only,
    skip: options.skip,
    endpoint: options.endpoint,
  });
  const chosen = report.logs?.experiment;
  // diagnose names an experiment in the log directory itself ('.') after the directory.
  const shown = (name: string) => (name === '.' ? basename(resolve(logdir)) : name);
  // The cross-rank findings were raised on the job's first rank: they belong to every rank's report.
  const job = chosen === undefined ? undefined : splitRankPath(chosen)?.job;
  const mine = findings.filter(
    (f) =>
      shown(f.experiment) === chosen ||
      (job !== undefined &&
        f.finding.id.startsWith('distributed/') &&
        splitRankPath(f.experiment)?.job === job),
  );
  report.settings = {
    ...report.settings,
    command: 'watch',
    pollMs,
    idleTimeoutS: options.idleTimeoutS ?? null,
  };
  report.watch = {
    source: 'tensorboard',
    steps: Math.max(
      0,
      ...mine.map((f) => f.finding.step + 1),
      (report.evidence.training?.loss.steps.at(-1) ?? -1) + 1,
    ),
    findings: mine.map((f) => f.finding),
  };
  return { report };
}
