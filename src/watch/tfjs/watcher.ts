// Watching a TF.js training run live: `watch(model, options)` returns a callback for `fit` /
// `fitDataset` and a small API for custom loops. It gathers the evidence the checks need on a
// schedule, reduced on the device and read back asynchronously (`data()`, never `dataSync()` on the
// training path), runs the same pure checks on it as it grows (live-checks.ts) and raises each
// finding once, when it becomes conclusive.
//
// What is wrapped, and for how long (nothing else is touched; the model's weights, layers and
// config are only read):
// - the optimizer's `applyGradients` (an own property set on the optimizer instance: callbacks
//   never see gradients), from `watch()` — or the callback's `onTrainBegin` when the model is not
//   compiled yet — until the callback's `onTrainEnd` or `stop()`; the next `onTrainBegin` wraps it
//   again. Restoring deletes the own property (or puts back one the optimizer already had). A
//   wrapper someone else installs on top of it after `watch()` is theirs to remove first.
// - `model.stopTraining` is set to true when `stopOnFail` is on and a check fails.
import * as tf from '@tensorflow/tfjs';
import type { CheckId } from '../../core/check.ts';
import { UsageError } from '../../core/errors.ts';
import type { Evidence, EvidenceKey, ModelEvidence, TaskEvidence } from '../../core/evidence.ts';
import { normalizeLossName } from '../../core/names.ts';
import type { Report } from '../../core/report.ts';
import type { RunOptions } from '../../core/runner.ts';
import { buildReport } from '../../registry.ts';
import { hiddenOutputs } from '../../tfjs/activations.ts';
import { learningRateOf } from '../../tfjs/clone.ts';
import { describeModel, kernelWeightName } from '../../tfjs/model-info.ts';
import { CLASSIFICATION_LOSSES, outputActivations, outputUnits } from '../../tfjs/task.ts';
import { lossFunctionOf } from '../../tfjs/trainer.ts';
import { progressOf } from '../conclusive.ts';
import { EvaluationBudget, LiveChecks, type LiveFinding } from '../live-checks.ts';
import { TrainingLog, type VariableInfo } from '../training-log.ts';
import { activationStats, activationSums, afterStep, beforeStep, type ProbeLayer } from './device-stats.ts';

/**
 * Default schedule, from bench/watch-overhead.ts (MNIST MLP and LeNet, wasm): gradients and updates
 * every 32 steps, activations of the probe batch every 256, stay under the 5% overhead target.
 */
export const DEFAULT_EVERY = 32;
export const DEFAULT_ACTIVATIONS_EVERY = 256;
/** Records of the probe batch used at most (dead-relu needs ≥ 256 to fail). */
export const PROBE_RECORDS = 256;

export interface WatchOptions extends RunOptions {
  /** Gradient norms and update/weight ratios every this many steps (default DEFAULT_EVERY). */
  every?: number;
  /** Activation statistics of the probe batch every this many steps (default DEFAULT_ACTIVATIONS_EVERY). */
  activationsEvery?: number;
  /** A fixed batch of inputs (and labels, for the initial loss) for the activation statistics. */
  probe?: tf.Tensor | { x: tf.Tensor; y?: tf.Tensor };
  /** Validation records, evaluated every `every` steps (default 10× `every`); `fit`'s own validation is read at each epoch end too. */
  validation?: { x: tf.Tensor; y: tf.Tensor; every?: number };
  /** The optimizer to watch in a custom loop (default: the model's). */
  optimizer?: tf.Optimizer;
  /** Stop training (`model.stopTraining`) when a check fails: all checks, or these ids/sections. */
  stopOnFail?: boolean | string[];
  /** Called once per finding, when it becomes conclusive. */
  onFinding?: (finding: LiveFinding) => void;
  /** Called after new evidence was read back (for a live page). */
  onUpdate?: (watcher: Watcher) => void;
  /** Share of wall time the checks may take (default 2%). */
  evaluationShare?: number;
}

