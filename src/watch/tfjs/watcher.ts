// Watching a TF.js training run live: `watch(model, options)` returns a callback for `fit` /
// `fitDataset` and a small API for custom loops. It gathers the evidence the checks need on a
// schedule, reduced on the device and read back asynchronously (`data()`, never `dataSync()` on the
// training path), runs the same pure checks on it as it grows (live-checks.ts) and raises each
// finding once, when it becomes conclusive.
//
// The stages, each in its module and owning the state it changes:
// - schedule.ts: what is measured at which step, and the step count;
// - optimizer-hook.ts: the wrapped `applyGradients` (gradients and updates at scheduled steps);
// - measurements.ts and probe-batch.ts: the loss, the probe batch's activations and validation
//   after each step, as scheduled;
// - readback-queue.ts: the asynchronous readbacks in flight;
// - findings-feed.ts: the live checks on the evidence so far, within a time budget, and stopOnFail;
// - model-snapshot.ts: the model as it was when watching began, and the evidence assembled.
// This file wires them to `fit`'s callback and to the custom-loop API.
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
import type { Evidence } from '../../core/evidence.ts';
import type { Report } from '../../core/report.ts';
import type { RunOptions } from '../../core/runner.ts';
import { buildReport } from '../../registry.ts';
import { learningRateOf } from '../../tfjs/clone.ts';
import type { LiveFinding } from '../live-checks.ts';
import { TrainingLog } from '../training-log.ts';
import { FindingsFeed } from './findings-feed.ts';
import { Measurements, type StepValue } from './measurements.ts';
import { ModelSnapshot, variablesOf } from './model-snapshot.ts';
import { OptimizerHook } from './optimizer-hook.ts';
import { ProbeBatch } from './probe-batch.ts';
import { ReadbackQueue } from './readback-queue.ts';
import { Schedule } from './schedule.ts';
import { ThreadTime } from './thread-time.ts';

export { PROBE_RECORDS } from './probe-batch.ts';
export { DEFAULT_ACTIVATIONS_EVERY, DEFAULT_EVERY } from './schedule.ts';

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

/** The stages of one watched run, wired together. */
interface Stages {
  schedule: Schedule;
  log: TrainingLog;
  time: ThreadTime;
  snapshot: ModelSnapshot;
  queue: ReadbackQueue;
  feed: FindingsFeed;
  hook: OptimizerHook;
  measure: Measurements;
  probe: ProbeBatch | null;
  optimizerNow: () => tf.Optimizer | undefined;
}

function stagesOf(model: tf.LayersModel, options: WatchOptions, onUpdate: () => void): Stages {
  const schedule = new Schedule(options);
  const time = new ThreadTime();
  const { infos, variables } = variablesOf(model);
  const optimizerNow = () => options.optimizer ?? (model as { optimizer?: tf.Optimizer }).optimizer;
  const log = new TrainingLog(infos, {
    optimizer: null,
    learningRate: () => learningRateOf(optimizerNow()),
    batchSize: null,
  });
  const snapshot = new ModelSnapshot(model, optimizerNow, time);
  const evidence = () => snapshot.evidence(log);
  const feed = new FindingsFeed(options, model, log, evidence, onUpdate);
  const probe = ProbeBatch.of(model, options.probe);
  const queue = new ReadbackQueue((urgent) => feed.afterReadback(urgent));
  const hasRegularizers = () => snapshot.hasRegularizers;
  const hook = new OptimizerHook({ model, variables, schedule, queue, log, time, hasRegularizers });
  const measure = new Measurements(model, schedule, queue, log, time, probe, options.validation);
  return { schedule, log, time, snapshot, queue, feed, hook, measure, probe, optimizerNow };
}

function reportOf(s: Stages, options: WatchOptions): Report {
  const report = buildReport({
    evidence: s.snapshot.evidence(s.log),
    options: { only: options.only, skip: options.skip, thresholds: options.thresholds },
    settings: { command: 'watch', ...s.schedule.settings() },
    backend: tf.getBackend(),
  });
  report.watch = { findings: [...s.feed.findings], steps: s.schedule.steps, source: 'tfjs' };
  return report;
}

export function watch(model: tf.LayersModel, options: WatchOptions = {}): Watcher {
  const s = stagesOf(model, options, () => options.onUpdate?.(watcher));
  let stopped = false;
  let begun = false;

  const install = () => {
    const optimizer = s.optimizerNow();
    if (s.hook.installed || !optimizer || stopped) return;
    s.snapshot.describe();
    s.hook.install(optimizer);
  };
  const begin = () => {
    install();
    if (begun) return;
    begun = true;
    s.snapshot.describe();
    s.time.time(() => s.measure.activations(s.snapshot.fresh));
  };
  /** The end of training: pending losses read back, the optimizer restored, the last evaluation. */
  const end = async () => {
    s.measure.flushLoss();
    s.hook.restore();
    await s.queue.settle();
    s.feed.evaluateNow();
  };
  const readValue = async (x: StepValue) =>
    x === undefined ? undefined : x instanceof tf.Tensor ? (await x.data())[0] : x;

  class WatchCallback extends tf.Callback {
    override async onTrainBegin(): Promise<void> {
      begin();
    }
    override async onBatchEnd(_batch: number, logs?: tf.Logs): Promise<void> {
      const raw = logs as Record<string, tf.Tensor | number> | undefined;
      s.measure.afterStep(s.schedule.steps - 1, raw?.loss, raw?.acc ?? raw?.accuracy);
    }
    override async onEpochEnd(_epoch: number, logs?: tf.Logs): Promise<void> {
      s.measure.flushLoss();
      const raw = logs as Record<string, tf.Tensor | number> | undefined;
      const val = raw?.val_loss;
      if (val === undefined) return;
      const at = s.schedule.steps - 1;
      const acc = raw?.val_acc ?? raw?.val_accuracy;
      s.log.addValidation(at, (await readValue(val)) as number, await readValue(acc));
      s.feed.afterReadback(false);
    }
    override async onTrainEnd(): Promise<void> {
      await end();
    }
  }

  const watcher: Watcher = {
    callback: new WatchCallback(),
    step(loss) {
      if (!begun) begin();
      if (!s.hook.installed) s.schedule.stepDone();
      s.measure.afterStep(s.schedule.steps - 1, loss, undefined);
    },
    get stopRequested() {
      return s.feed.stopRequested;
    },
    get findings() {
      return s.feed.findings;
    },
    get steps() {
      return s.schedule.steps;
    },
    evidence: (): Evidence => s.snapshot.evidence(s.log),
    report: () => reportOf(s, options),
    settle: () => s.queue.settle(),
    async stop() {
      await end();
      stopped = true;
      s.queue.close();
      s.probe?.dispose();
      return reportOf(s, options);
    },
    get cost() {
      return { hookMs: s.time.ms, ...s.feed.cost };
    },
  };
  // The optimizer is watched from now on when there is one (custom loops; a compiled model).
  install();
  return watcher;
}

export type { LiveFinding } from '../live-checks.ts';
export type { CheckId };
