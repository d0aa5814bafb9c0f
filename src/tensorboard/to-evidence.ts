// An experiment's runs → the Evidence the checks judge (source 'tensorboard').
//
// collect.ts reads what each tag means; layers.ts groups parameters into layers with their fans;
// model-evidence.ts, activation-evidence.ts and training-evidence.ts build the keys a log can
// fill. Every other key is left out, and evidence.unavailable says why and what to do instead —
// the runner shows that as the skip reason of every check that needs the key.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Evidence, EvidenceKey, Framework } from '../core/evidence.ts';
import type { LogTag } from '../core/report.ts';
import { activationEvidence } from './activation-evidence.ts';
import { type Collected, collect, type MappingSummary } from './collect.ts';
import type { Experiment } from './experiments.ts';
import { detectFramework } from './framework.ts';
import { LayerTable } from './layers.ts';
import { modelEvidence } from './model-evidence.ts';
import type { MapEntry } from './roles.ts';
import { trainingEvidence } from './training-evidence.ts';
import { tagReport } from './unused-tags.ts';

export type { MappingSummary } from './collect.ts';

export interface MappingResult {
  evidence: Evidence;
  warnings: string[];
  summary: MappingSummary;
  collected: Collected;
  /** The experiment's tags, used and unused (with --map proposals). */
  tags: { used: LogTag[]; unused: LogTag[] };
  /** --map entries that matched no tag of this experiment. */
  unmatchedMap: MapEntry[];
}

/** Skip reason of the distributed checks on the logs of one process (ranks.ts replaces it when there are several). */
export const ONE_RANK =
  'the logs hold one rank: the distributed checks compare the ranks of a data-parallel job, logged one sub-run per rank (rank_0/, rank_1/, worker_2/, node0_gpu3/) or with the rank in the tag (loss/rank_1)';

const RUN_CHECK = 'run `nn-doctor check --model model.json --data …`';

/** Why an evidence key is absent from a log, and what to do (shown as the skip reason). */
/** (Fix experiments are not a check's evidence: a diagnose report has no remedies section.) */
export const NOT_IN_LOGS: Record<Exclude<EvidenceKey, 'model' | 'training' | 'remedies'>, string> = {
  task: `a training log does not record the task (classes, loss function, output activation); ${RUN_CHECK} to judge it`,
  dataset:
    'diagnose reads training logs, not the training data; run `nn-doctor check --data PATH` to check the inputs',
  checkpoint: `a training log does not hold the trained weights; ${RUN_CHECK} on the saved model`,
  overfit: `this is an experiment nn-doctor runs on the model itself (overfitting 50 records); ${RUN_CHECK}`,
  control: `this is an experiment nn-doctor runs on the model itself (training on a control corpus); ${RUN_CHECK}`,
  lrSweep: `this is an experiment nn-doctor runs on the model itself (an LR range test); ${RUN_CHECK}`,
  simplified: `this is an experiment nn-doctor runs on the model itself (a simplified model on the same data); ${RUN_CHECK}`,
  rebalancing: `this is an experiment nn-doctor runs on the model itself (class weighting vs oversampling); ${RUN_CHECK}`,
  labelSignal: `this is an experiment nn-doctor runs on the model itself (real vs shuffled labels); ${RUN_CHECK}`,
  distributed: ONE_RANK,
};

export const LOG_WEIGHTS =
  'log weight histograms: `for name, p in model.named_parameters(): writer.add_histogram(name, p, step)` (PyTorch) or `keras.callbacks.TensorBoard(log_dir, histogram_freq=1)` (Keras)';
export const LOG_TRAINING =
  "log the training loss: `writer.add_scalar('loss', loss.item(), step)` (PyTorch) or `keras.callbacks.TensorBoard(log_dir)` (Keras), and gradient histograms: `writer.add_histogram(f'{name}.grad', p.grad, step)`";

/** Where the PyTorch logging helper is: shipped in the package's python/ folder (and the repository's). */
export function pythonLoggerPath(): string {
  const path = fileURLToPath(new URL('../../python/nn_doctor_log.py', import.meta.url));
  return existsSync(path) ? path : 'python/nn_doctor_log.py (in the nn-doctor package)';
}

