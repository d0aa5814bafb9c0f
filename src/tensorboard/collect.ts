// What each tag of an experiment means (an explicit --map entry, else the conventions of tags.ts),
// grouped for the evidence builders: scalar candidates per role and phase, parameters with their
// value/gradient/update histograms, activation histograms per layer.

import type { Experiment } from './experiments.ts';
import { classifyHistogram } from './histogram-tags.ts';
import { type MapEntry, parseRole } from './roles.ts';
import type { HistogramSeries, RunData, ScalarSeries } from './run-data.ts';
import { classifyScalar } from './scalar-tags.ts';
import type { Granularity, Param, Phase, ScalarRole, TagMeaning } from './tags.ts';

export interface MappingSummary {
  experiment: string;
  runs: { name: string; phase: Phase; files: string[]; values: number }[];
  /** `run: tag` → what it was read as. */
  tags: Record<string, string>;
  /** Tags that follow no convention and no --map entry. */
  unmapped: string[];
  /** Every tag seen, with its kind, in reading order (train runs first). */
  seen: { run: string; tag: string; kind: 'scalar' | 'histogram'; recognized: boolean }[];
  /** How the training/validation loss was formed when it is not one logged tag (e.g. a sum of terms). */
  notes: string[];
  /** A reinforcement-learning run: its losses are judged for NaN/Inf only. */
  reinforcement: boolean;
}

export interface ScalarCandidate {
  run: RunData;
  tag: string;
  logged: ScalarSeries;
  granularity: Granularity | null;
  explicit: boolean;
  /** The term's name, for `loss_part` / `rl_loss`. */
  part?: string;
  /** The logged tags behind a derived candidate (a sum of loss terms). */
  sources?: { run: RunData; tag: string }[];
}

export interface ParamData {
  param: Param;
  /** Encounter order of its first tag (layer order follows it). */
  order: number;
  value?: HistogramSeries;
  grad?: HistogramSeries;
  update?: HistogramSeries;
  gradScalar?: ScalarSeries;
  ratioScalar?: ScalarSeries;
}

export interface ActivationData {
  layer: string;
  fn: string | null;
  hist: HistogramSeries;
  order: number;
}

export interface Collected {
  /** Candidates for a scalar role in a phase (see `scalarsOf`). */
  scalars: Map<string, ScalarCandidate[]>;
  /** `run\0tag` of every tag whose values reached the evidence (see `markUsed`). */
  used: Set<string>;
  /** --map entries that matched no tag of this experiment. */
  unmatchedMap: MapEntry[];
  /** In order of first appearance. */
  params: ParamData[];
  activations: ActivationData[];
  summary: MappingSummary;
  warnings: string[];
}

export function scalarsOf(c: Collected, phase: Phase, role: ScalarRole): ScalarCandidate[] {
  return c.scalars.get(`${phase}:${role}`) ?? [];
}

export const usedKey = (run: string, tag: string): string => `${run}\u0000${tag}`;

/** Records that a candidate's logged tags (or the terms of a derived one) reached the evidence. */
export function markUsed(c: Collected, cand: ScalarCandidate | undefined): void {
  if (!cand) return;
  for (const s of cand.sources ?? [cand]) c.used.add(usedKey(s.run.name, s.tag));
}

interface Classified {
  run: RunData;
  phase: Phase;
  tag: string;
  meaning: TagMeaning;
  explicit: boolean;
  /** Encounter order across the experiment's runs (train runs first). */
  order: number;
}

const ROLE_NAMES: Record<string, string> = {
  loss: 'loss',
  accuracy: 'accuracy',
  lr: 'learning rate',
  reg_loss: 'regularization loss',
  data_loss: 'data loss',
  grad_norm: 'global gradient norm',
};

/** A parameter as its framework names it: PyTorch's `fc1.weight` / `0.bias` as logged, else `dense (kernel)`. */
function paramName(p: Param): string {
  const torch = /^(.+)\.(weight|bias)[^./]*$/.exec(p.weight.replace(/\.(grad|update)$/, ''));
  return torch && !p.weight.includes('/') ? torch[0] : `${p.layer} (${p.kind})`;
}

