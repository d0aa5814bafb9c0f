// What each tag of an experiment means (an explicit --map entry, else the conventions of tags.ts),
// grouped for the evidence builders: scalar candidates per role and phase, parameters with their
// value/gradient/update histograms, activation histograms per layer.

import type { Experiment } from './experiments.ts';
import { type MapEntry, parseRole } from './roles.ts';
import type { HistogramSeries, RunData, ScalarSeries } from './run-data.ts';
import {
  classifyHistogram,
  classifyScalar,
  type Granularity,
  type Param,
  type Phase,
  type ScalarRole,
  type TagMeaning,
} from './tags.ts';

export interface MappingSummary {
  experiment: string;
  runs: { name: string; phase: Phase; files: string[]; values: number }[];
  /** `run: tag` → what it was read as. */
  tags: Record<string, string>;
  /** Tags that follow no convention and no --map entry. */
  unmapped: string[];
}

export interface ScalarCandidate {
  run: RunData;
  tag: string;
  logged: ScalarSeries;
  granularity: Granularity | null;
  explicit: boolean;
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
  /** In order of first appearance. */
  params: ParamData[];
  activations: ActivationData[];
  summary: MappingSummary;
  warnings: string[];
}

export function scalarsOf(c: Collected, phase: Phase, role: ScalarRole): ScalarCandidate[] {
  return c.scalars.get(`${phase}:${role}`) ?? [];
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

function describe(m: TagMeaning, phase: Phase): string {
  switch (m.type) {
    case 'scalar':
      return `${phase === 'val' ? 'validation ' : ''}${m.role}${m.granularity ? ` (per ${m.granularity})` : ''}`;
    case 'weight-scalar':
      return `${m.role} of ${m.param.layer} (${m.param.kind})`;
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
    if (!meaning) {
      summary.unmapped.push(key);
      return;
    }
    summary.tags[key] = describe(meaning, meaning.type === 'scalar' ? (meaning.phase ?? phase) : phase);
    classified.push({ run, phase, tag, meaning, explicit, order: order++ });
  };
  for (const { run, phase } of runs) {
    for (const tag of run.histograms.keys()) classify(run, phase, tag, 'histogram');
    for (const tag of run.scalars.keys()) classify(run, phase, tag, 'scalar');
  }
  for (const entry of map) {
    if (!mapUsed.has(entry))
      warnings.push(`--map ${entry.tag}=${entry.role}: no tag '${entry.tag}' in the logs`);
  }

  // Grouped by what they describe. Conventions first: a --map role names a layer, and joins that
  // layer's parameter of the same kind when the conventions found one.
  const scalars = new Map<string, ScalarCandidate[]>();
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
    if (m.type === 'scalar') {
      const key = `${m.phase ?? c.phase}:${m.role}`;
      const list = scalars.get(key) ?? [];
      list.push({
        run: c.run,
        tag: c.tag,
        logged: c.run.scalars.get(c.tag) as ScalarSeries,
        granularity: m.granularity,
        explicit: c.explicit,
      });
      scalars.set(key, list);
    } else if (m.type === 'weight-scalar') {
      const d = paramFor(m.param, c.explicit, c.order);
      const s = c.run.scalars.get(c.tag) as ScalarSeries;
      if (m.role === 'grad_norm') d.gradScalar ??= s;
      else d.ratioScalar ??= s;
    } else if (m.type === 'param') {
      const d = paramFor(m.param, c.explicit, c.order);
      const h = c.run.histograms.get(c.tag) as HistogramSeries;
      if (m.of === 'value') d.value ??= h;
      else if (m.of === 'grad') d.grad ??= h;
      else d.update ??= h;
    } else if (m.type === 'activation' && !activations.has(m.layer)) {
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
    params: [...params.values()].sort((a, b) => a.order - b.order),
    activations: [...activations.values()].sort((a, b) => a.order - b.order),
    summary,
    warnings,
  };
}
