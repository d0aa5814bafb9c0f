// A log directory read as a stream, so that memory is bounded by the largest job, not the folder
// (issue 23: thousands of runs, local or in object storage). Runs are read one experiment folder
// at a time (its train/validation sub-runs together) and handed to the caller as experiments,
// then dropped; the caller keeps what it needs (a verdict per experiment, the few it may detail).
//
// The cross-rank checks need every rank of a job side by side. The folders of one job are read
// one after another (a group), each rank boiled down to its telemetry (loss, weight norms, first
// NaN — ranks.ts) as it is read; at the end of the group the caller gets each rank's job, and the
// telemetry is dropped with the group. What stays for the whole folder is one small record per
// run (its read problems and restarts) and what the caller keeps.
import type { DistributedEvidence } from '../core/evidence.ts';
import { pushAll } from '../shared/array.ts';
import { type Experiment, experimentOf, groupExperiments } from './experiments.ts';
import type { FileProblem, RunSource } from './logdir.ts';
import {
  distributedJobs,
  type RankDigest,
  rankDigest,
  sourceRunOf,
  splitRankPath,
  splitRankTags,
} from './ranks.ts';
import type { RunData } from './run-data.ts';
import type { MappingResult } from './to-evidence.ts';

export interface StreamTotals {
  files: number;
  /** Bytes of event files consumed. */
  bytes: number;
  /** Records that verified (and decoded or not). */
  records: number;
  /** Damage found while reading, in run order. */
  problems: FileProblem[];
  /** One line per training restart (SessionLog START), in run order. */
  restarts: string[];
  /** Time spent reading and parsing event files. */
  readMs: number;
  /** Experiments that hold no value at all, in reading order. */
  empty: { name: string; runs: string[] }[];
}

export interface StreamHandler {
  /** An experiment that holds values, as soon as its runs are read: its mapping to evidence. */
  experiment(experiment: Experiment): MappingResult;
  /** The end of a group: each rank's experiment name → its job's ranks side by side (jobs of ≥ 2 ranks). */
  jobs(jobs: Map<string, DistributedEvidence>): void;
}

/**
 * The reading plan: run names grouped by experiment folder (a unit: `exp/train` and `exp/validation`
 * are read together), units grouped by the job they are a rank of (`job/rank_0`, `job/rank_1`…).
 * A job whose ranks are in the tags is one unit already.
 */
export function readingPlan(names: Iterable<string>): string[][][] {
  const units = new Map<string, string[]>();
  for (const name of names) {
    const unit = experimentOf(name);
    const list = units.get(unit) ?? [];
    list.push(name);
    units.set(unit, list);
  }
  const groups = new Map<string, string[][]>();
  for (const [unit, runs] of units) {
    const job = splitRankPath(unit)?.job ?? unit;
    const list = groups.get(job) ?? [];
    list.push(runs);
    groups.set(job, list);
  }
  return [...groups.values()];
}

const hasValues = (e: Experiment) => e.runs.some(({ run }) => run.values > 0);

interface PerRun {
  at: number;
  problems: FileProblem[];
  restarts: string[];
}

function restartLines(run: RunData): string[] {
  return run.restarts.map(
    (r) =>
      `run ${run.name}: training restarted at step ${r.step} (SessionLog START); ${r.discarded} values logged earlier at steps ≥ ${r.step} were discarded`,
  );
}

/** Reads every run of `source`, one unit at a time, handing each experiment to `handler`. */
export async function streamLogdir(source: RunSource, handler: StreamHandler): Promise<StreamTotals> {
  const order = new Map([...source.runs.keys()].map((name, i) => [name, i]));
  const totals: StreamTotals = {
    files: 0,
    bytes: 0,
    records: 0,
    problems: [],
    restarts: [],
    readMs: 0,
    empty: [],
  };
  const perRun: PerRun[] = [];
  const empty: { at: number; name: string; runs: string[] }[] = [];
  for (const group of readingPlan(source.runs.keys())) {
    const digests: { experiment: { name: string }; value: RankDigest }[] = [];
    for (const unit of group) {
      const runs: RunData[] = [];
      for (const name of unit) {
        const started = performance.now();
        const result = await source.read(name);
        totals.readMs += performance.now() - started;
        totals.files += source.runs.get(name) ?? 0;
        totals.bytes += result.bytes;
        totals.records += result.records;
        perRun.push({
          at: order.get(name) ?? 0,
          problems: result.problems,
          restarts: restartLines(result.run),
        });
        runs.push(result.run);
      }
      // Rank-tagged tags become one run per rank, so each rank is an experiment of its own.
      for (const experiment of groupExperiments(splitRankTags(runs))) {
        if (!hasValues(experiment)) {
          const at = order.get(sourceRunOf(experiment.runs[0].run)) ?? 0;
          empty.push({ at, name: experiment.name, runs: experiment.runs.map(({ run }) => run.name) });
          continue;
        }
        const mapped = handler.experiment(experiment);
        const digest = rankDigest(experiment, mapped.collected);
        if (digest) digests.push({ experiment: { name: experiment.name }, value: digest });
      }
    }
    handler.jobs(distributedJobs(digests));
  }
  perRun.sort((a, b) => a.at - b.at);
  for (const r of perRun) {
    pushAll(totals.problems, r.problems);
    pushAll(totals.restarts, r.restarts);
  }
  totals.empty = empty.sort((a, b) => a.at - b.at).map(({ name, runs }) => ({ name, runs }));
  return totals;
}
