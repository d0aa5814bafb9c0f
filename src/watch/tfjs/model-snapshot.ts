// The model as it is when watching begins — its trainable variables, its description (kernels at
// init) and its task from the compiled loss — and the evidence of the run assembled from it and
// the training log. The model is only read.
import type * as tf from '@tensorflow/tfjs';
import {
  type Evidence,
  type EvidenceKey,
  type ModelEvidence,
  ONE_PROCESS,
  type TaskEvidence,
} from '../../core/evidence.ts';
import { normalizeLossName } from '../../core/names.ts';
import { learningRateOf } from '../../tfjs/clone.ts';
import { describeModel, kernelWeightName } from '../../tfjs/model-info.ts';
import { CLASSIFICATION_LOSSES, outputActivations, outputUnits } from '../../tfjs/task.ts';
import type { TrainingLog, VariableInfo } from '../training-log.ts';
import type { ThreadTime } from './thread-time.ts';

const NOT_WATCHED =
  'a watched run does not run this experiment; run `nn-doctor check` (or checkup()) on the model for it';

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

/** The model's trainable variables, in order, with what the training log records of each. */
export function variablesOf(model: tf.LayersModel): { infos: VariableInfo[]; variables: tf.Variable[] } {
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

export class ModelSnapshot {
  /** The model at the start (null until described, or when it had trained already). */
  private described: ModelEvidence | null = null;
  private note: string | null = null;
  private task: TaskEvidence | null = null;

  constructor(
    private readonly model: tf.LayersModel,
    private readonly optimizerNow: () => tf.Optimizer | undefined,
    private readonly time: ThreadTime,
  ) {}

  /** Describes the model once, the first time it is asked (on the training thread: its time counts). */
  describe(): void {
    if (this.described || this.note) return;
    this.time.time(() => {
      const optimizer = this.optimizerNow();
      const trained = (optimizer as { iterations?: number } | undefined)?.iterations ?? 0;
      if (trained > 0) this.note = `the model had already trained ${trained} steps when watching began`;
      else this.described = describeModel(this.model);
      if (optimizer) this.task = taskOf(this.model, optimizer);
    });
  }

  /** Watching began on a fresh model (its initialization and initial loss can be judged). */
  get fresh(): boolean {
    return this.described !== null;
  }

  /** The model has weight penalties (dropout aside): their loss is measured with the gradients. */
  get hasRegularizers(): boolean {
    return this.described?.regularization.some((r) => !/dropout/.test(r)) ?? false;
  }

  /** The evidence so far: the snapshot, the log, and why the experiments of a checkup are absent. */
  evidence(log: TrainingLog): Evidence {
    this.describe();
    const unavailable: NonNullable<Evidence['unavailable']> = {
      dataset: {
        status: 'skip',
        reason: 'a watched run does not see the training data as a whole; run `nn-doctor check --data PATH`',
      },
      distributed: { status: 'skip', reason: ONE_PROCESS },
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
    if (this.note)
      unavailable.model = { status: 'skip', reason: `${this.note}: its initialization cannot be judged` };
    const training = log.evidence();
    const e: Evidence = { source: 'tfjs', training, unavailable };
    if (this.described) e.model = this.described;
    if (this.task) e.task = { ...this.task, learningRate: training.learningRate };
    return e;
  }
}
