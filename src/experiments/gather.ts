// Gathers the evidence the selected checks need: the setup stages (dataset statistics, the
// model's description, whether its weights are a trained checkpoint) here, then the experiments
// the scheduler plans from what they declare (experiments/catalogue.ts), independent ones side by
// side up to `jobs`. An experiment that fails becomes `unavailable: error` for its key (the checks
// that need it report `error`); it never stops the others. Experiments that do not apply leave a
// `skip` reason. Evidence, warnings, timings and progress come back in plan order, so the report
// is the same whatever the parallelism.
import type { Dataset } from '../core/dataset.ts';
import { UsageError } from '../core/errors.ts';
import { type Evidence, type EvidenceKey, ONE_PROCESS } from '../core/evidence.ts';
import { assessCheckpoint } from '../probes/checkpoint.ts';
import { type ProbeContext, taskEvidence } from '../probes/context.ts';
import { datasetStats, type LabelView } from '../probes/dataset-stats.ts';
import { describeModel, tokenInput } from '../tfjs/model-info.ts';
import {
  EXPERIMENTS,
  type Experiment,
  type ExperimentInputs,
  type ExperimentKey,
  type ExperimentOptions,
  type Outcome,
} from './catalogue.ts';
import { OrderedProgress, plan, runPlan, type Schedulable } from './scheduler.ts';

export { MNIST_CONTROL_FALLBACK } from './catalogue.ts';

/** Runs one experiment on a context: in this thread, or in a worker from the context's serialized unit. */
export type RunExperiment = (
  experiment: Experiment,
  ctx: ProbeContext,
  inputs: ExperimentInputs,
) => Promise<Outcome>;

export const runHere: RunExperiment = (experiment, ctx, inputs) => experiment.run(ctx, inputs);

export interface GatherInput {
  ctx: ProbeContext;
  /** Evidence keys the selected checks need or use. */
  wanted: Set<EvidenceKey>;
  /** The training records only (no validation), and their label view, for dataset statistics. */
  training: Dataset;
  labels: LabelView;
  /** Effective settings the experiments read (from the selected checks' effective thresholds). */
  options: ExperimentOptions;
  /** Experiments run at the same time (1: one after the other, in this thread's order). */
  jobs?: number;
  /** Where an experiment runs (default: in this thread). */
  runExperiment?: RunExperiment;
  onProgress?: (probe: string, done: number, total: number) => void;
  /**
   * Runs after every experiment, on the same model the experiments trained (a trained checkpoint's
   * re-initialized clone is still alive): the fix experiments, which need the checks' findings.
   * Its failure becomes `unavailable.remedies: error`.
   */
  afterExperiments?: (ctx: ProbeContext, evidence: Evidence) => Promise<void>;
}

export interface Gathered {
  evidence: Evidence;
  probeTimings: Record<string, number>;
  /** Notes for the report (e.g. a fallback taken while gathering). */
  warnings: string[];
}

type Unavailable = NonNullable<Evidence['unavailable']>;