export interface Watcher {
  /** Pass to `model.fit(x, y, { callbacks: [watcher.callback] })` or `fitDataset`. */
  readonly callback: tf.Callback;
  /** Custom loops: call once after each optimizer step, with the step's loss (a number or scalar). */
  step(loss?: number | tf.Scalar): void;
  /** Custom loops: true once `stopOnFail` asked to stop. */
  readonly stopRequested: boolean;
  readonly findings: readonly LiveFinding[];
  /** Steps seen so far. */
  readonly steps: number;
  /** The evidence gathered so far (what the checks judge). */
  evidence(): Evidence;
  /** The report on the evidence so far (the run goes on). */
  report(): Report;
  /** Waits for the readbacks in flight. */
  settle(): Promise<void>;
  /** Stops watching: restores what was wrapped, reads back what is pending, returns the report. */
  stop(): Promise<Report>;
  /** Time spent by the watcher on the training thread (ms), and evaluations run. */
  readonly cost: { hookMs: number; evaluationMs: number; evaluations: number };
}

type GradientArg = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
type ApplyGradients = (gradients: GradientArg) => void;

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`watch: options.${name} must be a positive whole number, got ${String(value)}`);
  return value;
}

function lossName(model: tf.LayersModel): string {
  const loss = (model as unknown as { loss?: unknown }).loss;
  const first = Array.isArray(loss) ? loss[0] : loss;
  if (typeof first === 'string') return normalizeLossName(first);
  if (typeof first === 'function' && first.name) return normalizeLossName(first.name);
  return 'unknown';
}

function taskOf(model: tf.LayersModel, optimizer: tf.Optimizer | undefined): TaskEvidence {
  const loss = lossName(model);
  const acts = outputActivations(model);
  const units = outputUnits(model);
  const last = acts[acts.length - 1];
  const classification = CLASSIFICATION_LOSSES.has(loss) || last === 'softmax';
  return {
    kind: classification ? 'classification' : 'regression',
    classes: classification ? (units === 1 ? 2 : units) : null,
    loss,
    outputActivations: acts,
    labelEncoding: !classification ? 'continuous' : loss.startsWith('sparse') ? 'integer' : 'one-hot',
    optimizer: optimizer?.getClassName() ?? 'unknown',
    learningRate: learningRateOf(optimizer),
    batchSize: null,
  };
}

function variablesOf(model: tf.LayersModel): { infos: VariableInfo[]; variables: tf.Variable[] } {
  const layerOf = (w: tf.LayerVariable) =>
    model.layers.find((l) => l.trainableWeights.includes(w))?.name ?? w.originalName.split('/')[0];
  const depth = new Map<string, number>();
  const infos: VariableInfo[] = [];
  const variables: tf.Variable[] = [];
  for (const w of model.trainableWeights) {
    const layer = layerOf(w);
    if (!depth.has(layer)) depth.set(layer, depth.size);
    const short = w.originalName.split('/').pop() ?? w.originalName;
    infos.push({
      layer,
      weight: w.originalName,
      kind: kernelWeightName(short) ? 'kernel' : /bias/.test(short) ? 'bias' : 'other',
      depth: depth.get(layer) ?? 0,
      size: w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    });
    variables.push(w.read() as tf.Variable);
  }
  return { infos, variables };
}

const NOT_WATCHED =
  'a watched run does not run this experiment; run `nn-doctor check` (or checkup()) on the model for it';

