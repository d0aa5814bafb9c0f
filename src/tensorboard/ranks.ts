// The ranks of a data-parallel job. Jobs write one sub-run per rank (`rank_0/`, `rank-1/`,
// `worker_2/`, `node0_gpu3/`, possibly above or below the train/validation phase folders), or put
// the rank in the tag (`loss/rank_1`, `rank1/loss`, `loss_rank1`). Tag-ranked runs are split into
// one virtual run per rank first (`splitRankTags`), so that both layouts reach the checks as one
// experiment per rank: every check runs on each rank as on any experiment, and the ranks of one
// job are put side by side as `evidence.distributed` for the cross-rank checks.
import type { DistributedEvidence, Evidence, RankTelemetry, Series } from '../core/evidence.ts';
import { type Collected, scalarsOf } from './collect.ts';
import type { Experiment } from './experiments.ts';
import { classifyHistogram } from './histogram-tags.ts';
import type { RunData, ScalarSeries } from './run-data.ts';
import { stepOrder, toSeries } from './series.ts';

/** A folder or tag segment that names a rank; `index` orders `node<N>_gpu<M>` labels. */
export interface RankLabel {
  label: string;
  /** Sort key: the rank number, or [node, gpu] for node/gpu labels. */
  key: number[];
}

const RANK_SEGMENT = /^(?:rank|worker|proc|process|replica|local_rank|gpu|device)[_-]?(\d+)$/i;
const NODE_GPU = /^node[_-]?(\d+)[_-](?:gpu|rank|local_rank|dev)[_-]?(\d+)$/i;
const TAG_SUFFIX = /^(.+?)[_.-](?:rank)[_-]?(\d+)$/i;

/** The rank a folder or tag segment names, else null. */
export function rankOfSegment(segment: string): RankLabel | null {
  const plain = RANK_SEGMENT.exec(segment);
  if (plain) return { label: segment, key: [Number(plain[1])] };
  const nodeGpu = NODE_GPU.exec(segment);
  if (nodeGpu) return { label: segment, key: [Number(nodeGpu[1]), Number(nodeGpu[2])] };
  return null;
}

/** A run or experiment name split into its rank segment (the last one) and the job it belongs to. */
export function splitRankPath(name: string): { job: string; rank: RankLabel } | null {
  if (name === '.') return null;
  const segments = name.split('/');
  for (let i = segments.length - 1; i >= 0; i--) {
    const rank = rankOfSegment(segments[i]);
    if (!rank) continue;
    const rest = [...segments.slice(0, i), ...segments.slice(i + 1)];
    return { job: rest.length ? rest.join('/') : '.', rank };
  }
  return null;
}

/** A tag with its rank taken out (`loss/rank_1` → `loss`, `loss_rank1` → `loss`), else null. */
export function splitRankTag(tag: string): { tag: string; rank: RankLabel } | null {
  const segments = tag.split('/');
  for (let i = segments.length - 1; i >= 0; i--) {
    const rank = rankOfSegment(segments[i]);
    if (rank && segments.length > 1) {
      return { tag: [...segments.slice(0, i), ...segments.slice(i + 1)].join('/'), rank };
    }
  }
  const last = segments[segments.length - 1];
  const suffix = TAG_SUFFIX.exec(last);
  if (suffix) {
    return {
      tag: [...segments.slice(0, -1), suffix[1]].join('/'),
      rank: { label: `rank_${suffix[2]}`, key: [Number(suffix[2])] },
    };
  }
  return null;
}

/** Virtual per-rank runs → the run they were split from (for "which runs changed" while watching). */
const SPLIT_FROM = new WeakMap<RunData, string>();

export function sourceRunOf(run: RunData): string {
  return SPLIT_FROM.get(run) ?? run.name;
}

/**
 * Runs whose tags carry ranks are split into one run per rank (`<run>/<rank label>`), the tags
 * with their rank taken out; tags without a rank stay in the run. Runs with no ranked tag, or with
 * one rank only, are returned as they are. The series are shared, not copied.
 */