function describe(m: TagMeaning, phase: Phase): string {
  switch (m.type) {
    case 'scalar': {
      const where = phase === 'val' ? 'validation' : 'training';
      const per = m.granularity ? ` (per ${m.granularity})` : '';
      if (m.role === 'loss_part') return `term '${m.part}' of the ${where} loss${per}`;
      if (m.role === 'rl_loss')
        return `reinforcement-learning loss term '${m.part}'${per} (judged for NaN/Inf only)`;
      if (m.role === 'loss_metric') return `${where} loss (a loss function logged under its name)${per}`;
      if (m.role === 'lr' || m.role === 'grad_norm') return `${ROLE_NAMES[m.role]}${per}`;
      return `${where} ${ROLE_NAMES[m.role] ?? m.role}${per}`;
    }
    case 'weight-scalar':
      return `${m.role === 'grad_norm' ? 'gradient norm' : 'update ratio'} of ${paramName(m.param)}`;
    case 'param':
      return `${m.of === 'value' ? 'values' : m.of === 'grad' ? 'gradient' : 'update'} of ${paramName(m.param)}`;
    case 'activation':
      return `activations of ${m.layer}${m.fn ? ` (${m.fn})` : ''}`;
    case 'ignore':
      return 'ignored (--map)';
  }
}

/** What a tag means: the first --map entry that matches it (a role of the wrong kind ignores it, with a warning), else the conventions. */
function meaningOf(
  map: MapEntry[],
  mapUsed: Set<MapEntry>,
  warnings: string[],
  run: RunData,
  tag: string,
  kind: 'scalar' | 'histogram',
): { meaning: TagMeaning | null; explicit: boolean } {
  for (const entry of map) {
    const role = entry.match(tag);
    if (role === null) continue;
    mapUsed.add(entry);
    const meaning = parseRole(entry.tag, role);
    const scalarRole = meaning.type === 'scalar' || meaning.type === 'weight-scalar';
    const histogramRole = meaning.type === 'param' || meaning.type === 'activation';
    if ((kind === 'scalar' && histogramRole) || (kind === 'histogram' && scalarRole)) {
      warnings.push(
        `--map ${entry.tag}=${entry.role}: '${tag}' (run ${run.name}) holds ${kind === 'scalar' ? 'scalars' : 'histograms'}, which that role does not take; tag ignored`,
      );
      return { meaning: { type: 'ignore' }, explicit: true };
    }
    return { meaning, explicit: true };
  }
  return { meaning: kind === 'scalar' ? classifyScalar(tag) : classifyHistogram(tag), explicit: false };
}

function emptySummary(experiment: Experiment): MappingSummary {
  return {
    experiment: experiment.name,
    runs: experiment.runs.map(({ run, phase }) => ({
      name: run.name,
      phase,
      files: run.files,
      values: run.values,
    })),
    tags: {},
    unmapped: [],
    seen: [],
    notes: [],
    reinforcement: false,
  };
}

/** Every tag of the experiment with its meaning, in reading order; unrecognized ones go to `summary.unmapped`. */
function classifyTags(
  runs: Experiment['runs'],
  map: MapEntry[],
  summary: MappingSummary,
  warnings: string[],
): { classified: Classified[]; unmatchedMap: MapEntry[] } {
  const mapUsed = new Set<MapEntry>();
  const classified: Classified[] = [];
  const classify = (run: RunData, phase: Phase, tag: string, kind: 'scalar' | 'histogram') => {
    const { meaning, explicit } = meaningOf(map, mapUsed, warnings, run, tag, kind);
    summary.seen.push({ run: run.name, tag, kind, recognized: meaning !== null });
    if (!meaning) summary.unmapped.push(`${run.name}: ${tag}`);
    else classified.push({ run, phase, tag, meaning, explicit, order: classified.length });
  };
  for (const { run, phase } of runs) {
    for (const tag of run.histograms.keys()) classify(run, phase, tag, 'histogram');
    for (const tag of run.scalars.keys()) classify(run, phase, tag, 'scalar');
  }
  return { classified, unmatchedMap: map.filter((entry) => !mapUsed.has(entry)) };
}

/**
 * A reinforcement-learning run (SB3 and the like: RL loss terms, or `rollout/` episode stats): its
 * total `train/loss` is an RL objective too, not a supervised learning curve. Marks it, then
 * describes every tag in the summary.
 */