/**
 * A skip reason in the terms of the framework that wrote the logs: `nn-doctor check` takes TF.js
 * and Keras models, so a PyTorch user is told what to do in their own loop and which logger writes
 * what the log-based checks need; a Keras user is pointed at the saved .keras/.h5 file.
 */
function inFramework(reason: string, framework: Framework): string {
  if (framework === 'keras') return reason.replaceAll('--model model.json', '--model model.keras');
  if (framework !== 'pytorch') return reason;
  const logger = `\`NNDoctorLogger(model, logdir)\` from ${pythonLoggerPath()} logs every gradient, update, weight and activation tag nn-doctor reads`;
  return reason
    .replace(
      `; ${RUN_CHECK} to judge it`,
      ' (nn-doctor check judges it on TF.js and Keras models; for PyTorch, compare your first loss with ln(classes) and the output activation with the loss yourself)',
    )
    .replace(` on the saved model`, ' (nn-doctor check reads TF.js and Keras checkpoints, not PyTorch ones)')
    .replace(
      `; ${RUN_CHECK}`,
      '; nn-doctor runs it on TF.js and Keras models only: for PyTorch, run it in your own training script',
    )
    .replace(
      'run `nn-doctor check --data PATH` to check the inputs',
      'check the inputs with `nn-doctor check --data PATH` (the same files, as .npy/.npz/.csv), or for NaN/Inf with torch.isfinite(x).all()',
    )
    .replace(LOG_WEIGHTS, `${LOG_WEIGHTS}; or ${logger}`)
    .replace(LOG_TRAINING, `${LOG_TRAINING}; or ${logger}`);
}

export interface ToEvidenceOptions {
  map?: MapEntry[];
  /** Model name (default: the experiment's folder). */
  name?: string;
}

export function toEvidence(experiment: Experiment, options: ToEvidenceOptions = {}): MappingResult {
  const collected = collect(experiment, options.map);
  const table = new LayerTable(collected.params);
  const activations = activationEvidence(collected.activations, (layer) => table.fans(layer).fanOut);
  const activationOf = new Map((activations?.start ?? []).map((s) => [s.layer, s.activation]));
  const model = modelEvidence(
    table,
    options.name ?? experiment.name,
    (layer) => activationOf.get(layer) ?? null,
  );
  const training = trainingEvidence(collected, table, activations);

  const tags = tagReport(collected);
  const unavailable: NonNullable<Evidence['unavailable']> = {};
  if (!model) unavailable.model = { status: 'skip', reason: LOG_WEIGHTS };
  if (!training) unavailable.training = { status: 'skip', reason: noTrainingReason(tags.unused) };
  for (const [key, reason] of Object.entries(NOT_IN_LOGS)) {
    unavailable[key as EvidenceKey] = { status: 'skip', reason };
  }
  const evidence: Evidence = { source: 'tensorboard', unavailable };
  if (model) evidence.model = model;
  if (training) evidence.training = training;
  const framework = detectFramework([...tags.used, ...tags.unused].map((t) => t.tag));
  if (framework) {
    evidence.framework = framework;
    for (const entry of Object.values(unavailable)) entry.reason = inFramework(entry.reason, framework);
  }
  return {
    evidence,
    warnings: collected.warnings,
    summary: collected.summary,
    collected,
    tags,
    unmatchedMap: collected.unmatchedMap,
  };
}

/**
 * Why no training evidence: when scalars were logged under names no convention knows, say so and
 * name the --map that would read one — never "log the training loss" to someone who did.
 */
export function noTrainingReason(unused: LogTag[]): string {
  const proposal = unused.find((t) => t.map && /=(val_)?loss$/.test(t.map));
  if (proposal)
    return `no tag was read as the training loss, but '${proposal.tag}' looks like one: ${proposal.map} reads it (see the tags not used)`;
  const scalars = unused.filter((t) => t.kind === 'scalar' && !/^ignored/.test(t.as));
  if (scalars.length > 0) {
    const names = scalars.slice(0, 3).map((t) => `'${t.tag}'`);
    const more = scalars.length > 3 ? ` and ${scalars.length - 3} more` : '';
    return `none of the logged scalars (${names.join(', ')}${more}) follows a convention nn-doctor knows, and no gradients, weights or activations were logged; if one of them is the training loss, --map TAG=loss reads it (the tags not used are listed in the report)`;
  }
  return LOG_TRAINING;
}