export function splitRankTags(runs: RunData[]): RunData[] {
  const out: RunData[] = [];
  for (const run of runs) {
    const perRank = new Map<string, RunData>();
    const rest: RunData = { ...run, scalars: new Map(), histograms: new Map() };
    const place = <T>(kind: 'scalars' | 'histograms', tag: string, value: T) => {
      const split = splitRankTag(tag);
      if (!split) {
        (rest[kind] as Map<string, T>).set(tag, value);
        return;
      }
      let r = perRank.get(split.rank.label);
      if (!r) {
        r = {
          ...run,
          name: run.name === '.' ? split.rank.label : `${run.name}/${split.rank.label}`,
          scalars: new Map(),
          histograms: new Map(),
        };
        perRank.set(split.rank.label, r);
      }
      (r[kind] as Map<string, T>).set(split.tag, value);
    };
    for (const [tag, s] of run.scalars) place('scalars', tag, s);
    for (const [tag, h] of run.histograms) place('histograms', tag, h);
    if (perRank.size < 2) {
      out.push(run);
      continue;
    }
    if (rest.scalars.size + rest.histograms.size > 0) out.push(rest);
    for (const r of perRank.values()) {
      SPLIT_FROM.set(r, run.name);
      out.push(r);
    }
  }
  return out;
}

/** Whether the runs came out of `splitRankTags` (the rank was in the tags). */
export function fromTags(experiment: Experiment): boolean {
  return experiment.runs.some(({ run }) => SPLIT_FROM.has(run));
}

export interface RankMember<T, E extends { name: string } = Experiment> {
  experiment: E;
  rank: RankLabel;
  /** What the caller keeps with the experiment (its mapping, its report). */
  value: T;
}

/** Experiments grouped by job: only jobs with ≥ 2 ranks, ranks ordered. */
export function rankJobs<T, E extends { name: string } = Experiment>(
  entries: { experiment: E; value: T }[],
): Map<string, RankMember<T, E>[]> {
  const jobs = new Map<string, RankMember<T, E>[]>();
  for (const e of entries) {
    const split = splitRankPath(e.experiment.name);
    if (!split) continue;
    const list = jobs.get(split.job) ?? [];
    list.push({ ...e, rank: split.rank });
    jobs.set(split.job, list);
  }
  for (const [job, list] of jobs) {
    if (list.length < 2) jobs.delete(job);
    else list.sort((a, b) => compareKeys(a.rank.key, b.rank.key));
  }
  return jobs;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

const WEIGHT_NORM = /^weight_norm\/(.+)$/;

/** Layer of a parameter name (`module.fc1.weight` → `fc1`: DDP's `module.` prefix is dropped). */
export function layerOf(weight: string): string {
  const name = weight.replace(/^module[./]/, '');
  const cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('/'));
  return cut > 0 ? name.slice(0, cut) : name;
}

const canonical = (weight: string) => weight.replace(/^module[./]/, '');

function plain(logged: ScalarSeries): Series {
  return toSeries(logged);
}