export function watch(model: tf.LayersModel, options: WatchOptions = {}): Watcher {
  const every = positiveInt('every', options.every, DEFAULT_EVERY);
  const activationsEvery = positiveInt(
    'activationsEvery',
    options.activationsEvery,
    DEFAULT_ACTIVATIONS_EVERY,
  );
  const validationEvery = positiveInt('validation.every', options.validation?.every, every * 10);
  const live = new LiveChecks({ only: options.only, skip: options.skip, thresholds: options.thresholds });
  const budget = new EvaluationBudget(options.evaluationShare ?? 0.02);
  const stopIds = options.stopOnFail;
  const { infos, variables } = variablesOf(model);
  const names = variables.map((v) => v.name);
  const optimizerNow = () => options.optimizer ?? (model as { optimizer?: tf.Optimizer }).optimizer;
  const log = new TrainingLog(infos, {
    optimizer: null,
    learningRate: () => learningRateOf(optimizerNow()),
    batchSize: null,
  });
  const hasRegularizers = () => describedModel?.regularization.some((r) => !/dropout/.test(r)) ?? false;

  /** Time the watcher spends on the training thread (ms). */
  let hookMs = 0;
  // The model as it is when watching begins: kernels at init, and the task from the compiled loss.
  let describedModel: ModelEvidence | null = null;
  let modelNote: string | null = null;
  let task: TaskEvidence | null = null;
  const describe = () => {
    if (describedModel || modelNote) return;
    const began = performance.now();
    describeNow();
    hookMs += performance.now() - began;
  };
  const describeNow = () => {
    const optimizer = optimizerNow();
    const trained = (optimizer as { iterations?: number } | undefined)?.iterations ?? 0;
    if (trained > 0) modelNote = `the model had already trained ${trained} steps when watching began`;
    else describedModel = describeModel(model);
    if (optimizer) task = taskOf(model, optimizer);
  };

  // The probe batch, its activations model and the initial loss.
  const probeX = options.probe instanceof tf.Tensor ? options.probe : options.probe?.x;
  const probeY = options.probe instanceof tf.Tensor ? undefined : options.probe?.y;
  let probe: { model: tf.LayersModel; layers: ProbeLayer[]; x: tf.Tensor; y: tf.Tensor | null } | null = null;
  if (probeX) {
    const hidden = hiddenOutputs(model);
    const n = Math.min(PROBE_RECORDS, probeX.shape[0]);
    if (hidden) {
      // The hidden layers' outputs and the model's output in one forward pass: the initial loss
      // comes with the first activation measurement, not from a second pass.
      let both: tf.LayersModel = hidden.probeModel;
      try {
        both = tf.model({ inputs: model.inputs, outputs: [...hidden.probeModel.outputs, model.outputs[0]] });
      } catch {
        // a model whose output cannot join the probe: activations only
      }
      probe = {
        model: both,
        layers: hidden.layers,
        x: tf.keep(probeX.slice(0, n)),
        // float32 as fit feeds it (TF.js losses floor sparse labels, which int32 cannot be).
        y: probeY && both !== hidden.probeModel ? tf.tidy(() => probeY.slice(0, n).toFloat()) : null,
      };
    }
  }

  let step = 0;
  let stopRequested = false;
  let stopped = false;
  const pending = new Set<Promise<void>>();
  let pendingLoss: { step: number; loss: tf.Tensor; acc: tf.Tensor | null }[] = [];

  const track = (p: Promise<void>) => {
    pending.add(p);
    p.finally(() => pending.delete(p)).catch(() => {});
  };

  /** Reads a kept tensor back without blocking, then hands its values on and frees it. */
  const readBack = (t: tf.Tensor, use: (values: Float32Array) => void, urgent = false) => {
    track(
      (t.data() as Promise<Float32Array>).then(
        (values) => {
          t.dispose();
          if (stopped) return;
          use(values);
          afterReadback(urgent || values.some((v) => !Number.isFinite(v)));
        },
        () => t.dispose(),
      ),
    );
  };

  const evidence = (): Evidence => {
    describe();
    const unavailable: NonNullable<Evidence['unavailable']> = {
      dataset: {
        status: 'skip',
        reason: 'a watched run does not see the training data as a whole; run `nn-doctor check --data PATH`',
      },
    };
    for (const key of [
      'overfit',
      'control',
      'lrSweep',
      'simplified',
      'rebalancing',
      'labelSignal',
    ] as EvidenceKey[])
      unavailable[key] = { status: 'skip', reason: NOT_WATCHED };
    if (modelNote)
      unavailable.model = { status: 'skip', reason: `${modelNote}: its initialization cannot be judged` };
    const training = log.evidence();
    const e: Evidence = { source: 'tfjs', training, unavailable };
    if (describedModel) e.model = describedModel;
    if (task) e.task = { ...task, learningRate: training.learningRate };
    return e;
  };

  const evaluateNow = () => {
    const started = performance.now();
    const e = evidence();
    const found = live.evaluate(e, progressOf(e, log.lastStep, log.activationProbes));
    budget.spent(performance.now() - started);
    for (const f of found) {
      options.onFinding?.(f);
      const stops =
        f.status === 'fail' &&
        (stopIds === true ||
          (Array.isArray(stopIds) &&
            stopIds.some((id) => f.id === id || f.id.startsWith(`${id.replace(/\/$/, '')}/`))));
      if (stops) {
        stopRequested = true;
        (model as { stopTraining: boolean }).stopTraining = true;
      }
    }
  };

  const afterReadback = (urgent: boolean) => {
    if (urgent || budget.due()) evaluateNow();
    options.onUpdate?.(watcher);
  };

  // --- the optimizer hook ---
  let hooked: { optimizer: tf.Optimizer; own: ApplyGradients | undefined } | null = null;
  const install = () => {
    const optimizer = optimizerNow();
    if (hooked || !optimizer || stopped) return;
    describe();
    const target = optimizer as unknown as { applyGradients: ApplyGradients };
    const own = Object.hasOwn(optimizer, 'applyGradients') ? target.applyGradients : undefined;
    const original = target.applyGradients;
    target.applyGradients = function watched(this: tf.Optimizer, gradients: GradientArg) {
      const at = step;
      if (at % every !== 0) {
        step++;
        return original.call(this, gradients);
      }
      const began = performance.now();
      const byName = Array.isArray(gradients)
        ? new Map(gradients.map((g) => [g.name, g.tensor] as const))
        : new Map(Object.entries(gradients));
      const { gradSq, before } = beforeStep(variables, (i) => byName.get(names[i]));
      hookMs += performance.now() - began;
      original.call(this, gradients);
      const after = performance.now();
      const sums = afterStep(variables, gradSq, before);
      const regularized = hasRegularizers();
      const reg = regularized
        ? tf.tidy(() => tf.addN(model.calculateLosses() as tf.Tensor[]).reshape([1]))
        : null;
      const out = tf.keep(reg ? tf.concat([sums, reg]) : sums);
      if (reg) {
        sums.dispose();
        reg.dispose();
      }
      step++;
      const V = variables.length;
      readBack(out, (v) => {
        log.addTelemetry(at, {
          gradSq: v.subarray(0, V),
          updateSq: v.subarray(V, 2 * V),
          weightSq: v.subarray(2 * V, 3 * V),
          weightSum: v.subarray(3 * V, 4 * V),
        });
        if (regularized) log.addRegularization(at, v[4 * V]);
      });
      hookMs += performance.now() - after;
    };
    hooked = { optimizer, own };
  };
  const restore = () => {
    if (!hooked) return;
    const target = hooked.optimizer as unknown as Record<string, unknown>;
    if (hooked.own) target.applyGradients = hooked.own;
    else delete target.applyGradients;
    hooked = null;
  };

  // --- per-step work: the loss, the probe batch, validation ---
  const flushLoss = () => {
    if (pendingLoss.length === 0) return;
    const batch = pendingLoss;
    pendingLoss = [];
    const withAcc = batch.every((p) => p.acc !== null);
    const stacked = tf.tidy(() =>
      tf.stack(
        batch.flatMap((p) =>
          withAcc ? [p.loss.reshape([]), (p.acc as tf.Tensor).reshape([])] : [p.loss.reshape([])],
        ),
      ),
    );
    tf.dispose(batch.flatMap((p) => (p.acc ? [p.loss, p.acc] : [p.loss])));
    const width = withAcc ? 2 : 1;
    readBack(tf.keep(stacked), (v) => {
      batch.forEach((p, i) => {
        log.addLoss(p.step, v[i * width], withAcc ? v[i * width + 1] : undefined);
      });
    });
  };

  /** Activations of the probe batch; at the start also the initial loss (labels given, fresh model). */
  const measureActivations = (withLoss = false) => {
    if (!probe) return;
    const p = probe;
    const lossToo = withLoss && p.y !== null && describedModel !== null;
    const sums = tf.keep(
      tf.tidy(() => {
        const out = p.model.predict(p.x);
        const outs = (Array.isArray(out) ? out : [out]).slice(0, p.layers.length);
        const hidden = activationSums(outs, p.layers);
        if (!lossToo) return hidden;
        const final = (Array.isArray(out) ? out : [out])[p.layers.length];
        const loss = tf.mean(lossFunctionOf(model)(p.y as tf.Tensor, final)).reshape([1]);
        return tf.concat([hidden, loss]);
      }),
    );
    readBack(sums, (v) => {
      log.addActivations(activationStats(v, p.layers, p.x.shape[0]));
      if (lossToo) log.initialLoss = v[v.length - 1];
    });
  };

  const measureValidation = (at: number) => {
    const v = options.validation;
    if (!v) return;
    const out = tf.keep(
      tf.tidy(() => {
        const r = model.evaluate(v.x, v.y.dtype === 'float32' ? v.y : v.y.toFloat(), { batchSize: 256 });
        const list = Array.isArray(r) ? r : [r];
        return tf.stack(list.map((s) => s.reshape([])));
      }),
    );
    readBack(out, (vals) => log.addValidation(at, vals[0], vals.length > 1 ? vals[1] : undefined));
  };

  let begun = false;
  const begin = () => {
    install();
    if (begun) return;
    begun = true;
    describe();
    const began = performance.now();
    measureActivations(true);
    hookMs += performance.now() - began;
  };

  /** After the step whose index is `at`: the loss is queued, scheduled measurements run. */
  const afterStepEnd = (
    at: number,
    loss: tf.Tensor | number | undefined,
    acc: tf.Tensor | number | undefined,
  ) => {
    const began = performance.now();
    if (loss !== undefined) {
      const keep = (t: tf.Tensor | number) => tf.keep(t instanceof tf.Tensor ? t.clone() : tf.scalar(t));
      pendingLoss.push({ step: at, loss: keep(loss), acc: acc === undefined ? null : keep(acc) });
      if (pendingLoss.length >= every) flushLoss();
    }
    if ((at + 1) % activationsEvery === 0) measureActivations();
    if ((at + 1) % validationEvery === 0) measureValidation(at);
    hookMs += performance.now() - began;
  };

  class WatchCallback extends tf.Callback {
    override async onTrainBegin(): Promise<void> {
      begin();
    }
    override async onBatchEnd(_batch: number, logs?: tf.Logs): Promise<void> {
      const raw = logs as Record<string, tf.Tensor | number> | undefined;
      afterStepEnd(step - 1, raw?.loss, raw?.acc ?? raw?.accuracy);
    }
    override async onEpochEnd(_epoch: number, logs?: tf.Logs): Promise<void> {
      flushLoss();
      const raw = logs as Record<string, tf.Tensor | number> | undefined;
      const val = raw?.val_loss;
      if (val === undefined) return;
      const at = step - 1;
      const acc = raw?.val_acc ?? raw?.val_accuracy;
      const read = async (x: tf.Tensor | number | undefined) =>
        x === undefined ? undefined : x instanceof tf.Tensor ? (await x.data())[0] : x;
      log.addValidation(at, (await read(val)) as number, await read(acc));
      afterReadback(false);
    }
    override async onTrainEnd(): Promise<void> {
      flushLoss();
      restore();
      await settle();
      evaluateNow();
    }
  }

  const settle = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  };

  const finalReport = (): Report => {
    const report = buildReport({
      evidence: evidence(),
      options: { only: options.only, skip: options.skip, thresholds: options.thresholds },
      settings: {
        command: 'watch',
        every,
        activationsEvery,
        ...(options.validation ? { validationEvery } : {}),
        steps: step,
      },
      backend: tf.getBackend(),
    });
    report.watch = { findings: [...live.findings], steps: step, source: 'tfjs' };
    return report;
  };

  const watcher: Watcher = {
    callback: new WatchCallback(),
    step(loss) {
      if (!begun) begin();
      if (!hooked) step++;
      afterStepEnd(step - 1, loss, undefined);
    },
    get stopRequested() {
      return stopRequested;
    },
    get findings() {
      return live.findings;
    },
    get steps() {
      return step;
    },
    evidence,
    report: finalReport,
    settle,
    async stop() {
      flushLoss();
      restore();
      await settle();
      evaluateNow();
      stopped = true;
      if (probe) tf.dispose(probe.y ? [probe.x, probe.y] : [probe.x]);
      return finalReport();
    },
    get cost() {
      return { hookMs, evaluationMs: live.evaluationMs, evaluations: live.evaluations };
    },
  };
  // The optimizer is watched from now on when there is one (custom loops; a compiled model).
  install();
  return watcher;
}

export type { LiveFinding } from '../live-checks.ts';
export type { CheckId };