function settleMeanings(runs: Experiment['runs'], classified: Classified[], summary: MappingSummary): void {
  summary.reinforcement =
    classified.some((c) => !c.explicit && c.meaning.type === 'scalar' && c.meaning.role === 'rl_loss') ||
    runs.some(({ run }) => [...run.scalars.keys()].some((t) => t.startsWith('rollout/')));
  for (const c of classified) {
    const m = c.meaning;
    if (summary.reinforcement && !c.explicit && m.type === 'scalar' && m.role === 'loss')
      c.meaning = { ...m, role: 'rl_loss', part: 'total' };
    summary.tags[`${c.run.name}: ${c.tag}`] = describe(
      c.meaning,
      c.meaning.type === 'scalar' ? (c.meaning.phase ?? c.phase) : c.phase,
    );
  }
}

/** The classified tags grouped by what they describe. */
class Groups {
  readonly scalars = new Map<string, ScalarCandidate[]>();
  readonly used = new Set<string>();
  private readonly params = new Map<string, ParamData>();
  private readonly activations = new Map<string, ActivationData>();

  /** Conventions first: a --map role names a layer, and joins that layer's parameter of the same kind when the conventions found one. */
  static of(classified: Classified[]): Groups {
    const g = new Groups();
    for (const c of [...classified].sort(
      (a, b) => Number(a.explicit) - Number(b.explicit) || a.order - b.order,
    ))
      g.add(c);
    return g;
  }

  paramList(): ParamData[] {
    return [...this.params.values()].sort((a, b) => a.order - b.order);
  }

  activationList(): ActivationData[] {
    return [...this.activations.values()].sort((a, b) => a.order - b.order);
  }

  private add(c: Classified): void {
    const m = c.meaning;
    if (m.type === 'scalar') this.addScalar(c, m);
    else if (m.type === 'weight-scalar') {
      const d = this.paramFor(m.param, c.explicit, c.order);
      const s = c.run.scalars.get(c.tag) as ScalarSeries;
      if (m.role === 'grad_norm' && !d.gradScalar) {
        d.gradScalar = s;
        this.use(c);
      } else if (m.role === 'update_ratio' && !d.ratioScalar) {
        d.ratioScalar = s;
        this.use(c);
      }
    } else if (m.type === 'param') {
      const d = this.paramFor(m.param, c.explicit, c.order);
      const h = c.run.histograms.get(c.tag) as HistogramSeries;
      if (!d[m.of === 'value' ? 'value' : m.of === 'grad' ? 'grad' : 'update']) this.use(c);
      if (m.of === 'value') d.value ??= h;
      else if (m.of === 'grad') d.grad ??= h;
      else d.update ??= h;
    } else if (m.type === 'activation' && !this.activations.has(m.layer)) {
      this.use(c);
      const hist = c.run.histograms.get(c.tag) as HistogramSeries;
      this.activations.set(m.layer, { layer: m.layer, fn: m.fn, hist, order: c.order });
    }
  }

  private addScalar(c: Classified, m: Extract<TagMeaning, { type: 'scalar' }>): void {
    const key = `${m.phase ?? c.phase}:${m.role}`;
    const list = this.scalars.get(key) ?? [];
    list.push({
      run: c.run,
      tag: c.tag,
      logged: c.run.scalars.get(c.tag) as ScalarSeries,
      granularity: m.granularity,
      explicit: c.explicit,
      ...(m.part ? { part: m.part } : {}),
    });
    this.scalars.set(key, list);
  }

  private use(c: Classified): void {
    this.used.add(usedKey(c.run.name, c.tag));
  }

  private paramFor(p: Param, explicit: boolean, at: number): ParamData {
    let found = explicit
      ? [...this.params.values()].find((d) => d.param.layer === p.layer && d.param.kind === p.kind)
      : this.params.get(p.weight);
    if (!found) {
      const param = explicit ? { ...p, weight: `${p.layer}/${p.kind === 'bias' ? 'bias' : 'kernel'}` } : p;
      found = { param, order: at };
      this.params.set(param.weight, found);
    }
    return found;
  }
}

export function collect(experiment: Experiment, map: MapEntry[] = []): Collected {
  const warnings: string[] = [];
  const summary = emptySummary(experiment);
  // What each tag means. Train runs first, so that their histograms win over a copy elsewhere.
  const runs = [...experiment.runs].sort((a, b) => Number(a.phase === 'val') - Number(b.phase === 'val'));
  const { classified, unmatchedMap } = classifyTags(runs, map, summary, warnings);
  settleMeanings(runs, classified, summary);
  const groups = Groups.of(classified);
  return {
    scalars: groups.scalars,
    used: groups.used,
    unmatchedMap,
    params: groups.paramList(),
    activations: groups.activationList(),
    summary,
    warnings,
  };
}