/** One rank's telemetry from its experiment's runs and their mapping. */
export function rankTelemetry(
  rank: number,
  label: string,
  experiment: Experiment,
  collected: Collected,
): RankTelemetry {
  const lossCand = scalarsOf(collected, 'train', 'loss')[0];
  let loss: Series | undefined;
  let lossWallTimes: number[] | undefined;
  if (lossCand) {
    const order = stepOrder(lossCand.logged.steps);
    loss = {
      steps: order.map((i) => lossCand.logged.steps[i]),
      values: order.map((i) => lossCand.logged.values[i]),
    };
    lossWallTimes = order.map((i) => lossCand.logged.wallTimes[i]);
  }
  // The first NaN/Inf among every scalar of the rank (loss, gradient norms, weight norms…).
  let nonFinite: RankTelemetry['nonFinite'] = null;
  const norms = new Map<string, RankTelemetry['weightNorms'][number]>();
  for (const { run } of experiment.runs) {
    for (const [tag, s] of run.scalars) {
      for (let i = 0; i < s.values.length; i++) {
        if (Number.isFinite(s.values[i])) continue;
        // At a tie the loss is named: it is what the rank's own data made non-finite.
        const isLoss = lossCand !== undefined && s === lossCand.logged;
        if (!nonFinite || s.steps[i] < nonFinite.step || (s.steps[i] === nonFinite.step && isLoss))
          nonFinite = { step: s.steps[i], tag };
        break;
      }
      const w = WEIGHT_NORM.exec(tag);
      if (w && !norms.has(canonical(w[1]))) {
        const series = plain(s);
        norms.set(canonical(w[1]), { weight: canonical(w[1]), layer: layerOf(w[1]), ...series });
      }
    }
  }
  // Without logged norms, the weight histograms' sum of squares gives the same L2 norm.
  if (norms.size === 0) {
    for (const { run } of experiment.runs) {
      for (const [tag, h] of run.histograms) {
        const meaning = classifyHistogram(tag);
        if (meaning?.type !== 'param' || meaning.of !== 'value') continue;
        const weight = canonical(meaning.param.weight);
        if (norms.has(weight)) continue;
        const order = stepOrder(h.steps);
        norms.set(weight, {
          weight,
          layer: layerOf(meaning.param.weight) || meaning.param.layer,
          steps: order.map((i) => h.steps[i]),
          values: order.map((i) => Math.sqrt(h.sumSquares[i])),
        });
      }
    }
  }
  return {
    rank,
    label,
    ...(loss ? { loss, lossWallTimes } : {}),
    nonFinite,
    weightNorms: [...norms.values()],
  };
}

/** What a rank contributes to its job's evidence: its telemetry, and whether its rank was in the tags. */
export interface RankDigest {
  telemetry: RankTelemetry;
  fromTags: boolean;
}

/** One rank's digest (its telemetry numbered by position until its job is known). */
export function rankDigest(experiment: Experiment, collected: Collected): RankDigest | null {
  const split = splitRankPath(experiment.name);
  if (!split) return null;
  return {
    telemetry: rankTelemetry(split.rank.key[0], split.rank.label, experiment, collected),
    fromTags: fromTags(experiment),
  };
}

/** The jobs among ranks' digests: experiment name → its job's ranks side by side (jobs of ≥ 2 ranks). */
export function distributedJobs(
  entries: { experiment: { name: string }; value: RankDigest }[],
): Map<string, DistributedEvidence> {
  const out = new Map<string, DistributedEvidence>();
  for (const members of rankJobs(entries).values()) {
    const distributed: DistributedEvidence = {
      layout: members.some((m) => m.value.fromTags) ? 'tags' : 'runs',
      ranks: members.map((m, i) => ({
        ...m.value.telemetry,
        rank: m.rank.key.length === 1 ? m.rank.key[0] : i,
      })),
    };
    for (const m of members) out.set(m.experiment.name, distributed);
  }
  return out;
}

/** Puts a job's ranks on a rank's evidence, replacing the "one rank" skip reason of to-evidence. */
export function attachJob(evidence: Evidence, distributed: DistributedEvidence): void {
  evidence.distributed = distributed;
  if (evidence.unavailable) delete evidence.unavailable.distributed;
}

/**
 * Puts the ranks of each job side by side on every rank's evidence (`evidence.distributed`); an
 * experiment that is no rank of a multi-rank job keeps the "one rank" skip reason of to-evidence.
 */
export function attachDistributed(
  entries: { experiment: Experiment; value: { evidence: Evidence; collected: Collected } }[],
): void {
  const digests = entries.flatMap(({ experiment, value }) => {
    const digest = rankDigest(experiment, value.collected);
    return digest ? [{ experiment, value: digest }] : [];
  });
  const jobs = distributedJobs(digests);
  for (const { experiment, value } of entries) {
    const job = jobs.get(experiment.name);
    if (job) attachJob(value.evidence, job);
  }
}
