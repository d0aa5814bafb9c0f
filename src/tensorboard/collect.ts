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
      return `${m.role === 'grad_norm' ? 'gradient norm' : 'update ratio'} of ${m.param.layer} (${m.param.kind})`;
    case 'param':
      return `${m.of === 'value' ? 'values' : m.of === 'grad' ? 'gradient' : 'update'} of ${m.param.layer} (${m.param.kind})`;
    case 'activation':
      return `activations of ${m.layer}${m.fn ? ` (${m.fn})` : ''}`;
    case 'ignore':
      return 'ignored (--map)';
  }
}

export function collect(experiment: Experiment, map: MapEntry[] = []): Collected {
  const warnings: string[] = [];
  const summary: MappingSummary = {
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
  const mapUsed = new Set<MapEntry>();

  // What each tag means. Train runs first, so that their histograms win over a copy elsewhere.
  const runs = [...experiment.runs].sort((a, b) => Number(a.phase === 'val') - Number(b.phase === 'val'));
  const classified: Classified[] = [];
  let order = 0;
  const classify = (run: RunData, phase: Phase, tag: string, kind: 'scalar' | 'histogram') => {
    let meaning: TagMeaning | null = null;
    let explicit = false;
    for (const entry of map) {
      const role = entry.match(tag);
      if (role === null) continue;
      mapUsed.add(entry);
      meaning = parseRole(entry.tag, role);
      explicit = true;
      const scalarRole = meaning.type === 'scalar' || meaning.type === 'weight-scalar';
      const histogramRole = meaning.type === 'param' || meaning.type === 'activation';
      if ((kind === 'scalar' && histogramRole) || (kind === 'histogram' && scalarRole)) {
        warnings.push(
          `--map ${entry.tag}=${entry.role}: '${tag}' (run ${run.name}) holds ${kind === 'scalar' ? 'scalars' : 'histograms'}, which that role does not take; tag ignored`,
        );
        meaning = { type: 'ignore' };
      }
      break;
    }
    if (!meaning) meaning = kind === 'scalar' ? classifyScalar(tag) : classifyHistogram(tag);
    const key = `${run.name}: ${tag}`;
    summary.seen.push({ run: run.name, tag, kind, recognized: meaning !== null });
    if (!meaning) {
      summary.unmapped.push(key);
      return;
    }
    classified.push({ run, phase, tag, meaning, explicit, order: order++ });
  };
  for (const { run, phase } of runs) {
    for (const tag of run.histograms.keys()) classify(run, phase, tag, 'histogram');
    for (const tag of run.scalars.keys()) classify(run, phase, tag, 'scalar');
  }
  // A reinforcement-learning run (SB3 and the like: RL loss terms, or `rollout/` episode stats):
  // its total `train/loss` is an RL objective too, not a supervised learning curve.
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
  const unmatchedMap = map.filter((entry) => !mapUsed.has(entry));

  // Grouped by what they describe. Conventions first: a --map role names a layer, and joins that
  // layer's parameter of the same kind when the conventions found one.
  const scalars = new Map<string, ScalarCandidate[]>();
  const used = new Set<string>();
  const params = new Map<string, ParamData>();
  const activations = new Map<string, ActivationData>();
  const paramFor = (p: Param, explicit: boolean, at: number): ParamData => {
    let found = explicit
      ? [...params.values()].find((d) => d.param.layer === p.layer && d.param.kind === p.kind)
      : params.get(p.weight);
    if (!found) {
      const param = explicit ? { ...p, weight: `${p.layer}/${p.kind === 'bias' ? 'bias' : 'kernel'}` } : p;
      found = { param, order: at };
      params.set(param.weight, found);
    }
    return found;
  };
  for (const c of [...classified].sort(
    (a, b) => Number(a.explicit) - Number(b.explicit) || a.order - b.order,
  )) {
    const m = c.meaning;
    const use = () => used.add(usedKey(c.run.name, c.tag));
    if (m.type === 'scalar') {
      const key = `${m.phase ?? c.phase}:${m.role}`;
      const list = scalars.get(key) ?? [];
      list.push({
        run: c.run,
        tag: c.tag,
        logged: c.run.scalars.get(c.tag) as ScalarSeries,
        granularity: m.granularity,
        explicit: c.explicit,
        ...(m.part ? { part: m.part } : {}),
      });
      scalars.set(key, list);
    } else if (m.type === 'weight-scalar') {
      const d = paramFor(m.param, c.explicit, c.order);
      const s = c.run.scalars.get(c.tag) as ScalarSeries;
      if (m.role === 'grad_norm' && !d.gradScalar) {
        d.gradScalar = s;
        use();
      } else if (m.role === 'update_ratio' && !d.ratioScalar) {
        d.ratioScalar = s;
        use();
      }
    } else if (m.type === 'param') {
      const d = paramFor(m.param, c.explicit, c.order);
      const h = c.run.histograms.get(c.tag) as HistogramSeries;
      if (!d[m.of === 'value' ? 'value' : m.of === 'grad' ? 'grad' : 'update']) use();
      if (m.of === 'value') d.value ??= h;
      else if (m.of === 'grad') d.grad ??= h;
      else d.update ??= h;
    } else if (m.type === 'activation' && !activations.has(m.layer)) {
      use();
      activations.set(m.layer, {
        layer: m.layer,
        fn: m.fn,
        hist: c.run.histograms.get(c.tag) as HistogramSeries,
        order: c.order,
      });
    }
  }
  return {
    scalars,
    used,
    unmatchedMap,
    params: [...params.values()].sort((a, b) => a.order - b.order),
    activations: [...activations.values()].sort((a, b) => a.order - b.order),
    summary,
    warnings,
  };
}