/** Runs a setup stage: times it, reports its progress, turns its failure into `unavailable: error`. */
async function stage(
  input: GatherInput,
  ctx: ProbeContext,
  timings: Record<string, number>,
  unavailable: Unavailable,
  [key, name]: [EvidenceKey, string],
  run: (ctx: ProbeContext) => Promise<void> | void,
): Promise<void> {
  const started = performance.now();
  const progress = (done: number, total: number) => input.onProgress?.(name, done, total);
  progress(0, 1);
  try {
    await run({ ...ctx, progress });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    unavailable[key] = { status: 'error', reason: `the ${name} probe failed: ${messageOf(err)}` };
  } finally {
    timings[name] = performance.now() - started;
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function gatherEvidence(input: GatherInput): Promise<Gathered> {
  let ctx = input.ctx;
  const evidence: Evidence = {
    source: 'tfjs',
    task: taskEvidence(ctx),
    unavailable: { distributed: { status: 'skip', reason: ONE_PROCESS } },
  };
  const unavailable = evidence.unavailable as Unavailable;
  const probeTimings: Record<string, number> = {};
  const at = (key: EvidenceKey, name: string, run: (c: ProbeContext) => Promise<void> | void) =>
    stage(input, ctx, probeTimings, unavailable, [key, name], run);

  await at('dataset', 'dataset', () => {
    const t = input.training;
    evidence.dataset = {
      ...datasetStats(t.x, t.xShape, t.y, input.labels, t.source),
      inputKind: tokenInput(ctx.model) ? 'tokens' : 'continuous',
    };
  });
  await at('model', 'model', () => {
    evidence.model = describeModel(ctx.model);
  });
  // A trained checkpoint: experiments and at-initialization checks run on a re-initialized clone.
  let reinitialized: Awaited<ReturnType<typeof assessCheckpoint>>['reinitialized'] = null;
  if (evidence.model) {
    const user = evidence.model;
    await at('checkpoint', 'checkpoint', async (c) => {
      const assessed = await assessCheckpoint(c, user);
      if (!assessed.checkpoint || !assessed.reinitialized) return;
      reinitialized = assessed.reinitialized;
      evidence.checkpoint = assessed.checkpoint;
      evidence.model = {
        ...describeModel(reinitialized),
        name: user.name,
        freshInit: false,
        trainedSignals: assessed.checkpoint.signals,
        weightsFrom: 'reinitialized-clone',
      };
    });
  }
  if (reinitialized) ctx = { ...ctx, model: reinitialized };
  try {
    const warnings = await runExperiments(input, ctx, evidence, probeTimings);
    return { evidence, probeTimings, warnings };
  } finally {
    (reinitialized as { dispose(): void } | null)?.dispose();
  }
}

/** The fix experiments as a scheduled step: after every planned experiment, planning none. */
interface RemediesStep extends Schedulable<ExperimentKey | 'remedies'> {
  provides: 'remedies';
  label: 'remedies';
}

const REMEDIES: RemediesStep = {
  name: 'remedies',
  label: 'remedies',
  provides: 'remedies',
  needs: [],
  optional: EXPERIMENTS.map((e) => e.provides),
};

type Step = Experiment | RemediesStep;

async function runExperiments(
  input: GatherInput,
  ctx: ProbeContext,
  evidence: Evidence,
  timings: Record<string, number>,
): Promise<string[]> {
  const unavailable = evidence.unavailable as Unavailable;
  const steps: Step[] = [...EXPERIMENTS, ...(input.afterExperiments ? [REMEDIES] : [])];
  const wanted = [...input.wanted, ...(input.afterExperiments ? (['remedies'] as const) : [])];
  const planned = plan(steps, wanted);
  const outcomes: Partial<Record<ExperimentKey, Outcome>> = {};
  const took = new Map<string, number>();
  const progress = new OrderedProgress<[string, number, number]>(
    planned.map((s) => s.name),
    ([name, done, total]) => input.onProgress?.(name, done, total),
  );
  const execute = input.runExperiment ?? runHere;
  /** Evidence of the finished experiments, written in plan order (the report's key order never depends on timing). */
  const assemble = () => {
    for (const s of planned) {
      const outcome = s.provides === 'remedies' ? undefined : outcomes[s.provides];
      if (outcome?.value !== undefined)
        (evidence as unknown as Record<string, unknown>)[s.provides] = outcome.value;
      if (outcome?.unavailable) unavailable[s.provides as EvidenceKey] = outcome.unavailable;
    }
  };

  await runPlan(planned, input.jobs ?? 1, async (step) => {
    const started = performance.now();
    const report = (done: number, total: number) => progress.report(step.name, [step.label, done, total]);
    report(0, 1);
    const stepCtx = { ...ctx, progress: report };
    try {
      if (step.provides === 'remedies') {
        assemble();
        await input.afterExperiments?.(stepCtx, evidence);
      } else {
        const declared: ExperimentKey[] = [...step.needs, ...(step.optional ?? [])];
        const inputs: ExperimentInputs = {
          dataset: evidence.dataset,
          model: evidence.model,
          options: input.options,
          outcomes: Object.fromEntries(declared.flatMap((k) => (outcomes[k] ? [[k, outcomes[k]]] : []))),
        };
        outcomes[step.provides] = await execute(step, stepCtx, inputs);
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const failed = {
        status: 'error' as const,
        reason: `the ${step.label} probe failed: ${messageOf(err)}`,
      };
      if (step.provides === 'remedies') unavailable.remedies = failed;
      else outcomes[step.provides] = { unavailable: failed };
    } finally {
      took.set(step.label, performance.now() - started);
      progress.finish(step.name);
    }
  });
  assemble();
  for (const s of planned) timings[s.label] = took.get(s.label) ?? 0;
  return planned.flatMap((s) => (s.provides === 'remedies' ? [] : (outcomes[s.provides]?.warnings ?? [])));
}
